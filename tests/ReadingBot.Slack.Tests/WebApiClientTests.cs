using System.Text.Json.Nodes;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Web;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>The Web API client against the emulator: error mapping, 429 and 5xx handling, and Slack's rate limits kept.</summary>
public sealed class WebApiClientTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private SlackWebApi Api => bot.Get<SlackWebApi>();

    private static JsonObject Message(string channel, string text) => new() { ["channel"] = channel, ["text"] = text };

    [Fact]
    public async Task Auth_test_reports_the_bot_identity()
    {
        var me = await Api.AuthTestAsync(CancellationToken.None);

        Assert.Equal(SlackEmulator.DefaultTeam, me.TeamId);
        Assert.Equal("U0BOT", me.UserId);
        Assert.Equal("B0BOT", me.BotId);
    }

    [Fact]
    public async Task Ok_false_becomes_a_clear_failure()
    {
        var error = await Assert.ThrowsAsync<SlackApiException>(() => Api.PostMessageAsync(Message("C0NOPE", "hi"), CancellationToken.None));

        Assert.Equal("channel_not_found", error.Error);
        Assert.Equal("chat.postMessage", error.Method);
    }

    [Fact]
    public async Task A_429_is_retried_after_retry_after()
    {
        emulator.InjectFault("users.info", SlackFault.RateLimited(1));
        var started = DateTime.UtcNow;

        var r = await Api.UserInfoAsync(SlackEmulator.Alice, CancellationToken.None);

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
        Assert.Equal(SlackEmulator.Alice, r["user"]!["id"]!.ToString());
        Assert.Equal(2, emulator.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        emulator.InjectFault("users.info", SlackFault.ServerError(503), times: 20);

        var error = await Assert.ThrowsAsync<SlackApiException>(() => Api.UserInfoAsync(SlackEmulator.Alice, CancellationToken.None));

        Assert.Equal("http_503", error.Error);
        Assert.Equal(4, emulator.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task A_5xx_with_an_html_page_is_retried()
    {
        emulator.InjectFault("chat.postMessage", SlackFault.ServerError(500));

        var r = await Api.PostMessageAsync(Message(SlackEmulator.GeneralChannel, "hello"), CancellationToken.None);

        Assert.NotNull(r["ts"]);
        Assert.Single(emulator.MessagesIn(SlackEmulator.GeneralChannel));
    }

    [Fact]
    public async Task A_post_whose_connection_broke_is_not_repeated_blindly()
    {
        emulator.InjectFault("chat.postMessage", SlackFault.Reset());

        await Assert.ThrowsAsync<SlackApiException>(() => Api.PostMessageAsync(Message(SlackEmulator.GeneralChannel, "hello"), CancellationToken.None));

        Assert.Single(emulator.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task Posts_keep_to_one_a_second_per_channel_while_other_channels_go_on()
    {
        var outbound = bot.Get<SlackOutbound>();
        var started = DateTime.UtcNow;
        var posts = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            posts.Add(outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new TextReply($"general {i}")), CancellationToken.None));
            posts.Add(outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.QuietChannel, new TextReply($"quiet {i}")), CancellationToken.None));
        }

        await Task.WhenAll(posts);
        var took = DateTime.UtcNow - started;

        foreach (var channel in new[] { SlackEmulator.GeneralChannel, SlackEmulator.QuietChannel })
        {
            var times = emulator.PostTimes(channel);
            Assert.Equal(4, times.Count);
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(940), $"{channel}: posts {(pair.Second - pair.First).TotalMilliseconds:0} ms apart"));
        }

        Assert.True(emulator.Violations.Count == 0, string.Join("\n", emulator.Violations));
        // Four posts a channel take about 3.3 s; had one channel's limit held up the other, it would be over 7.7 s.
        Assert.True(took < TimeSpan.FromSeconds(6.5), $"eight posts to two channels took {took.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_ratelimited_channel_pauses_and_recovers()
    {
        emulator.InjectFault("chat.postMessage", SlackFault.RateLimited(1), channel: SlackEmulator.GeneralChannel);

        await bot.Get<SlackOutbound>().PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new TextReply("after the pause")), CancellationToken.None);

        Assert.Single(emulator.MessagesIn(SlackEmulator.GeneralChannel));
        Assert.Equal(2, emulator.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task Outbound_blocks_are_always_accepted_by_slack_limits()
    {
        var items = Enumerable.Range(1, 120).Select(i => new ListItem($"paper {i} <b>&", $"https://arxiv.org/abs/{i}", new ReplyButton("Vote", $"paper vote #{i}"))).ToList();
        var card = new Card(new string('T', 4000)) { Body = new string('x', 9000), Fields = Enumerable.Range(0, 14).Select(i => new CardField($"f{i}", new string('v', 2500))).ToList(), Buttons = Enumerable.Range(0, 30).Select(i => new ReplyButton(new string('L', 100), "help")).ToList() };

        await bot.Get<SlackOutbound>().PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new ListReply("Queue", items)), CancellationToken.None);
        await bot.Get<SlackOutbound>().PostAsync(new OutboundPost(Threads.Group, SlackEmulator.QuietChannel, new CardReply(card)), CancellationToken.None);

        Assert.All(emulator.CallsTo("chat.postMessage"), c => Assert.Null(c.Error));
    }
}
