using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>Outbound posts, threads, thread messages reaching the dispatcher, and removal from a server.</summary>
public sealed class ThreadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private static Dictionary<string, string?> WithContent(bool on = true) => new() { ["Discord:MessageContent"] = on ? "true" : "false" };

    [Fact]
    public async Task A_post_with_a_thread_title_starts_a_thread_on_the_message()
    {
        await using var bot = await StartAsync();

        var posted = await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new CardReply(new Card("Paper of the week")), ThreadTitle: "Week 48: Attention"), CancellationToken.None);

        Assert.Equal(ChannelA, posted.ChannelId);
        Assert.Equal(posted.MessageId, posted.ThreadId);
        Assert.True(bot.Emulator.IsThread(posted.ThreadId!));

        var inThread = await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new TextReply("first note"), InThreadId: posted.ThreadId), CancellationToken.None);

        Assert.Equal(posted.ThreadId, inThread.ThreadId);
        Assert.Equal("first note", Assert.Single(bot.Emulator.MessagesIn(posted.ThreadId!))["content"]!.GetValue<string>());
        Assert.Empty(bot.Emulator.Recorder.UnsafeMessages);
    }

    [Fact]
    public async Task Without_a_channel_the_post_goes_to_the_home_channel_setting()
    {
        await using var bot = await StartAsync();
        var outbound = bot.Get<DiscordOutbound>();

        var missing = await Assert.ThrowsAsync<OutboundException>(() => outbound.PostAsync(new OutboundPost(GroupA, null, new TextReply("hello")), CancellationToken.None));
        Assert.Contains("/settings channel", missing.Message);

        var set = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"));
        await set.WaitForReplyAsync(Wait);
        var posted = await outbound.PostAsync(new OutboundPost(GroupA, null, new TextReply("hello home")), CancellationToken.None);

        Assert.Equal(ChannelA, posted.ChannelId);
        Assert.Contains(bot.Emulator.MessagesIn(ChannelA), m => m["content"]!.GetValue<string>() == "hello home");
    }

    [Fact]
    public async Task A_message_in_a_bot_opened_thread_reaches_the_dispatcher_and_is_answered_in_the_thread()
    {
        await using var bot = await StartAsync(settings: WithContent());
        var posted = await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new TextReply("Discuss here"), ThreadTitle: "Discussion"), CancellationToken.None);
        bot.Get<IThreadLinkStore>().Save(new ThreadLink(GroupA.Id, posted.ThreadId!, ThreadPurpose.Discussion, "week 48", DateTimeOffset.UtcNow));

        await bot.Emulator.SendUserMessageAsync(posted.ThreadId!, Alice, "the appendix is the best part");
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.MessagesIn(posted.ThreadId!).Count >= 2, Wait, "the bot's answer in the thread");
        await Task.Delay(500);

        var messages = bot.Emulator.MessagesIn(posted.ThreadId!);
        Assert.Equal(2, messages.Count);
        Assert.Contains("no paper of the week to discuss", messages[1]["content"]!.GetValue<string>());
        Assert.Equal(messages[0]["id"]!.GetValue<string>(), messages[1]["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Equal("Alice N.", bot.Get<IMemberStore>().Find(GroupA.Id, Alice.Id)!.DisplayName);
    }

    [Fact]
    public async Task Messages_outside_bot_threads_and_from_bots_are_ignored()
    {
        await using var bot = await StartAsync(settings: WithContent());

        await bot.Emulator.SendUserMessageAsync(ChannelA, Alice, "just chatting");
        await bot.Emulator.SendUserMessageAsync(ChannelA, Alice with { Id = "1000000000000000077", Bot = true }, "another bot");
        await Task.Delay(1000);

        Assert.Equal(2, bot.Emulator.MessagesIn(ChannelA).Count);
        Assert.Empty(bot.Emulator.Recorder.To("POST", "POST channels/{channel}/messages"));
    }

    [Fact]
    public async Task Without_message_content_thread_messages_are_not_read()
    {
        await using var bot = await StartAsync(settings: WithContent(false));
        var posted = await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new TextReply("Discuss here"), ThreadTitle: "Discussion"), CancellationToken.None);
        bot.Get<IThreadLinkStore>().Save(new ThreadLink(GroupA.Id, posted.ThreadId!, ThreadPurpose.Discussion, "week 48", DateTimeOffset.UtcNow));

        await bot.Emulator.SendUserMessageAsync(posted.ThreadId!, Alice, "a note nobody reads");
        await Task.Delay(1000);

        Assert.Single(bot.Emulator.MessagesIn(posted.ThreadId!));
        var help = await bot.Emulator.SendCommandAsync(GuildA, posted.ThreadId!, Alice, "discuss", null, ("text", "slash commands still work"));
        Assert.Contains("no paper of the week to discuss", await help.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task Removal_from_a_server_deletes_its_data_but_an_outage_does_not()
    {
        await using var bot = await StartAsync();
        foreach (var guild in new[] { (GuildA, ChannelA), (GuildB, ChannelB) })
        {
            var add = await bot.Emulator.SendCommandAsync(guild.Item1, guild.Item2, Alice, "paper", "add", ("ref", "1706.03762"), ("title", "Attention"));
            await add.WaitForReplyAsync(Wait);
        }

        var library = bot.Get<ILibraryStore>();
        var groupB = new GroupAddress(Platforms.Discord, GuildB).Id;

        await bot.Emulator.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = GuildA, ["unavailable"] = true });
        await Task.Delay(500);
        Assert.Equal(1, library.Count(GroupA.Id));

        await bot.Emulator.DispatchAsync("GUILD_DELETE", new JsonObject { ["id"] = GuildA });
        await DiscordEmulator.WaitUntilAsync(() => library.Count(GroupA.Id) == 0, Wait, "guild A's data to be removed");

        Assert.Null(bot.Get<IGroupStore>().Find(GroupA.Id));
        Assert.Equal(1, library.Count(groupB));
    }
}
