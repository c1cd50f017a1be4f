using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Core.Tests.Papers;

/// <summary>
/// One paper, one record: the AlexNet NeurIPS page whose meta tags carry the DOI 10.1145/3065386 and that DOI are
/// one paper, whichever is added first and whether the page's metadata arrives at once or later.
/// </summary>
public sealed class PaperMergeTests : IAsyncLifetime
{
    private const string DoiKey = "doi:10.1145/3065386";
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        emulator.Pages["/pages/alexnet-neurips"] = ("text/html; charset=utf-8", """
            <!doctype html><html><head>
            <meta name="citation_title" content="ImageNet Classification with Deep Convolutional Neural Networks">
            <meta name="citation_author" content="Krizhevsky, Alex"><meta name="citation_author" content="Sutskever, Ilya"><meta name="citation_author" content="Hinton, Geoffrey E">
            <meta name="citation_conference_title" content="Advances in Neural Information Processing Systems">
            <meta name="citation_publication_date" content="2012">
            <meta name="citation_doi" content="10.1145/3065386">
            </head><body></body></html>
            """);
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private string Link => emulator.BaseUrl + "/pages/alexnet-neurips";

    [Fact]
    public async Task A_link_whose_metadata_carries_a_stored_doi_finds_that_record_and_both_forms_do_later()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync("paper add 10.1145/3065386");

        var link = await bot.TextAsync($"paper add {Link}");
        var fetches = emulator.CountRequests("/pages/alexnet-neurips");
        var again = await bot.TextAsync($"paper add {Link}");

        Assert.StartsWith("Already in the library as #1", link, StringComparison.Ordinal);
        Assert.StartsWith("Already in the library as #1", again, StringComparison.Ordinal);
        Assert.Equal(fetches, emulator.CountRequests("/pages/alexnet-neurips"));
        Assert.Equal(1, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
        Assert.Null(bot.Get<IPaperStore>().Find("url:" + Link));
        // The DOI's own record survives with its own facts.
        Assert.Equal("Communications of the ACM", bot.Get<IPaperStore>().Find(DoiKey)!.Venue);
        Assert.Equal(DoiKey, bot.Get<IPaperIdentityStore>().Canonical("url:" + Link));
    }

    [Fact]
    public async Task A_pending_link_and_a_doi_become_one_record_when_the_links_metadata_arrives_and_everything_follows()
    {
        using var bot = PaperTesting.Bot(emulator);
        var group = TestBot.LocalGroup.Id;
        emulator.Down = true;
        await bot.SendAsync($"paper add {Link} AlexNet");
        await bot.SendAsync("paper suggest #1 a classic", "alice");
        await bot.SendAsync("paper vote #1", "bob");
        await bot.SendAsync("wayr #1 read: the ReLU part", "carol");
        await bot.SendAsync("read #1 pass2", "carol");
        await bot.SendAsync("week pick #1", "mod", moderator: true);
        emulator.Down = false;
        Assert.Contains("Added #2", await bot.TextAsync("paper add 10.1145/3065386"), StringComparison.Ordinal);

        bot.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await bot.Get<PendingPaperRefresher>().RefreshDueAsync(10, CancellationToken.None));

        Assert.Equal(1, bot.Get<ILibraryStore>().Count(group));
        Assert.Equal(DoiKey, bot.Get<ILibraryStore>().FindByNumber(group, 1)!.PaperKey);
        Assert.Null(bot.Get<IPaperStore>().Find("url:" + Link));
        Assert.Contains("bob", bot.Get<ISuggestionStore>().Find(group, DoiKey)!.Voters);
        Assert.Single(bot.Get<IWayrStore>().PostsForPaper(group, DoiKey));
        Assert.Equal(ReadingPass.Pass2, Assert.Single(bot.Get<IProgressStore>().ForPaper(group, DoiKey)).Pass);
        var weeks = bot.Get<IWeekPlanStore>().Range(group, Week("2000-W01"), Week("2099-W01"));
        Assert.Equal(DoiKey, Assert.Single(weeks).PaperKey);
        Assert.StartsWith("Already in the library as #1", await bot.TextAsync($"paper add {Link}"), StringComparison.Ordinal);
        Assert.StartsWith("Already in the library as #1", await bot.TextAsync("paper add https://doi.org/10.1145/3065386"), StringComparison.Ordinal);
        Assert.Contains("#1 ImageNet", await bot.TextAsync("paper list"), StringComparison.Ordinal);
        Assert.Contains("#1 ImageNet", await bot.TextAsync("paper search relu"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_group_adding_the_merged_link_gets_the_one_record()
    {
        using var bot = PaperTesting.Bot(emulator);
        await bot.SendAsync("paper add 10.1145/3065386");
        await bot.SendAsync($"paper add {Link}");
        var other = new GroupAddress(Platforms.Discord, "guild-2");

        await bot.SendAsync($"paper add {Link}", group: other);

        Assert.Equal(DoiKey, bot.Get<ILibraryStore>().FindByNumber(other.Id, 1)!.PaperKey);
    }

    [Fact]
    public async Task An_old_style_id_with_and_without_its_subject_class_is_one_paper()
    {
        emulator.Arxiv["math/0309136"] = new ArxivFixture("math/0309136", 1, "A Placeholder Knot Paper", [new("Kay Knot")], "A placeholder summary.") { Categories = ["math.GT"] };
        using var bot = PaperTesting.Bot(emulator);

        var added = await bot.TextAsync("paper add math.GT/0309136");
        var again = await bot.TextAsync("paper add https://arxiv.org/abs/math/0309136v1");

        Assert.Contains("Added #1: A Placeholder Knot Paper", added, StringComparison.Ordinal);
        Assert.StartsWith("Already in the library as #1", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_naming_an_old_style_id_with_its_subject_class_imports_as_the_plain_id()
    {
        emulator.Arxiv["math/0309136"] = new ArxivFixture("math/0309136", 1, "A Placeholder Knot Paper", [new("Kay Knot")], "A placeholder summary.") { Categories = ["math.GT"] };
        using var source = PaperTesting.Bot(emulator);
        await source.SendAsync("paper add math/0309136");
        var export = System.Text.Json.Nodes.JsonNode.Parse(((Core.Replies.FileReply)await source.SendAsync("export json")).Content)!;
        // As an export written before the subject class stopped being part of the key.
        export["papers"]![0]!["paper"]!["key"] = "arxiv:math.GT/0309136";
        export["papers"]![0]!["paper"]!["arxivId"] = "math.GT/0309136";
        emulator.Pages["/pages/old-export.json"] = ("application/json", export.ToJsonString());
        using var target = PaperTesting.Bot(emulator);
        await target.SendAsync("paper add math/0309136");

        var reply = await target.TextAsync($"paper import {emulator.BaseUrl}/pages/old-export.json", "mod", moderator: true);

        Assert.Contains("already in the library", reply, StringComparison.Ordinal);
        Assert.Equal(1, target.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    private static WeekKey Week(string text) => WeekKey.TryParse(text, out var week) ? week : throw new FormatException(text);
}
