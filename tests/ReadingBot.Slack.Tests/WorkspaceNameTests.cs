using ReadingBot.Core.Groups;
using ReadingBot.Core.Web;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>The group's page is titled with the workspace's name, which auth.test gives at start (no extra scope).</summary>
public sealed class WorkspaceNameTests
{
    [Theory]
    [InlineData("Socket")]
    [InlineData("Http")]
    public async Task The_group_is_named_after_the_workspace(string mode)
    {
        var http = mode == "Http";
        await using var emulator = await SlackEmulator.StartAsync(http ? new SlackEmulatorOptions { Delivery = SlackDeliveryMode.Http } : null);
        await using var bot = await SlackTestBot.StartAsync(emulator, mode: mode);
        if (http)
        {
            emulator.Options.HttpTarget = bot.BaseUri;
        }
        else
        {
            await emulator.WaitForOpenSocketsAsync();
        }

        await (await emulator.SlashCommandAsync("paper list")).WaitForResponseAsync();

        var group = bot.Get<IGroupStore>().Find(new GroupAddress(Platforms.Slack, SlackEmulator.DefaultTeam).Id);
        Assert.NotNull(group);
        Assert.Equal(SlackEmulator.DefaultTeamName, group.PlatformName);
        Assert.Equal(SlackEmulator.DefaultTeamName, GroupNames.Of(group));
    }
}
