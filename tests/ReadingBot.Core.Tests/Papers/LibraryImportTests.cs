using System.Text;
using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Core.Tests.Papers;

/// <summary><c>/paper import</c>: a group's JSON export, fetched over HTTP from the emulator, read into another library.</summary>
public sealed class LibraryImportTests : IAsyncLifetime
{
    private static readonly GroupAddress Other = new(Platforms.Discord, "other-guild");

    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        emulator.Pages["/pages/notes.md"] = ("text/markdown", "# Not an export\n\n- [a](https://arxiv.org/abs/1706.03762)\n");
        emulator.Pages["/pages/page.html"] = ("text/html", "<html><body>hello</body></html>");
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    /// <summary>A library of three papers (an arXiv paper, AlexNet by DOI, a plain link), exported as JSON and served by the emulator.</summary>
    private async Task<string> PublishExportAsync(TestBot source, string path = "/pages/export.json")
    {
        await source.SendAsync("paper add 1706.03762");
        await source.SendAsync("paper add 10.1145/3065386");
        await source.SendAsync($"paper add {emulator.BaseUrl}/pages/not-html A plain PDF we read");
        var file = Assert.IsType<FileReply>(await source.SendAsync("export json"));
        emulator.Pages[path] = ("application/json; charset=utf-8", Encoding.UTF8.GetString(file.Content));
        return emulator.BaseUrl + path;
    }

    [Fact]
    public async Task A_moderator_imports_another_bots_export_and_new_papers_wait_for_their_source()
    {
        using var source = PaperTesting.Bot(emulator);
        var url = await PublishExportAsync(source);
        using var target = PaperTesting.Bot(emulator);
        await target.SendAsync("paper add 1512.03385");
        var arxivBefore = emulator.ArxivRequests.Count;

        var reply = await target.TextAsync($"paper import {url}", "mod", moderator: true);
        var list = await target.TextAsync("paper list");
        var stored = target.Get<IPaperStore>().Find("arxiv:1706.03762")!;

        Assert.Contains("Imported 3 papers as #2–#4; 0 papers were already in the library.", reply, StringComparison.Ordinal);
        Assert.Contains("#2 Attention Is All You Need", list, StringComparison.Ordinal);
        Assert.Contains("A plain PDF we read", list, StringComparison.Ordinal);
        Assert.Equal("mod", target.Get<ILibraryStore>().FindByNumber(TestBot.LocalGroup.Id, 2)!.AddedBy);
        // Records new to this bot carry the export's text but are pending until their source confirms them.
        Assert.Equal(MetadataState.Pending, stored.State);
        Assert.Equal("Attention Is All You Need", stored.Title);
        Assert.Equal(arxivBefore, emulator.ArxivRequests.Count);
        await target.Get<PendingPaperRefresher>().RefreshDueAsync(10, CancellationToken.None);
        Assert.Equal(MetadataState.Resolved, target.Get<IPaperStore>().Find("arxiv:1706.03762")!.State);
        Assert.Contains("Attention", await target.TextAsync("paper search attention"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_twice_adds_nothing_twice_and_a_known_paper_keeps_its_record()
    {
        using var bot = PaperTesting.Bot(emulator);
        var url = await PublishExportAsync(bot);
        var before = bot.Get<IPaperStore>().Find("arxiv:1706.03762")!;

        var first = await bot.TextAsync($"paper import {url}", "mod", moderator: true, group: Other);
        var tooSoon = await bot.TextAsync($"paper import {url}", "mod", moderator: true, group: Other);
        bot.Time.Advance(TimeSpan.FromMinutes(2));
        var again = await bot.TextAsync($"paper import {url}", "mod", moderator: true, group: Other);
        var home = await bot.TextAsync($"paper import {url}", "mod", moderator: true);

        Assert.Contains("Imported 3 papers as #1–#3", first, StringComparison.Ordinal);
        Assert.Contains("less than a minute ago", tooSoon, StringComparison.Ordinal);
        Assert.Contains("Nothing new to import: 3 papers of that export are already in the library.", again, StringComparison.Ordinal);
        Assert.Contains("Nothing new to import", home, StringComparison.Ordinal);
        Assert.Equal(3, bot.Get<ILibraryStore>().Count(Other.Id));
        var after = bot.Get<IPaperStore>().Find("arxiv:1706.03762")!;
        Assert.Equal((before.State, before.FetchedAt, before.Title, before.Abstract), (after.State, after.FetchedAt, after.Title, after.Abstract));
    }

    [Fact]
    public async Task A_forged_export_cannot_rewrite_a_shared_paper_record_or_smuggle_a_key()
    {
        using var bot = PaperTesting.Bot(emulator);
        await PublishExportAsync(bot);
        var export = JsonNode.Parse(emulator.Pages["/pages/export.json"].Body)!.AsObject();
        var papers = export["papers"]!.AsArray();
        papers[0]!["paper"]!["title"] = "Buy cheap watches";
        papers[1]!["paper"]!["key"] = "arxiv:not-an-id";
        papers[2]!["paper"]!["key"] = "nonsense";
        emulator.Pages["/pages/forged.json"] = ("application/json", export.ToJsonString());

        var reply = await bot.TextAsync($"paper import {emulator.BaseUrl}/pages/forged.json", "mod", moderator: true, group: Other);

        Assert.Contains("Imported 1 paper as #1", reply, StringComparison.Ordinal);
        Assert.Contains("2 could not be used: #2: not a paper reference this bot reads; #3: not a paper reference this bot reads.", reply, StringComparison.Ordinal);
        Assert.Equal("Attention Is All You Need", bot.Get<IPaperStore>().Find("arxiv:1706.03762")!.Title);
        Assert.Null(bot.Get<IPaperStore>().Find("arxiv:not-an-id"));
        Assert.DoesNotContain("watches", await bot.TextAsync("paper list", group: Other), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_with_no_usable_paper_is_refused_with_its_first_problems()
    {
        emulator.Pages["/pages/unusable.json"] = ("application/json", """
            {"format": "readingbot-library", "version": 1, "group": "g", "exportedAt": "2026-11-01T00:00:00Z",
             "papers": [{"number": 7, "addedBy": "x", "addedAt": "2026-11-01T00:00:00Z",
                         "paper": {"key": "url:javascript:alert(1)", "source": "Url", "url": "javascript:alert(1)", "title": "t", "authors": [], "categories": [], "state": "Resolved"}}]}
            """);
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync($"paper import {emulator.BaseUrl}/pages/unusable.json", "mod", moderator: true);

        Assert.Equal("None of the export's papers could be used, so nothing was imported. First problems: #7: not a paper reference this bot reads.", Assert.IsType<ErrorReply>(reply).Message);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    [Theory]
    [InlineData("/pages/notes.md", "The export could not be fetched: the link gives text/markdown, not application/json or text/plain or application/octet-stream")]
    [InlineData("/pages/page.html", "The export could not be fetched: that link is a web page, not a JSON export")]
    [InlineData("/pages/missing.json", "The export could not be fetched: the site answered HTTP 404")]
    [InlineData("/pages/broken.json", "That file is not a ReadingBot JSON export")]
    [InlineData("/pages/other-format.json", "That file is not a ReadingBot JSON export")]
    [InlineData("/pages/no-papers.json", "That file is not a ReadingBot JSON export")]
    public async Task Links_that_are_not_exports_get_a_clear_error_and_change_nothing(string path, string expected)
    {
        emulator.Pages["/pages/broken.json"] = ("application/json", "{\"format\": \"readingbot-library\", \"papers\": [");
        emulator.Pages["/pages/other-format.json"] = ("application/json", "{\"format\": \"zotero\", \"version\": 1, \"group\": \"g\", \"papers\": []}");
        emulator.Pages["/pages/no-papers.json"] = ("application/json", "{\"format\": \"readingbot-library\", \"version\": 1, \"group\": \"g\"}");
        using var bot = PaperTesting.Bot(emulator);

        var reply = await bot.SendAsync($"paper import {emulator.BaseUrl}{path}", "mod", moderator: true);

        Assert.StartsWith(expected, Assert.IsType<ErrorReply>(reply).Message, StringComparison.Ordinal);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(TestBot.LocalGroup.Id));
    }

    [Fact]
    public async Task A_refused_import_does_not_use_up_the_groups_turn()
    {
        using var bot = PaperTesting.Bot(emulator);
        var url = await PublishExportAsync(bot);

        var malformed = await bot.SendAsync("paper import htps:/nowhere", "mod", moderator: true, group: Other);
        var notExport = await bot.SendAsync($"paper import {emulator.BaseUrl}/pages/notes.md", "mod", moderator: true, group: Other);
        var imported = await bot.TextAsync($"paper import {url}", "mod", moderator: true, group: Other);
        var tooSoon = await bot.TextAsync($"paper import {url}", "mod", moderator: true, group: Other);

        Assert.IsType<ErrorReply>(malformed);
        Assert.IsType<ErrorReply>(notExport);
        Assert.Contains("Imported 3 papers as #1–#3", imported, StringComparison.Ordinal);
        Assert.Contains("less than a minute ago", tooSoon, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_moderators_import_and_an_offline_bot_says_why_it_cannot()
    {
        using var bot = PaperTesting.Bot(emulator);
        using var offline = TestBot.Create();

        var member = await bot.SendAsync($"paper import {emulator.BaseUrl}/pages/export.json", "alice");
        var unplugged = await offline.SendAsync("paper import https://example.org/export.json", "mod", moderator: true);

        Assert.Contains("moderators only", Assert.IsType<ErrorReply>(member).Message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.CountRequests("/pages/"));
        Assert.Contains("no network sources", Assert.IsType<ErrorReply>(unplugged).Message, StringComparison.Ordinal);
    }
}
