using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Follows;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

/// <summary>Followed authors found over the arXiv emulator through the real search client and request gate.</summary>
public sealed class FollowedAuthorsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        emulator.AddArxiv(ArxivFixture.Following);
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private sealed record Clients(SafeHttpClient Http, ArxivRequestGate Gate, ArxivClient Arxiv, ArxivSearchClient Search, ArxivFeedClient Feed, FollowedAuthorFinder Finder) : IDisposable
    {
        public void Dispose()
        {
            Http.Dispose();
            Gate.Dispose();
        }
    }

    private Clients Build(double minInterval = 0)
    {
        var options = PaperTesting.Options(emulator, minInterval: minInterval);
        var http = new SafeHttpClient(options);
        var gate = new ArxivRequestGate(TimeProvider.System, TimeSpan.FromSeconds(minInterval));
        var search = new ArxivSearchClient(http, gate, options);
        return new Clients(http, gate, new ArxivClient(http, gate, options, NullLogger<ArxivClient>.Instance), search,
            new ArxivFeedClient(search, NullLogger<ArxivFeedClient>.Instance), new FollowedAuthorFinder(search, NullLogger<FollowedAuthorFinder>.Instance));
    }

    private static AuthorName Name(string text) => AuthorName.Parse(text)!;

    [Fact]
    public async Task A_followed_author_is_found_under_every_spelling_in_one_batched_request()
    {
        using var clients = Build();

        var (matches, problems) = await clients.Finder.NewPapersAsync([Name("Yann LeCun"), Name("Bernhard Schölkopf")], November, 100, 5, CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(["arxiv:2611.03003", "arxiv:2611.02002", "arxiv:2611.04004", "arxiv:2611.01001"], matches.Select(m => m.Paper.Key));
        Assert.Equal("(au:le_cun OR au:lecun OR au:scholkopf)", Assert.Single(emulator.ArxivSearches));
        Assert.Equal("Bernhard Scholkopf", Assert.Single(matches.Single(m => m.Paper.ArxivId == "2611.04004").Authors).ToString());
    }

    [Fact]
    public async Task Paging_back_stops_at_the_since_date_and_brings_each_paper_once()
    {
        using var clients = Build();

        var (matches, _) = await clients.Finder.NewPapersAsync([Name("Y. LeCun"), Name("Yann Le Cun")], new(2026, 11, 5, 0, 0, 0, TimeSpan.Zero), 1, 10, CancellationToken.None);

        Assert.Equal(["arxiv:2611.03003", "arxiv:2611.02002"], matches.Select(m => m.Paper.Key));
        Assert.Equal("v4", matches[1].Paper.LatestVersion);
        // Three pages: two new papers, then one from before the date ends the paging.
        Assert.Equal(3, emulator.ArxivRequests.Count);
    }

    [Fact]
    public async Task The_preview_shows_namesakes_apart_by_their_papers()
    {
        using var clients = Build();

        var (papers, problem) = await clients.Finder.PreviewAsync(Name("Wei Wang"), 3, CancellationToken.None);

        Assert.Null(problem);
        Assert.Equal(["Spin Chains at Low Temperature", "Sparse Autoencoders Find Interpretable Features"], papers.Select(p => p.Title));
        Assert.Equal(["cond-mat.str-el"], papers[0].Categories);
    }

    [Fact]
    public async Task Follows_lookups_and_the_feed_together_keep_one_request_at_a_time_an_interval_apart()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        emulator.ArxivLatency = TimeSpan.FromMilliseconds(20);
        using var clients = Build(interval.TotalSeconds);

        await Task.WhenAll(
            clients.Finder.NewPapersAsync([Name("Yann LeCun")], November, 1, 5, CancellationToken.None),
            clients.Feed.NewPapersAsync(["cs.LG"], 10, CancellationToken.None),
            clients.Arxiv.FetchAsync("1706.03762", CancellationToken.None),
            clients.Finder.PreviewAsync(Name("Wei Wang"), 3, CancellationToken.None));

        Assert.True(emulator.ArxivRequests.Count >= 6, $"{emulator.ArxivRequests.Count} requests");
        Assert.Equal(1, emulator.MaxArxivInFlight);
        Assert.All(emulator.ArxivGaps(), gap => Assert.True(gap >= interval - TimeSpan.FromMilliseconds(5), $"a gap of {gap.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task A_refused_search_is_a_problem_not_an_exception_and_the_gate_is_held_back()
    {
        emulator.FailArxiv(429, "1");
        using var clients = Build();

        var (matches, problems) = await clients.Finder.NewPapersAsync([Name("Yann LeCun")], November, 100, 5, CancellationToken.None);
        await clients.Search.SearchAsync("au:lecun", 0, 10, CancellationToken.None);

        Assert.Empty(matches);
        Assert.Contains("429", Assert.Single(problems), StringComparison.Ordinal);
        Assert.True(Assert.Single(emulator.ArxivGaps()) >= TimeSpan.FromSeconds(0.95));
    }
}
