using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

/// <summary>Semantic Scholar enrichment over the emulator: present, absent, refused and offline; and on the paper card.</summary>
public sealed class EnrichmentTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private static Paper Arxiv(string id) => Paper.Pending(PaperTesting.Ref(id)) with { ArxivId = id };

    private SemanticScholarClient Client(string? apiKey = null, string? baseUrl = null, double minInterval = 0)
    {
        var options = PaperTesting.Options(emulator);
        options.SemanticScholar.ApiKey = apiKey;
        options.SemanticScholar.MinIntervalSeconds = minInterval;
        options.SemanticScholar.BaseUrl = baseUrl ?? emulator.SemanticScholarBaseUrl;
        return new SemanticScholarClient(new SafeHttpClient(options), options, TimeProvider.System);
    }

    [Fact]
    public async Task One_batch_request_reads_tldrs_counts_venues_and_pdfs_and_marks_unknown_papers()
    {
        using var client = Client(apiKey: "test-key");
        var doi = Paper.Pending(PaperTesting.Ref("10.1145/3065386")) with { Doi = "10.1145/3065386" };

        var (enrichments, problem) = await client.FetchAsync([Arxiv("1706.03762"), Arxiv("1512.03385"), doi, Arxiv("2611.09999")], CancellationToken.None);

        Assert.Null(problem);
        Assert.Single(emulator.SemanticScholarRequests);
        Assert.Equal("test-key", Assert.Single(emulator.SemanticScholarApiKeys));
        var attention = enrichments[0];
        Assert.True(attention.Found);
        Assert.StartsWith("A placeholder TLDR", attention.Tldr, StringComparison.Ordinal);
        Assert.Equal((150123, 17890), (attention.Citations, attention.InfluentialCitations));
        Assert.Equal("Neural Information Processing Systems", attention.Venue);
        Assert.Equal("https://arxiv.org/pdf/1706.03762", attention.OpenAccessPdf);
        Assert.True(enrichments[1].Found);
        Assert.Null(enrichments[1].Tldr);
        Assert.Null(enrichments[1].OpenAccessPdf);
        Assert.Equal("Communications of the ACM", enrichments[2].Venue);
        Assert.False(enrichments[3].Found);
    }

    [Fact]
    public async Task A_429_backs_off_and_is_retried_and_without_a_key_no_key_is_sent()
    {
        emulator.FailSemanticScholar(429, "1");
        using var client = Client();

        var (enrichments, problem) = await client.FetchAsync([Arxiv("1706.03762")], CancellationToken.None);

        Assert.Null(problem);
        Assert.True(Assert.Single(enrichments).Found);
        Assert.Equal([null, null], emulator.SemanticScholarApiKeys);
        var requests = emulator.SemanticScholarRequests.OrderBy(r => r.StartTicks).ToList();
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(requests[0].EndTicks, requests[1].StartTicks) >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task Offline_or_refused_is_a_problem_and_nothing_else()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var offline = Client(baseUrl: $"http://127.0.0.1:{port}/graph/v1");
        emulator.FailSemanticScholar(500);
        using var refusing = Client();

        var (none, offlineProblem) = await offline.FetchAsync([Arxiv("1706.03762")], CancellationToken.None);
        var (alsoNone, refusedProblem) = await refusing.FetchAsync([Arxiv("1706.03762")], CancellationToken.None);

        Assert.Empty(none);
        Assert.NotNull(offlineProblem);
        Assert.Empty(alsoNone);
        Assert.Contains("500", refusedProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_paper_card_shows_semantic_scholars_facts_after_a_pass_and_is_unchanged_without_them()
    {
        emulator.AddArxiv(ArxivFixture.Standard);
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync("paper add 1706.03762");
        var before = Assert.IsType<CardReply>(await bot.SendAsync("paper show #1")).Card;
        Assert.DoesNotContain(before.Fields, f => f.Name.Contains("Semantic Scholar", StringComparison.Ordinal));

        var (saved, problem) = await bot.Get<EnrichmentRefresher>().RunOnceAsync(CancellationToken.None);
        var again = await bot.Get<EnrichmentRefresher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, (string?)null), (saved, problem));
        Assert.Equal(0, again.Saved);
        var card = Assert.IsType<CardReply>(await bot.SendAsync("paper show #1")).Card;
        Assert.StartsWith("A placeholder TLDR", card.Fields.Single(f => f.Name == "TLDR (Semantic Scholar)").Value, StringComparison.Ordinal);
        Assert.Equal("150,123 (17,890 influential), Semantic Scholar, 2026-11-23", card.Fields.Single(f => f.Name == "Citations").Value);

        // The announcement and the group's page show them too.
        await bot.SendAsync("settings announce monday 09:00", "mod", moderator: true);
        await bot.SendAsync("week pick #1 2026-W49", "mod", moderator: true);
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.Zero));
        await bot.Get<Core.Weeks.WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        var announcement = bot.Outbound.Posts.Select(p => p.Content).OfType<CardReply>().Single(c => c.Card.Title.StartsWith("Paper of the week", StringComparison.Ordinal)).Card;
        Assert.Contains(announcement.Fields, f => f.Name == "TLDR (Semantic Scholar)");
        var group = bot.Get<Core.Groups.IGroupStore>().All().Single();
        var item = bot.Get<LibraryService>().FindByKey(group.Id, "arxiv:1706.03762")!;
        Assert.Contains(Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Core.Web.GroupPageQuery>(bot.Services).Paper(group, item).Enrichment, f => f.Name == "Citations");

        // A week later the counts are read again.
        bot.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await bot.Get<EnrichmentRefresher>().RunOnceAsync(CancellationToken.None)).Saved);
    }

    [Fact]
    public async Task A_github_link_in_the_arxiv_comment_is_the_papers_code_on_its_card()
    {
        emulator.AddArxiv(ArxivFixture.Following);
        using var bot = PaperTesting.Bot(emulator);

        await bot.SendAsync("paper add 2611.01001");
        await bot.SendAsync("paper add 1706.03762");

        Assert.Equal("https://github.com/example/ebm-vision", Assert.IsType<CardReply>(await bot.SendAsync("paper show #1")).Card.Fields.Single(f => f.Name == "Code").Value);
        Assert.DoesNotContain(Assert.IsType<CardReply>(await bot.SendAsync("paper show #2")).Card.Fields, f => f.Name == "Code");
    }
}
