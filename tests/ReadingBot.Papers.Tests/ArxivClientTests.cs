using System.Diagnostics;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

public sealed class ArxivClientTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData("1706.03762", "1706.03762")]
    [InlineData("1706.03762v5", "1706.03762")]
    [InlineData("arXiv:1706.03762", "1706.03762")]
    [InlineData("https://arxiv.org/abs/1706.03762", "1706.03762")]
    [InlineData("https://arxiv.org/abs/1706.03762v2", "1706.03762")]
    [InlineData("https://arxiv.org/pdf/1706.03762", "1706.03762")]
    [InlineData("https://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762")]
    [InlineData("https://arxiv.org/pdf/1706.03762.pdf", "1706.03762")]
    [InlineData("arxiv.org/html/1706.03762v7", "1706.03762")]
    [InlineData("hep-th/9901001", "hep-th/9901001")]
    [InlineData("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001")]
    [InlineData("cs/0112017v1", "cs/0112017")]
    [InlineData("2301.00001", "2301.00001")]
    [InlineData("10.48550/arXiv.2301.00001", "2301.00001")]
    public async Task Every_id_form_resolves_to_the_record_of_its_paper(string form, string id)
    {
        var (source, _, http) = PaperTesting.Sources(PaperTesting.Options(emulator));
        using var _ = http;

        var reference = PaperTesting.Ref(form);
        var paper = PaperTesting.Found(await source.FetchAsync(reference, CancellationToken.None));

        Assert.Equal($"arxiv:{id}", reference.Key);
        Assert.Equal(id, paper.ArxivId);
        Assert.Equal(ArxivAtomParser.Collapse(System.Net.WebUtility.HtmlDecode(emulator.Arxiv[id].Title)), paper.Title);
    }

    [Fact]
    public async Task The_2026_feed_shape_is_read_by_namespace_with_whitespace_collapsed_and_entities_decoded()
    {
        var (source, _, http) = PaperTesting.Sources(PaperTesting.Options(emulator));
        using var _ = http;

        var paper = PaperTesting.Found(await source.FetchAsync(PaperTesting.Ref("1706.03762"), CancellationToken.None));

        Assert.Equal("Attention Is All You Need", paper.Title);
        Assert.Equal("A placeholder summary about attention & transformers for sequence transduction, written for tests.", paper.Abstract);
        Assert.Equal(["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], paper.Authors);
        Assert.Equal(["cs.CL", "cs.LG"], paper.Categories);
        Assert.Equal(new DateTimeOffset(2017, 6, 12, 17, 57, 34, TimeSpan.Zero), paper.Published);
        Assert.Equal(new DateTimeOffset(2023, 8, 2, 0, 41, 18, TimeSpan.Zero), paper.Updated);
        Assert.Equal(2017, paper.Year);
        Assert.Equal("v7", paper.LatestVersion);
        Assert.Equal("https://arxiv.org/pdf/1706.03762v7", paper.PdfUrl);
        Assert.Equal("https://arxiv.org/abs/1706.03762", paper.Url);
        Assert.Equal("Advances in Neural Information Processing Systems 30 (2017)", paper.JournalRef);
        Assert.Null(paper.Doi);
    }

    [Fact]
    public async Task A_missing_pdf_link_falls_back_and_a_doi_is_kept()
    {
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator));
        using var _ = http;

        var results = await arxiv.FetchManyAsync(["hep-th/9901001", "2301.00001"], CancellationToken.None);

        var old = PaperTesting.Found(results["hep-th/9901001"]);
        Assert.Equal("https://arxiv.org/pdf/hep-th/9901001", old.PdfUrl);
        Assert.Equal("An Old-Style Identifier <Test> Paper", old.Title);
        Assert.Equal("10.1234/example.2023", PaperTesting.Found(results["2301.00001"]).Doi);
    }

    [Fact]
    public async Task Many_ids_go_in_one_batched_request_with_old_style_slashes_encoded()
    {
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator));
        using var _ = http;

        var results = await arxiv.FetchManyAsync(["1706.03762", "hep-th/9901001", "cs/0112017", "2301.00001", "1512.03385", "2312.99999"], CancellationToken.None);

        var request = Assert.Single(emulator.ArxivRequests);
        Assert.Contains("hep-th%2F9901001", request.Query, StringComparison.Ordinal);
        Assert.Equal(5, results.Values.OfType<MetadataResult.Found>().Count());
        Assert.IsType<MetadataResult.NotFound>(results["2312.99999"]);
    }

    [Fact]
    public async Task An_id_arxiv_does_not_know_is_not_found_and_the_library_is_unchanged()
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync("paper add 2312.99999");

        var error = Assert.IsType<ErrorReply>(reply);
        Assert.Contains("arXiv has no paper 2312.99999", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(ReadingBot.TestSupport.TestBot.LocalGroup.Id));
        Assert.Null(bot.Get<IPaperStore>().Find("arxiv:2312.99999"));
    }

    [Fact]
    public async Task Arxivs_error_feed_is_not_found_and_never_a_paper()
    {
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator));
        using var _ = http;

        var result = await arxiv.FetchAsync("1706.0376", CancellationToken.None);

        var notFound = Assert.IsType<MetadataResult.NotFound>(result);
        Assert.Contains("incorrect id format", notFound.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("paper add 1706.0376")]
    [InlineData("paper add arxiv:abc")]
    public async Task Malformed_ids_get_a_clear_reply_without_asking_arxiv(string line)
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync(line);

        Assert.Contains("arXiv id", Assert.IsType<ErrorReply>(reply).Message, StringComparison.Ordinal);
        Assert.Empty(emulator.ArxivRequests);
    }

    [Fact]
    public async Task All_versions_of_a_paper_are_one_library_record()
    {
        using var bot = PaperTesting.Bot(emulator);

        await bot.SendAsync("paper add 1706.03762v5");
        var again = await bot.TextAsync("paper add https://arxiv.org/pdf/1706.03762v7.pdf");
        var show = await bot.TextAsync("paper show arXiv:1706.03762");

        Assert.Contains("Already in the library as #1", again, StringComparison.Ordinal);
        Assert.Contains("Attention Is All You Need", show, StringComparison.Ordinal);
        Assert.Contains("1706.03762v5 (latest v7)", show, StringComparison.Ordinal);
        Assert.Single(emulator.ArxivRequests);
    }

    [Fact]
    public async Task Requests_are_one_at_a_time_and_at_least_the_interval_apart()
    {
        var interval = TimeSpan.FromMilliseconds(400);
        emulator.ArxivLatency = TimeSpan.FromMilliseconds(100);
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator, minInterval: interval.TotalSeconds));
        using var _ = http;

        await Task.WhenAll(new[] { "1706.03762", "1512.03385", "1409.1556", "1406.2661" }.Select(id => arxiv.FetchAsync(id, CancellationToken.None)));

        var requests = emulator.ArxivRequests.OrderBy(r => r.StartTicks).ToList();
        Assert.Equal(4, requests.Count);
        Assert.Equal(1, emulator.MaxArxivInFlight);
        for (var i = 1; i < requests.Count; i++)
        {
            var gap = Stopwatch.GetElapsedTime(requests[i - 1].EndTicks, requests[i].StartTicks);
            // The emulator's own timestamps: the next request arrives an interval after the previous one ended.
            Assert.True(gap >= interval - TimeSpan.FromMilliseconds(5), $"request {i} came {gap.TotalMilliseconds} ms after the previous one");
        }
    }

    [Fact]
    public async Task A_503_then_a_429_are_retried_honouring_retry_after()
    {
        emulator.FailArxiv(503);
        emulator.FailArxiv(429, "1");
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator, retryBase: 0.05));
        using var _ = http;

        var result = await arxiv.FetchAsync("1706.03762", CancellationToken.None);

        PaperTesting.Found(result);
        var requests = emulator.ArxivRequests.OrderBy(r => r.StartTicks).ToList();
        Assert.Equal(3, requests.Count);
        Assert.True(Stopwatch.GetElapsedTime(requests[1].EndTicks, requests[2].StartTicks) >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(5), "Retry-After: 1 was not honoured");
        Assert.True(Stopwatch.GetElapsedTime(requests[0].EndTicks, requests[1].StartTicks) >= TimeSpan.FromMilliseconds(45));
    }

    [Fact]
    public async Task A_retry_after_given_as_an_http_date_is_honoured()
    {
        emulator.FailArxiv(429, DateTimeOffset.UtcNow.AddSeconds(3).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator, retryBase: 0.01));
        using var _ = http;

        PaperTesting.Found(await arxiv.FetchAsync("1706.03762", CancellationToken.None));

        var requests = emulator.ArxivRequests.OrderBy(r => r.StartTicks).ToList();
        Assert.Equal(2, requests.Count);
        // HTTP dates have whole seconds: 3 s ahead is at least 1.5 s after truncation on both sides.
        Assert.True(Stopwatch.GetElapsedTime(requests[0].EndTicks, requests[1].StartTicks) >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Retries_are_bounded_and_end_in_unavailable()
    {
        for (var i = 0; i < 10; i++)
        {
            emulator.FailArxiv(503);
        }

        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator, retryBase: 0.01, maxRetries: 2));
        using var _ = http;

        var result = await arxiv.FetchAsync("1706.03762", CancellationToken.None);

        Assert.Contains("503", Assert.IsType<MetadataResult.Unavailable>(result).Reason, StringComparison.Ordinal);
        Assert.Equal(3, emulator.ArxivRequests.Count);
    }

    [Fact]
    public async Task A_slow_arxiv_times_out_as_unavailable()
    {
        emulator.ArxivLatency = TimeSpan.FromSeconds(3);
        var (_, arxiv, http) = PaperTesting.Sources(PaperTesting.Options(emulator, timeout: 0.3, retryBase: 0.01, maxRetries: 1));
        using var _ = http;

        var result = await arxiv.FetchAsync("1706.03762", CancellationToken.None);

        Assert.Contains("in time", Assert.IsType<MetadataResult.Unavailable>(result).Reason, StringComparison.Ordinal);
    }
}
