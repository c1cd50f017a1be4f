using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Web;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Outbound posts, threads opened by the bot, and messages members write in them.</summary>
public sealed class ThreadAndOutboundTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private SlackOutbound Outbound => bot.Get<SlackOutbound>();

    [Fact]
    public async Task A_post_with_a_thread_title_starts_a_thread_whose_id_is_the_parent_ts()
    {
        var posted = await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new TextReply("This week's paper"), ThreadTitle: "Discussion"), CancellationToken.None);

        var parent = emulator.MessagesIn(SlackEmulator.GeneralChannel).Single();
        Assert.Equal(parent.Ts, posted.MessageId);
        Assert.Equal($"{SlackEmulator.GeneralChannel}:{parent.Ts}", posted.ThreadId);
        Assert.Contains("Discussion", parent.AllText);
    }

    [Fact]
    public async Task A_post_into_a_thread_uses_thread_ts_and_counts_as_a_reply()
    {
        var opened = await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new TextReply("parent"), ThreadTitle: "Discussion"), CancellationToken.None);

        var reply = await Outbound.PostAsync(new OutboundPost(Threads.Group, null, new TextReply("a reminder"), InThreadId: opened.ThreadId), CancellationToken.None);

        Assert.Equal(opened.ThreadId, reply.ThreadId);
        var parent = emulator.MessagesIn(SlackEmulator.GeneralChannel)[0];
        Assert.Equal(1, parent.ReplyCount);
        Assert.Equal(parent.Ts, emulator.CallsTo("chat.postMessage")[^1].Args["thread_ts"]!.ToString());
    }

    [Fact]
    public async Task A_post_without_a_channel_goes_to_the_home_channel()
    {
        var reply = await (await emulator.SlashCommandAsync("settings channel <#C0QUIET|quiet>", SlackEmulator.Admin, encode: false)).WaitForResponseAsync();
        Assert.DoesNotContain(":warning:", reply["text"]!.ToString());

        var posted = await Outbound.PostAsync(new OutboundPost(Threads.Group, null, new TextReply("announcement")), CancellationToken.None);

        Assert.Equal(SlackEmulator.QuietChannel, posted.ChannelId);
        Assert.Single(emulator.MessagesIn(SlackEmulator.QuietChannel));
    }

    [Fact]
    public async Task Without_a_home_channel_the_post_fails_saying_how_to_set_one()
    {
        var error = await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(Threads.Group, null, new TextReply("announcement")), CancellationToken.None));

        Assert.Contains("settings channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_the_bot_is_not_in_fails_with_a_hint_to_invite_it()
    {
        var error = await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.OutsideChannel, new TextReply("hi")), CancellationToken.None));

        Assert.Contains("/invite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_for_another_workspace_is_refused()
    {
        var other = new GroupAddress(Platforms.Slack, "T0OTHER");

        await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(other, SlackEmulator.GeneralChannel, new TextReply("hi")), CancellationToken.None));
        Assert.Empty(emulator.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_message_in_a_linked_thread_reaches_the_dispatcher_and_is_answered_in_the_thread()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);

        await emulator.UserMessageAsync("I liked section 3", parentTs);
        await Eventually.TrueAsync(() => emulator.Ephemerals.Count == 1, "the member got an answer");

        var answer = emulator.Ephemerals.Single();
        Assert.Equal(SlackEmulator.Alice, answer.User);
        Assert.Equal(parentTs, answer.ThreadTs);
        // The thread message became /discuss; with no paper of the week the domain says so, in the thread.
        Assert.Contains("no paper of the week to discuss", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_outside_linked_threads_are_left_alone()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);
        var unlinked = emulator.AddUserMessage(SlackEmulator.GeneralChannel, SlackEmulator.Alice, "not ours");

        var (_, top) = await emulator.UserMessageAsync("top-level chatter");
        var (_, other) = await emulator.UserMessageAsync("reply elsewhere", unlinked.Ts);
        var bots = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject
        {
            ["type"] = "message", ["channel"] = SlackEmulator.GeneralChannel, ["user"] = "U0OTHERBOT", ["bot_id"] = "B0OTHER",
            ["text"] = "another bot", ["ts"] = emulator.NextTs(), ["thread_ts"] = parentTs,
        });
        var edit = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject
        {
            ["type"] = "message", ["subtype"] = "message_changed", ["channel"] = SlackEmulator.GeneralChannel, ["ts"] = emulator.NextTs(), ["thread_ts"] = parentTs,
        });
        foreach (var d in new[] { top, other, bots, edit })
        {
            await d.WaitForAckAsync();
        }

        await bot.WaitForProcessedAsync(5);
        Assert.Empty(emulator.Ephemerals);
        Assert.Single(emulator.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task The_bots_own_messages_echoed_back_are_ignored()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);

        await Outbound.PostAsync(new OutboundPost(Threads.Group, null, new TextReply("a reminder in the thread"), InThreadId: $"{SlackEmulator.GeneralChannel}:{parentTs}"), CancellationToken.None);
        await bot.WaitForProcessedAsync(2);
        await Task.Delay(300);

        Assert.Empty(emulator.Ephemerals);
        Assert.Equal(2, emulator.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task Conversations_replies_is_read_page_by_page()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);
        for (var i = 0; i < 5; i++)
        {
            emulator.AddUserMessage(SlackEmulator.GeneralChannel, SlackEmulator.Alice, $"reply {i}", parentTs);
        }

        var messages = await bot.Get<SlackWebApi>().RepliesAsync(SlackEmulator.GeneralChannel, parentTs, CancellationToken.None, pageSize: 2);

        Assert.Equal(6, messages.Count);
        Assert.Equal(parentTs, messages[0]["ts"]!.ToString());
        Assert.Equal(3, emulator.CallsTo("conversations.replies").Count);
        Assert.Equal(messages.Select(m => m["ts"]!.ToString()).Order(StringComparer.Ordinal), messages.Select(m => m["ts"]!.ToString()));
    }
}
