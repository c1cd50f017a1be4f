using System.Net;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests.Emulators;

/// <summary>The arXiv emulator's search_query, sorting and paging, read back through the bot's own Atom parser.</summary>
public sealed class ArxivSearchEmulatorTests : IAsyncLifetime
{
    // One client for the class's tests: the emulator is on loopback and every test reads its whole answer.
    private static readonly HttpClient Http = new();
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        emulator.AddArxiv(ArxivFixture.Following);
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private async Task<(HttpStatusCode Status, ArxivFeed Feed)> QueryAsync(string searchQuery, string extra = "&sortBy=submittedDate&sortOrder=descending&max_results=50")
    {
        using var response = await Http.GetAsync(new Uri($"{emulator.ArxivBaseUrl}/api/query?search_query={Uri.EscapeDataString(searchQuery)}{extra}"));
        return (response.StatusCode, ArxivAtomParser.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<List<string?>> IdsAsync(string searchQuery, string extra = "&sortBy=submittedDate&sortOrder=descending&max_results=50")
    {
        var (status, feed) = await QueryAsync(searchQuery, extra);
        Assert.Equal(HttpStatusCode.OK, status);
        return feed.Papers.Select(p => p.ArxivId).ToList();
    }

    [Fact]
    public async Task An_author_query_matches_a_surname_in_any_author_and_folds_diacritics()
    {
        Assert.Equal(["2611.02002", "2611.01001"], await IdsAsync("au:LeCun"));
        Assert.Equal(["2611.04004"], await IdsAsync("au:Scholkopf"));
        Assert.Equal(["2611.04004"], await IdsAsync("au:Schölkopf"));
    }

    [Fact]
    public async Task A_quoted_phrase_or_underscores_must_stand_together_in_one_author_name()
    {
        Assert.Equal(["2611.03003"], await IdsAsync("au:\"Le Cun\""));
        Assert.Equal(["2611.03003"], await IdsAsync("au:le_cun"));
        Assert.Equal(["2611.06006", "2611.05005"], await IdsAsync("au:\"Wei Wang\""));
    }

    [Fact]
    public async Task Authors_batched_with_or_in_parentheses_and_limited_to_a_category()
    {
        Assert.Equal(["2611.05005", "2611.02002", "2611.04004", "2611.01001"], await IdsAsync("(au:LeCun OR au:Scholkopf OR au:\"Wei Wang\") AND cat:cs.LG"));
        Assert.Equal(["2611.06006"], await IdsAsync("au:\"Wei Wang\" AND cat:cond-mat.*"));
    }

    [Fact]
    public async Task Andnot_excludes_and_title_abstract_and_all_fields_are_searched_apart()
    {
        Assert.Equal(["2611.05005", "2611.03003", "2611.04004"], await IdsAsync("abs:\"sparse autoencoders\""));
        Assert.Equal(["2611.05005"], await IdsAsync("ti:\"sparse autoencoders\""));
        Assert.Equal(["2611.05005", "2611.03003"], await IdsAsync("abs:\"sparse autoencoders\" ANDNOT abs:causal"));
        Assert.Equal(["2611.01001"], await IdsAsync("co:github"));
        Assert.Equal(["2611.05005", "2611.03003", "2611.04004"], await IdsAsync("all:autoencoders"));
        Assert.Equal(["2611.05005", "2611.03003", "2611.04004"], await IdsAsync("autoencoders"));
    }

    [Fact]
    public async Task Sorting_by_last_update_ascending_and_by_relevance()
    {
        Assert.Equal(["2611.01001", "2611.04004", "2611.03003", "2611.05005", "2611.02002"], await IdsAsync("au:LeCun OR au:\"Le Cun\" OR au:Scholkopf OR ti:sparse", "&sortBy=lastUpdatedDate&sortOrder=ascending"));
        // Relevance (the default sort): more hits first.
        Assert.Equal("2611.05005", (await IdsAsync("abs:sparse OR ti:sparse OR ti:autoencoders", ""))[0]);
    }

    [Fact]
    public async Task Paging_gives_start_and_max_results_with_the_total_of_all_matches()
    {
        var (_, first) = await QueryAsync("cat:cs.LG", "&sortBy=submittedDate&sortOrder=descending&start=0&max_results=2");
        var (_, second) = await QueryAsync("cat:cs.LG", "&sortBy=submittedDate&sortOrder=descending&start=2&max_results=2");

        Assert.Equal(["2611.05005", "2611.02002"], first.Papers.Select(p => p.ArxivId));
        Assert.Equal(["2611.04004", "2611.01001"], second.Papers.Select(p => p.ArxivId));
        var total = ArxivFixture.Standard.Concat(ArxivFixture.Following).Count(f => f.Categories.Contains("cs.LG"));
        Assert.Equal(total, first.TotalResults);
    }

    [Fact]
    public async Task Versions_are_answered_once_by_their_latest_version()
    {
        var (_, feed) = await QueryAsync("ti:\"Joint Embedding\"");

        var paper = Assert.Single(feed.Papers);
        Assert.Equal("v4", paper.LatestVersion);
    }

    [Theory]
    [InlineData("(au:LeCun OR au:Bengio")]
    [InlineData("xx:LeCun")]
    [InlineData("au:LeCun AND")]
    [InlineData("au:\"LeCun")]
    public async Task A_malformed_query_gets_400_and_an_error_feed(string query)
    {
        var (status, feed) = await QueryAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(feed.Error);
        Assert.Empty(emulator.ArxivSearches);
    }

    [Fact]
    public async Task Bad_paging_or_sorting_gets_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await QueryAsync("au:LeCun", "&sortBy=date")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await QueryAsync("au:LeCun", "&sortOrder=up")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await QueryAsync("au:LeCun", "&max_results=30001")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await QueryAsync("au:LeCun", "&start=-1")).Status);
    }

    [Fact]
    public async Task Requests_are_counted_with_their_times_and_gaps()
    {
        await IdsAsync("au:LeCun");
        await Task.Delay(TimeSpan.FromMilliseconds(50));
        await IdsAsync("au:Scholkopf");

        Assert.Equal(["au:LeCun", "au:Scholkopf"], emulator.ArxivSearches);
        Assert.Equal(2, emulator.ArxivRequests.Count);
        var gap = Assert.Single(emulator.ArxivGaps());
        Assert.True(gap >= TimeSpan.FromMilliseconds(45), $"the gap was {gap.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_id_list_with_a_query_returns_the_listed_papers_that_match()
    {
        Assert.Equal(["2611.01001"], await IdsAsync("au:LeCun", "&id_list=2611.01001,2611.04004,1706.03762"));
    }
}
