using Microsoft.Extensions.Configuration;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Host.Web;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// <c>/paper import</c> of the bot's own <c>library.json</c> links: the host's signer and own-feed reader recognise
/// them and read the library from the store, never over HTTP.
/// </summary>
public sealed class OwnFeedLinkImportTests : IAsyncLifetime
{
    private static readonly GroupAddress Other = new(Platforms.Discord, "other-guild");

    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    /// <summary>A bot that refuses private addresses, as in production, with its web page at 127.0.0.1.</summary>
    private TestBot PrivateBot() => WebBot(new Dictionary<string, string?>
    {
        ["Papers:AllowPrivateAddresses"] = "false",
        ["Web:Urls"] = "http://127.0.0.1:5080",
    });

    /// <summary>A bot with the network sources at the emulator and the host's web links (signer, own-feed reader).</summary>
    private TestBot WebBot(Dictionary<string, string?> settings) => PaperTesting.Bot(emulator, settings, services =>
        services.AddWeb(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

    private static async Task<string> FeedLinkAsync(TestBot bot)
    {
        var feeds = await bot.TextAsync("/dashboard feeds", "mod", moderator: true);
        return feeds.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(w => w.EndsWith("/library.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_group_imports_another_groups_library_json_link_of_the_same_bot_from_the_store()
    {
        using var bot = PrivateBot();
        await bot.SendAsync("paper add 1706.03762");
        await bot.SendAsync("paper add 10.1145/3065386");
        var link = await FeedLinkAsync(bot);
        var requests = emulator.CountRequests("/");

        var reply = await bot.TextAsync($"paper import {link}", "mod", moderator: true, group: Other);

        Assert.StartsWith("http://127.0.0.1:5080/f/", link, StringComparison.Ordinal);
        Assert.Contains("Imported 2 papers as #1–#2", reply, StringComparison.Ordinal);
        Assert.Contains("Attention Is All You Need", await bot.TextAsync("paper list", group: Other), StringComparison.Ordinal);
        Assert.Equal(requests, emulator.CountRequests("/"));
    }

    [Fact]
    public async Task A_feed_link_under_the_public_base_url_with_a_path_is_read_from_the_store()
    {
        using var bot = WebBot(new Dictionary<string, string?> { ["Web:PublicBaseUrl"] = "https://bot.example.org/reading/" });
        await bot.SendAsync("paper add 1706.03762");
        var link = await FeedLinkAsync(bot);

        var reply = await bot.TextAsync($"paper import {link}", "mod", moderator: true, group: Other);

        Assert.StartsWith("https://bot.example.org/reading/f/", link, StringComparison.Ordinal);
        Assert.Contains("Imported 1 paper as #1", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_or_altered_library_json_link_of_the_bot_is_refused_and_other_local_links_stay_private()
    {
        using var bot = PrivateBot();
        await bot.SendAsync("paper add 1706.03762");
        var old = await FeedLinkAsync(bot);
        await bot.SendAsync("/dashboard feeds reset", "mod", moderator: true);
        var altered = old.Replace("/f/", "/f/x", StringComparison.Ordinal);

        var revoked = Assert.IsType<ErrorReply>(await bot.SendAsync($"paper import {old}", "mod", moderator: true, group: Other)).Message;
        var forged = Assert.IsType<ErrorReply>(await bot.SendAsync($"paper import {altered}", "mod", moderator: true, group: Other)).Message;
        var elsewhere = Assert.IsType<ErrorReply>(await bot.SendAsync($"paper import {emulator.BaseUrl}/pages/export.json", "mod", moderator: true, group: Other)).Message;

        Assert.StartsWith("That library.json link of this bot does not work", revoked, StringComparison.Ordinal);
        Assert.StartsWith("That library.json link of this bot does not work", forged, StringComparison.Ordinal);
        Assert.StartsWith("The export could not be fetched:", elsewhere, StringComparison.Ordinal);
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(Other.Id));
    }
}
