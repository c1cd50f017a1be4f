using ReadingBot.Core.Groups;
using ReadingBot.Core.Web;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>The group's page is titled with the server's own name: from GUILD_CREATE/GUILD_UPDATE, or over REST in Http mode.</summary>
public sealed class ServerNameTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string NameOf(DiscordHarness bot, string guildId) =>
        bot.Get<IGroupStore>().Find(new GroupAddress(Platforms.Discord, guildId).Id) is { } group ? GroupNames.Of(group) : "(no group)";

    [Fact]
    public async Task The_gateway_names_the_group_after_its_server_and_follows_a_rename()
    {
        await using var bot = await StartAsync();

        var first = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "list");
        await first.ReplyTextAsync(Wait);
        await DiscordEmulator.WaitUntilAsync(() => NameOf(bot, GuildA) == "Alpha readers", Wait, "GUILD_CREATE's name on the group");

        await bot.Emulator.RenameGuildAsync(GuildA, "Alpha \u0007readers   club");
        await DiscordEmulator.WaitUntilAsync(() => NameOf(bot, GuildA) == "Alpha readers club", Wait, "the rename to reach the group");

        // No REST lookup is needed when the Gateway said it.
        Assert.DoesNotContain(bot.Emulator.Recorder.Requests, r => r.Method == "GET" && r.Path.StartsWith("guilds/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_set_by_moderators_wins_over_the_servers()
    {
        await using var bot = await StartAsync();

        var set = await bot.Emulator.SendCommandAsync(GuildB, ChannelB, Mod, "settings", null, ("key", "name"), ("value", "Thursday Transformers"));
        Assert.Contains("Thursday Transformers", await set.ReplyTextAsync(Wait));
        await DiscordEmulator.WaitUntilAsync(() => bot.Get<IGroupStore>().Find(new GroupAddress(Platforms.Discord, GuildB).Id)?.PlatformName == "Beta readers", Wait, "GUILD_CREATE's name on the group");

        Assert.Equal("Thursday Transformers", NameOf(bot, GuildB));
    }

    [Fact]
    public async Task Http_mode_reads_the_server_name_once_over_rest()
    {
        using var signer = new InteractionSigner();
        using var http = new HttpClient();
        await using var bot = await StartHttpModeAsync(signer);

        for (var i = 0; i < 3; i++)
        {
            await SendPaperListAsync(bot, signer, http, GuildA);
            await DiscordEmulator.WaitUntilAsync(() => NameOf(bot, GuildA) == "Alpha readers", Wait, "the server's name from GET /guilds/{id}");
        }

        Assert.Single(bot.Emulator.Recorder.Requests, r => r.Method == "GET" && r.Path == $"guilds/{GuildA}");
    }

    [Fact]
    public async Task Http_mode_in_a_server_the_bot_cannot_read_keeps_the_fallback_and_asks_once()
    {
        using var signer = new InteractionSigner();
        using var http = new HttpClient();
        await using var bot = await StartHttpModeAsync(signer);
        const string Unknown = "1100000000000000099";

        for (var i = 0; i < 2; i++)
        {
            await SendPaperListAsync(bot, signer, http, Unknown);
            await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Recorder.Requests.Any(r => r.Path == $"guilds/{Unknown}" && r.Status == 404), Wait, "the lookup to be refused");
        }

        Assert.Single(bot.Emulator.Recorder.Requests, r => r.Path == $"guilds/{Unknown}");
        Assert.Equal(GroupNames.Fallback, NameOf(bot, Unknown));
    }

    private static async Task<DiscordHarness> StartHttpModeAsync(InteractionSigner signer)
    {
        var bot = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:Mode"] = "Http", ["Discord:PublicKey"] = signer.PublicKeyHex },
            waitForSession: false);
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Commands() is not null && bot.State.IsConnected, Wait, "registration in Http mode");
        return bot;
    }

    private static async Task SendPaperListAsync(DiscordHarness bot, InteractionSigner signer, HttpClient http, string guildId)
    {
        var interaction = bot.Emulator.NewCommand(guildId, ChannelA, Alice, "paper", "list");
        using var response = await signer.SendAsync(http, bot.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow);
        response.EnsureSuccessStatusCode();
    }
}
