using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>/follow through Discord's slash commands, and direct messages (the weekly follow list's way) through the emulator.</summary>
public sealed class FollowTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    [Fact]
    public async Task A_topic_is_followed_listed_and_unfollowed_through_slash_commands()
    {
        await using var bot = await StartAsync();

        var followed = await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "follow", "topic", ("words", "sparse autoencoders -vision"))).ReplyTextAsync(Wait);
        var listed = await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "follow", "list")).ReplyTextAsync(Wait);
        var refused = await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "follow", "topic", ("words", "diffusion group"))).ReplyTextAsync(Wait);

        Assert.Contains("You now follow the topic sparse autoencoder -vision", followed, StringComparison.Ordinal);
        Assert.Contains("topic: sparse autoencoder -vision", listed, StringComparison.Ordinal);
        Assert.Contains("Only moderators can follow for the whole group", refused, StringComparison.Ordinal);
        Assert.Equal(Alice.Id, Assert.Single(bot.Get<IFollowStore>().All()).Owner);

        var unfollowed = await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "unfollow", "topic", ("words", "autoencoder sparse -vision"))).ReplyTextAsync(Wait);
        Assert.Contains("You no longer follow sparse autoencoder -vision", unfollowed, StringComparison.Ordinal);
        Assert.Empty(bot.Get<IFollowStore>().All());
    }

    [Fact]
    public async Task A_direct_message_opens_the_members_dm_channel_once_and_lands_there()
    {
        await using var bot = await StartAsync();
        var outbound = bot.Get<DiscordOutbound>();
        var list = new ListReply("New from who and what you follow", [new ListItem("A paper — by Yann LeCun", "https://arxiv.org/abs/2611.01001", new ReplyButton("Add to library", "paper add 2611.01001"))]);

        var first = await outbound.PostAsync(new OutboundPost(GroupA, null, list) { DirectTo = Alice.Id, Key = "k1" }, CancellationToken.None);
        var second = await outbound.PostAsync(new OutboundPost(GroupA, null, new TextReply("again")) { DirectTo = Alice.Id }, CancellationToken.None);

        Assert.Equal(first.ChannelId, second.ChannelId);
        Assert.Equal(2, bot.Emulator.DirectMessagesTo(Alice.Id).Count);
        Assert.Contains("Add to library", bot.Emulator.DirectMessagesTo(Alice.Id)[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Single(bot.Emulator.Recorder.Requests, r => r.Route == "POST users/@me/channels");
        Assert.Empty(bot.Emulator.MessagesIn(ChannelA));
    }

    [Fact]
    public async Task Closed_direct_messages_are_a_clear_refusal_not_a_retry()
    {
        await using var bot = await StartAsync();
        bot.Emulator.ClosedDirectMessages[Bob.Id] = true;

        var closed = await Assert.ThrowsAsync<DirectMessagesClosedException>(() =>
            bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, null, new TextReply("hello")) { DirectTo = Bob.Id }, CancellationToken.None));

        Assert.Contains("does not take direct messages", closed.Message, StringComparison.Ordinal);
        Assert.Empty(bot.Emulator.DirectMessagesTo(Bob.Id));
    }
}
