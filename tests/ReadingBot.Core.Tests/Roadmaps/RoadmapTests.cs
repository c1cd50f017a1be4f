using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Papers;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Core.Tests.Roadmaps;

public sealed class RoadmapTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        var b = emulator.BaseUrl;
        emulator.Pages["/pages/roadmap.md"] = ("text/markdown; charset=utf-8", $$"""
            # Test Reading Roadmap

            Some words before the first section, with no links.

            ## 1 Basics
            - **[1]** Krizhevsky, Alex, et al. "ImageNet classification with deep convolutional neural networks." CACM (2017). **[[pdf]](https://doi.org/10.1145/3065386)** :star::star::star:
            - [Attention Is All You Need](https://arxiv.org/abs/1706.03762)
            - https://arxiv.org/pdf/1512.03385v1.pdf

            ## 2 Generative
            * [GANs](https://arxiv.org/abs/1406.2661) and [their code]({{b}}/pages/code-repo)
            * [A preprint arXiv does not know](https://arxiv.org/abs/2312.99999)
            * [An FTP copy](ftp://example.org/x.pdf)
            * [A PDF somewhere]({{b}}/pages/not-html)
            * [A mistyped id](https://arxiv.org/abs/1706.0376)

            ```
            [not a link](https://arxiv.org/abs/1409.1556)
            ```

            ### 3 Pages
            - [AlexNet at NeurIPS]({{b}}/pages/alexnet) ![badge](https://example.org/badge.svg)
            """);
        emulator.Pages["/pages/empty.md"] = ("text/plain", "# Nothing here\n\nJust words.\n");
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Fact]
    public void The_starter_catalogue_starts_with_alexnet_and_every_entry_is_a_valid_reference()
    {
        var papers = StarterRoadmap.Papers;

        Assert.Equal("ImageNet Classification with Deep Convolutional Neural Networks", papers[0].Title);
        Assert.True(papers.Count >= 25);
        Assert.All(papers, p =>
        {
            Assert.True(PaperRefParser.Parse(p.Reference).Success, p.Reference);
            Assert.NotEmpty(p.Authors);
            Assert.InRange(p.Year, 1990, 2020);
            Assert.DoesNotContain('\n', p.Summary);
            Assert.InRange(p.Summary.Length, 20, 200);
            Assert.True(p.ArxivId is not null || p.Doi is not null);
        });
        Assert.Equal(papers.Count, papers.Select(StarterRoadmap.KeyOf).Distinct().Count());
    }

    [Fact]
    public async Task A_fresh_group_sees_the_starter_roadmap_without_any_network()
    {
        using var bot = TestBot.Create();

        var show = await bot.TextAsync("roadmap");
        var list = await bot.TextAsync("roadmap list");

        Assert.Contains("Roadmap: Deep learning classics", show, StringComparison.Ordinal);
        Assert.Contains($"You are at paper 1 of {StarterRoadmap.Papers.Count}", show, StringComparison.Ordinal);
        Assert.Contains("ImageNet Classification with Deep Convolutional Neural Networks — Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton (2012)", show, StringComparison.Ordinal);
        Assert.Contains("[ ] 1. ImageNet Classification with Deep Convolutional Neural Networks (2012)", list, StringComparison.Ordinal);
        Assert.Contains("— Training deep networks —", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roadmap_next_moves_only_that_member_along()
    {
        using var bot = TestBot.Create();

        var next = await bot.TextAsync("roadmap next", user: "alice");
        var alice = await bot.TextAsync("roadmap", user: "alice");
        var bob = await bot.TextAsync("roadmap", user: "bob");

        Assert.Contains("Very Deep Convolutional Networks for Large-Scale Image Recognition", next, StringComparison.Ordinal);
        Assert.Contains("marked as read", next, StringComparison.Ordinal);
        Assert.Contains("1 of 30 papers read by alice", alice, StringComparison.Ordinal);
        Assert.Contains("You are at paper 2 of", alice, StringComparison.Ordinal);
        Assert.Contains("You are at paper 1 of", bob, StringComparison.Ordinal);
        Assert.Contains("[x] 1. ImageNet", await bot.TextAsync("roadmap list", user: "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_moderators_import_a_roadmap()
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "alice", moderator: false);

        Assert.Contains("moderators only", Assert.IsType<ErrorReply>(reply).Message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.CountRequests("/pages/"));
    }

    [Fact]
    public async Task An_import_makes_sections_from_headings_and_papers_from_links_and_reports_what_did_not_resolve()
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = PlainTextRenderer.Render(await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "mod", moderator: true));

        Assert.Contains("Imported \"Test Reading Roadmap\": 7 papers in 3 sections. 5 resolved, 0 pending", reply, StringComparison.Ordinal);
        Assert.Contains("2 kept as links without metadata, 2 did not resolve", reply, StringComparison.Ordinal);
        Assert.Contains("A preprint arXiv does not know — arXiv has no paper 2312.99999", reply, StringComparison.Ordinal);
        Assert.Contains("A mistyped id —", reply, StringComparison.Ordinal);
        // Every arXiv id of the document went to arXiv in one request.
        var arxiv = Assert.Single(emulator.ArxivRequests);
        Assert.Contains("1706.03762", arxiv.Query, StringComparison.Ordinal);
        Assert.Contains("1406.2661", arxiv.Query, StringComparison.Ordinal);

        var list = await bot.TextAsync("roadmap list", user: "mod");
        Assert.Contains("Roadmap: Test Reading Roadmap (7 papers)", list, StringComparison.Ordinal);
        Assert.Contains("— 1 Basics —", list, StringComparison.Ordinal);
        Assert.Contains("1. ImageNet classification with deep convolutional neural networks (2017)", list, StringComparison.Ordinal);
        Assert.Contains("3. Deep Residual Learning for Image Recognition (2015)", list, StringComparison.Ordinal);
        Assert.Contains("— 3 Pages —", list, StringComparison.Ordinal);
        Assert.DoesNotContain("1409.1556", list, StringComparison.Ordinal);
        Assert.Equal(MetadataState.Resolved, bot.Get<IPaperStore>().Find("arxiv:1706.03762")!.State);
    }

    [Fact]
    public async Task Papers_already_known_are_not_fetched_again_on_import()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync("paper add 1706.03762");
        await bot.SendAsync("paper add 1512.03385");
        await bot.SendAsync("paper add 1406.2661");
        var before = emulator.ArxivRequests.Count;

        await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "mod", moderator: true);

        var batch = emulator.ArxivRequests.Skip(before).Single();
        Assert.DoesNotContain("1706.03762", batch.Query, StringComparison.Ordinal);
        Assert.Contains("2312.99999", batch.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/pages/alexnet", "web page, not a Markdown file")]
    [InlineData("/pages/empty.md", "no links to papers")]
    [InlineData("/pages/missing.md", "HTTP 404")]
    public async Task Imports_that_cannot_work_say_why_and_leave_the_roadmap_alone(string path, string reason)
    {
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync($"roadmap import {emulator.BaseUrl}{path}", user: "mod", moderator: true);

        Assert.Contains(reason, Assert.IsType<ErrorReply>(reply).Message, StringComparison.Ordinal);
        Assert.Contains("Deep learning classics", await bot.TextAsync("roadmap"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_import_within_a_minute_is_refused()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/empty.md", user: "mod", moderator: true);

        var again = await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "mod", moderator: true);
        bot.Time.Advance(TimeSpan.FromMinutes(2));
        var later = await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "mod", moderator: true);

        Assert.Contains("less than a minute ago", Assert.IsType<ErrorReply>(again).Message, StringComparison.Ordinal);
        Assert.IsType<ListReply>(later);
    }

    [Fact]
    public async Task Removing_a_workspace_removes_its_roadmap_and_progress()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync($"roadmap import {emulator.BaseUrl}/pages/roadmap.md", user: "mod", moderator: true);
        await bot.SendAsync("roadmap next", user: "alice");
        var store = bot.Get<IRoadmapStore>();
        Assert.NotNull(store.Find(TestBot.LocalGroup.Id));

        bot.Get<Core.Groups.ITenantDataStore>().RemoveWorkspace("local", "test");

        Assert.Null(store.Find(TestBot.LocalGroup.Id));
        Assert.Null(store.FindProgress(TestBot.LocalGroup.Id, "alice"));
    }

    [Theory]
    [InlineData("https://github.com/floodsung/Deep-Learning-Papers-Reading-Roadmap/blob/master/README.md", "https://raw.githubusercontent.com/floodsung/Deep-Learning-Papers-Reading-Roadmap/master/README.md")]
    [InlineData("<https://example.org/list.md>", "https://example.org/list.md")]
    public void A_github_blob_link_is_read_as_its_raw_file(string link, string fetched)
    {
        Assert.Equal(fetched, WebDocumentFetcher.RawLink(link));
    }

    [Fact]
    public void Markdown_links_titles_and_sections_are_read_as_documented()
    {
        var list = RoadmapMarkdown.Parse("""
            # Title
            Intro [not a paper section yet](https://example.org/a)
            ## Part A
            1. "A Quoted Paper Title." Venue. [pdf](https://example.org/b.pdf)
            2. <https://example.org/c>
            ## Part B
            - [Named](https://example.org/d) [Other](https://example.org/e)
            """);

        Assert.Equal("Title", list.Title);
        Assert.Equal(
            [("Papers", "not a paper section yet"), ("Part A", "A Quoted Paper Title"), ("Part A", "https://example.org/c"), ("Part B", "Named"), ("Part B", "Other")],
            list.Links.Select(l => (l.Section, l.Title)));
    }
}
