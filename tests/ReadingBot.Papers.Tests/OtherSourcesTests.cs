using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

public sealed class OtherSourcesTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private async Task<MetadataResult> FetchAsync(string reference, double timeout = 5, bool allowPrivate = true)
    {
        var (source, _, http) = PaperTesting.Sources(PaperTesting.Options(emulator, timeout: timeout, allowPrivate: allowPrivate));
        using var _ = http;
        return await source.FetchAsync(PaperTesting.Ref(reference), CancellationToken.None);
    }

    [Fact]
    public async Task A_doi_resolves_through_crossref()
    {
        var paper = PaperTesting.Found(await FetchAsync("https://doi.org/10.1145/3065386"));

        Assert.Equal("ImageNet classification with deep convolutional neural networks", paper.Title);
        Assert.Equal(["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"], paper.Authors);
        Assert.Equal("Communications of the ACM", paper.Venue);
        Assert.Equal(2017, paper.Year);
        Assert.Equal("10.1145/3065386", paper.Doi);
        Assert.Equal("https://dl.acm.org/doi/pdf/10.1145/3065386", paper.PdfUrl);
        Assert.StartsWith("A placeholder abstract", paper.Abstract, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crossref_gets_the_contact_address_when_one_is_configured()
    {
        var options = PaperTesting.Options(emulator);
        options.Crossref.Mailto = "bot@example.org";
        var (source, _, http) = PaperTesting.Sources(options);
        using var _ = http;

        PaperTesting.Found(await source.FetchAsync(PaperTesting.Ref("10.1145/3065386"), CancellationToken.None));

        lock (emulator.Requests)
        {
            Assert.Contains(emulator.Requests, r => r.Path == "/crossref/works/10.1145%2F3065386" && r.Query == "?mailto=bot%40example.org");
        }
    }

    [Fact]
    public async Task An_unknown_doi_is_not_found()
    {
        var result = await FetchAsync("10.9999/does-not-exist");

        Assert.Contains("Crossref knows no DOI", Assert.IsType<MetadataResult.NotFound>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_openreview_forum_resolves_through_the_api_v2_shape()
    {
        var paper = PaperTesting.Found(await FetchAsync("https://openreview.net/forum?id=r1Ue8Hcxg"));

        Assert.Equal("Neural Architecture Search with Reinforcement Learning", paper.Title);
        Assert.Equal(["Barret Zoph", "Quoc V. Le"], paper.Authors);
        Assert.Equal("ICLR 2017 Oral", paper.Venue);
        Assert.Equal(2017, paper.Year);
        Assert.Equal("https://openreview.net/pdf?id=r1Ue8Hcxg", paper.PdfUrl);
    }

    [Fact]
    public async Task An_openreview_note_in_the_api_v1_shape_is_read_too()
    {
        emulator.OpenReview["SyV1abc"] = """
            {"id":"SyV1abc","forum":"SyV1abc","cdate":1506000000000,"tcdate":1506000000000,
             "content":{"title":"A Paper From The V1 API","authors":["Eve Author"],"abstract":"Placeholder text for tests.","pdf":"/pdf/SyV1abc.pdf"}}
            """;

        var paper = PaperTesting.Found(await FetchAsync("https://openreview.net/forum?id=SyV1abc"));

        Assert.Equal("A Paper From The V1 API", paper.Title);
        Assert.Equal(["Eve Author"], paper.Authors);
        Assert.Equal(2017, paper.Year);
    }

    [Fact]
    public async Task An_unknown_openreview_forum_is_not_found()
    {
        Assert.IsType<MetadataResult.NotFound>(await FetchAsync("https://openreview.net/forum?id=nope123"));
    }

    [Fact]
    public async Task A_neurips_like_page_gives_its_citation_meta_tags()
    {
        var url = emulator.BaseUrl + "/pages/alexnet";
        var paper = PaperTesting.Found(await FetchAsync(url));

        Assert.Equal("ImageNet Classification with Deep Convolutional Neural Networks", paper.Title);
        Assert.Equal(["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E Hinton"], paper.Authors);
        Assert.Equal(2012, paper.Year);
        Assert.Equal("Advances in Neural Information Processing Systems", paper.Venue);
        Assert.Equal(emulator.BaseUrl + "/paper_files/paper/2012/file/c399862d3b9d6b76c8436e924a68c45b-Paper.pdf", paper.PdfUrl);
    }

    [Fact]
    public async Task A_distill_like_page_keeps_its_doi()
    {
        var paper = PaperTesting.Found(await FetchAsync(emulator.BaseUrl + "/pages/distill"));

        Assert.Equal("Feature Visualization", paper.Title);
        Assert.Equal("10.23915/distill.00007", paper.Doi);
        Assert.Equal(2017, paper.Year);
        Assert.Equal(["Chris Olah", "Alexander Mordvintsev", "Ludwig Schubert"], paper.Authors);
    }

    [Fact]
    public async Task A_page_naming_an_arxiv_id_keeps_it_from_dublin_core_tags()
    {
        var paper = PaperTesting.Found(await FetchAsync(emulator.BaseUrl + "/pages/with-arxiv"));

        Assert.Equal("A Blog Post About A Preprint", paper.Title);
        Assert.Equal("2301.00001", paper.ArxivId);
        Assert.Equal(["Dee Writer"], paper.Authors);
        Assert.Equal(2024, paper.Year);
    }

    [Fact]
    public async Task A_redirect_is_followed()
    {
        Assert.Equal("ImageNet Classification with Deep Convolutional Neural Networks", PaperTesting.Found(await FetchAsync(emulator.BaseUrl + "/pages/moved")).Title);
    }

    [Theory]
    [InlineData("/pages/no-metadata", "no paper metadata")]
    [InlineData("/pages/not-html", "application/pdf")]
    [InlineData("/pages/huge", "larger than")]
    [InlineData("/pages/redirect-loop", "redirected more than")]
    [InlineData("/pages/gone", "does not exist")]
    public async Task Pages_that_cannot_be_papers_are_not_found_with_a_reason(string path, string reason)
    {
        var result = await FetchAsync(emulator.BaseUrl + path);

        Assert.Contains(reason, Assert.IsType<MetadataResult.NotFound>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_page_is_unavailable_not_an_exception()
    {
        var result = await FetchAsync(emulator.BaseUrl + "/pages/slow", timeout: 0.5);

        Assert.Contains("in time", Assert.IsType<MetadataResult.Unavailable>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_links_are_refused_unless_private_addresses_are_allowed()
    {
        var result = await FetchAsync(emulator.BaseUrl + "/pages/alexnet", allowPrivate: false);

        Assert.Contains("private or local", Assert.IsType<MetadataResult.NotFound>(result).Reason, StringComparison.Ordinal);
        Assert.Equal(0, emulator.CountRequests("/pages/"));
    }

    [Fact]
    public async Task A_source_that_is_down_is_unavailable()
    {
        emulator.Down = true;

        Assert.IsType<MetadataResult.Unavailable>(await FetchAsync("10.1145/3065386"));
        Assert.IsType<MetadataResult.Unavailable>(await FetchAsync("https://openreview.net/forum?id=r1Ue8Hcxg"));
    }

    [Theory]
    [InlineData("paper add ftp://example.org/paper.pdf", "Only http and https")]
    [InlineData("paper add javascript:alert(1)", "")]
    public async Task Non_http_links_get_a_clear_reply_and_change_nothing(string line, string expected)
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    [Fact]
    public async Task A_page_without_metadata_is_refused_through_the_command_path()
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync($"paper add {emulator.BaseUrl}/pages/no-metadata"));

        Assert.Contains("no paper metadata", reply.Message, StringComparison.Ordinal);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    [Fact]
    public async Task A_pdf_link_is_refused_with_a_hint_and_kept_as_a_plain_link_when_titled()
    {
        using var bot = PaperTesting.Bot(emulator);

        var refused = Assert.IsType<ErrorReply>(await bot.SendAsync($"paper add {emulator.BaseUrl}/pages/not-html"));
        var added = await bot.TextAsync($"paper add {emulator.BaseUrl}/pages/not-html My Favourite PDF");

        Assert.Contains("application/pdf", refused.Message, StringComparison.Ordinal);
        Assert.Contains("give its title too", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Added #1: My Favourite PDF", added, StringComparison.Ordinal);
        Assert.Contains("only what was given is shown", await bot.TextAsync("paper show #1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_page_leaves_the_paper_pending_and_the_library_consistent()
    {
        using var bot = PaperTesting.Bot(emulator, new() { ["Library:FetchTimeoutSeconds"] = "0.5" });

        var added = await bot.TextAsync($"paper add {emulator.BaseUrl}/pages/slow A Slow Paper");

        Assert.Contains("Added #1: A Slow Paper", added, StringComparison.Ordinal);
        Assert.Contains("did not answer in time", added, StringComparison.Ordinal);
        Assert.Equal(1, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    [Fact]
    public async Task The_full_card_shows_authors_venue_links_abstract_and_who_added_it()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync("paper add 10.1145/3065386", user: "bob");

        var card = await bot.TextAsync("paper show #1");

        Assert.Contains("ImageNet classification with deep convolutional neural networks", card, StringComparison.Ordinal);
        Assert.Contains("Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton · Communications of the ACM 2017", card, StringComparison.Ordinal);
        Assert.Contains("https://doi.org/10.1145/3065386", card, StringComparison.Ordinal);
        Assert.Contains("PDF: https://dl.acm.org/doi/pdf/10.1145/3065386", card, StringComparison.Ordinal);
        Assert.Contains("A placeholder abstract", card, StringComparison.Ordinal);
        Assert.Contains("by bob", card, StringComparison.Ordinal);
    }
}
