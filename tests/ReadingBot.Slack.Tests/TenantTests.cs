using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Workspaces are tenants: the team comes from the verified envelope, data never crosses, uninstall removes it.</summary>
public sealed class TenantTests : IAsyncLifetime
{
    private const string OtherTeam = "T0OTHER";
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync()
    {
        emulator = await SlackEmulator.StartAsync();
        var other = emulator.AddTeam(OtherTeam, "other");
        other.Users["U0BOB"] = new EmulatedUser { Id = "U0BOB", Name = "bob" };
        emulator.AddChannel(OtherTeam, "C0OTHERGEN", "general");
        bot = await SlackTestBot.StartAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        await emulator.DisposeAsync();
    }

    private async Task<string> RunAsync(string text, string teamId, string user, string channel)
    {
        var delivery = await emulator.SlashCommandAsync(text, user, channel, teamId);
        var response = await delivery.WaitForResponseAsync();
        return SlackJson.Strings(response);
    }

    [Fact]
    public async Task Two_workspaces_never_see_each_others_data()
    {
        await RunAsync("paper add 1706.03762", SlackEmulator.DefaultTeam, SlackEmulator.Alice, SlackEmulator.GeneralChannel);
        await RunAsync("paper add 2101.00001 \"Only in the other workspace\"", OtherTeam, "U0BOB", "C0OTHERGEN");

        var mine = await RunAsync("paper list", SlackEmulator.DefaultTeam, SlackEmulator.Alice, SlackEmulator.GeneralChannel);
        var theirs = await RunAsync("paper list", OtherTeam, "U0BOB", "C0OTHERGEN");
        var probe = await RunAsync("paper show #2", OtherTeam, "U0BOB", "C0OTHERGEN");

        Assert.Contains("Library (1 paper)", mine);
        Assert.DoesNotContain("Only in the other workspace", mine);
        Assert.Contains("Library (1 paper)", theirs);
        Assert.Contains("Only in the other workspace", theirs);
        Assert.DoesNotContain("1706.03762", theirs);
        Assert.Contains(":warning:", probe);
    }

    [Fact]
    public async Task The_workspace_comes_from_the_envelope_not_from_the_text()
    {
        await RunAsync("paper add 1706.03762", SlackEmulator.DefaultTeam, SlackEmulator.Alice, SlackEmulator.GeneralChannel);

        var spoof = await RunAsync("paper list team_id=T0READING", OtherTeam, "U0BOB", "C0OTHERGEN");

        Assert.DoesNotContain("1706.03762", spoof);
    }

    [Fact]
    public async Task App_uninstalled_removes_only_that_workspace()
    {
        await RunAsync("paper add 1706.03762", SlackEmulator.DefaultTeam, SlackEmulator.Alice, SlackEmulator.GeneralChannel);
        await RunAsync("paper add 2101.00001", OtherTeam, "U0BOB", "C0OTHERGEN");
        var groups = bot.Get<IGroupStore>();

        var uninstall = await emulator.UninstallAsync(OtherTeam);
        await uninstall.WaitForAckAsync();
        await Eventually.TrueAsync(() => groups.Find(new GroupAddress(Platforms.Slack, OtherTeam).Id) is null, "the other workspace was removed");

        Assert.NotNull(groups.Find(new GroupAddress(Platforms.Slack, SlackEmulator.DefaultTeam).Id));
        Assert.Contains("Library (1 paper)", await RunAsync("paper list", SlackEmulator.DefaultTeam, SlackEmulator.Alice, SlackEmulator.GeneralChannel));
    }

    [Fact]
    public async Task Tokens_revoked_for_the_bot_removes_the_workspace()
    {
        await RunAsync("paper add 2101.00001", OtherTeam, "U0BOB", "C0OTHERGEN");

        var revoked = await emulator.DeliverEventAsync(OtherTeam, new JsonObject { ["type"] = "tokens_revoked", ["tokens"] = new JsonObject { ["oauth"] = new JsonArray(), ["bot"] = new JsonArray("U0BOT") } });
        await revoked.WaitForAckAsync();

        await Eventually.TrueAsync(() => bot.Get<IGroupStore>().Find(new GroupAddress(Platforms.Slack, OtherTeam).Id) is null, "the workspace was removed");
    }

    [Fact]
    public async Task A_thread_linked_in_one_workspace_means_nothing_in_another()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);
        emulator.AddChannel(OtherTeam, SlackEmulator.GeneralChannel, "general");

        var (_, delivery) = await emulator.UserMessageAsync("same channel and ts, other workspace", parentTs, "U0BOB", SlackEmulator.GeneralChannel, OtherTeam);
        await delivery.WaitForAckAsync();
        await bot.WaitForProcessedAsync(2);

        Assert.Empty(emulator.Ephemerals);
    }
}
