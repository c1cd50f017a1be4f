using ReadingBot.Core.Follows;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>/follow through Slack's slash command, and direct messages through conversations.open.</summary>
public sealed class FollowTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private async Task<string> CommandAsync(string text, string user = SlackEmulator.Alice) =>
        (await (await emulator.SlashCommandAsync(text, user)).WaitForResponseAsync()).ToJsonString();

    [Fact]
    public async Task A_topic_is_followed_listed_and_unfollowed_through_the_slash_command()
    {
        Assert.Contains("You now follow the topic diffusion", await CommandAsync("follow topic diffusion \"world model\" -medical"), StringComparison.Ordinal);
        Assert.Contains("topic: diffusion", await CommandAsync("follow list"), StringComparison.Ordinal);
        Assert.Single(bot.Get<IFollowStore>().All());

        Assert.Contains("You no longer follow", await CommandAsync("unfollow topic \"world model\" diffusion -medical"), StringComparison.Ordinal);
        Assert.Empty(bot.Get<IFollowStore>().All());
    }

    [Fact]
    public async Task A_direct_message_goes_to_the_members_im_channel()
    {
        var list = new ListReply("New from who and what you follow", [new ListItem("A paper — by Yann LeCun", "https://arxiv.org/abs/2611.01001", new ReplyButton("Add to library", "paper add 2611.01001"))]);

        var posted = await bot.Get<SlackOutbound>().PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, list) { DirectTo = SlackEmulator.Alice, Key = "k1" }, CancellationToken.None);

        Assert.True(emulator.Channel(posted.ChannelId).IsIm);
        Assert.Contains("A paper", Assert.Single(emulator.MessagesIn(posted.ChannelId)).AllText, StringComparison.Ordinal);
        Assert.Empty(emulator.MessagesIn(SlackEmulator.GeneralChannel));
    }

    [Fact]
    public async Task A_deactivated_member_is_a_clear_refusal()
    {
        emulator.Team().Users[SlackEmulator.Alice].Deleted = true;

        var closed = await Assert.ThrowsAsync<DirectMessagesClosedException>(() =>
            bot.Get<SlackOutbound>().PostAsync(new OutboundPost(Threads.Group, null, new TextReply("hello")) { DirectTo = SlackEmulator.Alice }, CancellationToken.None));

        Assert.Contains("user_disabled", closed.Message, StringComparison.Ordinal);
    }
}
