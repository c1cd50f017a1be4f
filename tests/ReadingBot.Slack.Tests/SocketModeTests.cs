using System.Text.Json.Nodes;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Socket Mode behaviour against the emulator: acks, overlap on refresh, every disconnect reason, dead sockets.</summary>
public sealed class SocketModeTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot? bot;

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (bot is not null)
        {
            await bot.DisposeAsync();
        }

        await emulator.DisposeAsync();
    }

    private async Task<SlackTestBot> StartBotAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        bot = await SlackTestBot.StartAsync(emulator, configure);
        return bot;
    }

    [Fact]
    public async Task Events_are_acked_before_their_work_starts_and_within_the_deadline()
    {
        var b = await StartBotAsync();
        await emulator.WaitForOpenSocketsAsync();
        var (_, parentTs) = await Threads.OpenDiscussionAsync(b);

        // Each answer takes a second to come back. The emulator stamps an ack when its socket reader gets to it and an
        // API call when the request arrives, on two channels, so on a busy machine an ack sent first may be stamped a
        // little after the answer that followed it. A bot that acked only after its work would ack after the answer's
        // response, a second or more after the answer's stamp; an ack sent before the work comes well inside it.
        var answerTakes = TimeSpan.FromSeconds(1);
        emulator.InjectFault("chat.postEphemeral", SlackFault.Slow(answerTakes), times: 5);
        var deliveries = new List<SlackDelivery>();
        for (var i = 0; i < 5; i++)
        {
            deliveries.Add((await emulator.UserMessageAsync($"note {i}", parentTs)).Delivery);
        }

        await Eventually.TrueAsync(() => emulator.CallsTo("chat.postEphemeral").Count == 5, "every thread message was answered");
        var answers = emulator.CallsTo("chat.postEphemeral").OrderBy(c => c.At).ToList();
        var acks = new List<AckRecord>();
        foreach (var delivery in deliveries)
        {
            var ack = await delivery.WaitForAckAsync();
            Assert.False(ack.Late);
            Assert.Null(ack.Payload);
            acks.Add(ack);
        }

        // The messages go out one after another, so the first answer may come before the last message is even sent.
        // If every ack precedes its own answer's response, the k-th ack in time precedes the k-th answer's response.
        acks.Sort((x, y) => x.At.CompareTo(y.At));
        for (var k = 0; k < acks.Count; k++)
        {
            Assert.True(acks[k].At < answers[k].At + answerTakes, $"ack {k + 1} of 5 came {(acks[k].At - answers[k].At).TotalMilliseconds:0} ms after answer {k + 1} began: an event's work ran before its ack");
        }

        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task Slow_commands_never_hold_up_the_acks_of_other_envelopes()
    {
        var b = await StartBotAsync(s => s["Slack:Workers"] = "1");
        await emulator.WaitForOpenSocketsAsync();
        var (_, parentTs) = await Threads.OpenDiscussionAsync(b);
        b.Metadata.Delay = TimeSpan.FromSeconds(4);

        var slow = await emulator.SlashCommandAsync("paper add 1706.03762");
        await Task.Delay(100);
        var quick = new List<SlackDelivery>();
        for (var i = 0; i < 3; i++)
        {
            quick.Add((await emulator.UserMessageAsync($"note {i}", parentTs)).Delivery);
        }

        foreach (var delivery in quick)
        {
            var ack = await delivery.WaitForAckAsync();
            Assert.True(ack.At - delivery.CreatedAt < TimeSpan.FromSeconds(2), "an event waited for the busy worker before being acked");
        }

        var slowAck = await slow.WaitForAckAsync();
        Assert.False(slowAck.Late);
        Assert.Contains("Added #1", (await slow.WaitForResponseAsync(TimeSpan.FromSeconds(60)))["text"]!.ToString());
        Assert.Empty(emulator.Violations);
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task A_refresh_opens_the_new_socket_first_and_loses_no_envelope(string reason)
    {
        await StartBotAsync();
        var old = (await emulator.WaitForOpenSocketsAsync()).Single();

        await emulator.DisconnectAsync(old, reason, TimeSpan.FromSeconds(2));
        var onOld = await emulator.SlashCommandAsync("help", on: old);
        var fresh = await emulator.WaitForNewSocketAsync(old);
        var onNew = await emulator.SlashCommandAsync("help", on: fresh);

        Assert.Null(old.ClosedAt);
        Assert.Equal(old.Id, (await onOld.WaitForAckAsync()).SocketId);
        Assert.Equal(fresh.Id, (await onNew.WaitForAckAsync()).SocketId);
        await onOld.WaitForResponseAsync();
        await onNew.WaitForResponseAsync();
        await Eventually.TrueAsync(() => old.ClosedAt is not null, "the old socket closed after its grace");
        Assert.Single(onOld.Attempts);
        Assert.Single(onNew.Attempts);
        Assert.Empty(emulator.RejectedTickets);
        Assert.Empty(emulator.Violations);
        Assert.True(bot!.State.IsConnected);
    }

    [Fact]
    public async Task Link_disabled_stops_the_adapter_without_reconnecting()
    {
        await StartBotAsync();
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        await emulator.DisconnectAsync(socket, "link_disabled", TimeSpan.FromMilliseconds(200));
        await Eventually.TrueAsync(() => bot!.State.FatalProblem is not null, "the adapter gave up");
        await Task.Delay(1500);

        Assert.Single(emulator.CallsTo("apps.connections.open"));
        Assert.False(bot!.State.IsConnected);
        Assert.Contains("link_disabled", bot.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_websockets_backs_off_instead_of_hot_looping()
    {
        emulator.Options.MaxSocketsPerApp = 0;
        await StartBotAsync(s => s["Slack:TooManyWebSocketsBackoffSeconds"] = "1");

        await Task.Delay(2500);
        var attempts = emulator.CallsTo("apps.connections.open").Count;
        emulator.Options.MaxSocketsPerApp = 10;
        await emulator.WaitForOpenSocketsAsync();

        Assert.InRange(attempts, 1, 5);
        Assert.Contains(emulator.Sockets, s => s.DisconnectSent);
    }

    [Fact]
    public async Task A_half_open_socket_is_detected_and_its_envelope_redelivered_once()
    {
        emulator.Options.AckTimeout = TimeSpan.FromSeconds(2);
        await StartBotAsync();
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        emulator.MakeHalfOpen(socket);
        var delivery = await emulator.SlashCommandAsync("help", on: socket);
        var fresh = await emulator.WaitForNewSocketAsync(socket, TimeSpan.FromSeconds(30));
        var ack = await delivery.WaitForAckAsync(TimeSpan.FromSeconds(30));

        Assert.True(fresh.Id == ack.SocketId, $"acked on #{ack.SocketId}, fresh #{fresh.Id}, half-open #{socket.Id}; attempts: {string.Join(", ", delivery.Attempts)}; sockets: {string.Join(", ", emulator.Sockets.Select(s => $"#{s.Id} {s.OpenedAt:ss.fff}-{s.ClosedAt:ss.fff}"))}");
        Assert.True(delivery.Attempts.Count >= 2);
        Assert.Contains("ReadingBot commands", (await delivery.WaitForResponseAsync())["text"]!.ToString());
        Assert.Equal(1, bot!.Processor.Processed);
    }

    [Fact]
    public async Task A_dropped_socket_is_replaced_through_a_fresh_single_use_url()
    {
        await StartBotAsync();
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        emulator.Drop(socket);
        var fresh = await emulator.WaitForNewSocketAsync(socket);
        var delivery = await emulator.SlashCommandAsync("help", on: fresh);
        await delivery.WaitForResponseAsync();

        Assert.Equal(2, emulator.CallsTo("apps.connections.open").Count);
        Assert.Empty(emulator.RejectedTickets);
    }

    [Fact]
    public async Task A_close_without_disconnect_message_reconnects()
    {
        await StartBotAsync();
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        await emulator.CloseAsync(socket);
        var fresh = await emulator.WaitForNewSocketAsync(socket);

        Assert.NotEqual(socket.Id, fresh.Id);
    }

    [Fact]
    public async Task Unknown_frames_and_binary_frames_are_ignored()
    {
        await StartBotAsync();
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        await emulator.SendTextFrameAsync(socket, new JsonObject { ["type"] = "something_new", ["x"] = 1 }.ToJsonString());
        await emulator.SendTextFrameAsync(socket, "this is not json");
        await emulator.SendBinaryFrameAsync(socket, [1, 2, 3]);
        var delivery = await emulator.SlashCommandAsync("help", on: socket);

        await delivery.WaitForResponseAsync();
        Assert.Single(emulator.Sockets);
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task The_frame_watchdog_replaces_a_silent_connection_without_a_gap()
    {
        await StartBotAsync(s => s["Slack:IdleRefreshSeconds"] = "1");
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();

        var fresh = await emulator.WaitForNewSocketAsync(socket, TimeSpan.FromSeconds(20));

        Assert.True(fresh.OpenedAt <= (socket.ClosedAt ?? DateTimeOffset.MaxValue), "the old socket closed before the new one opened");
    }

    [Fact]
    public async Task A_rejected_app_token_stops_socket_mode_with_a_clear_message()
    {
        await StartBotAsync(s => s["Slack:AppToken"] = "xapp-1-wrong");
        await Eventually.TrueAsync(() => bot!.State.FatalProblem is not null, "the adapter gave up");
        await Task.Delay(500);

        Assert.Single(emulator.CallsTo("apps.connections.open"));
        Assert.Contains("Slack:AppToken", bot!.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("xapp-1-wrong", bot.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_bot_token_fails_the_start_naming_the_key_and_never_the_token()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            SlackTestBot.StartAsync(emulator, s => s["Slack:BotToken"] = "xoxb-not-the-real-one"));

        Assert.Contains("Slack:BotToken", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_auth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-not-the-real-one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_secret_is_ever_logged()
    {
        var b = await StartBotAsync(s => s["Slack:InlineReplySeconds"] = "0");
        await emulator.WaitForOpenSocketsAsync();
        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");
        await delivery.WaitForResponseAsync();
        Assert.Null(delivery.Acks.Single().Payload);

        var logs = b.Logs.Text;
        Assert.DoesNotContain(emulator.Team().BotToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.AppToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.SigningSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(delivery.Payload["response_url"]!.ToString(), logs, StringComparison.Ordinal);
        Assert.DoesNotContain("ticket=", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_leaves_envelopes_unacked_so_slack_redelivers_them()
    {
        // Two seconds leave the bot's ack (sent 0.2 s after a slot is found) a wide margin on a loaded machine, while
        // the first redelivery comes after the busy command (1.5 s) has made room in the queue.
        emulator.Options.AckTimeout = TimeSpan.FromSeconds(2);
        var b = await StartBotAsync(s =>
        {
            s["Slack:Workers"] = "1";
            s["Slack:QueueCapacity"] = "1";
            s["Slack:InlineReplySeconds"] = "0.2";
        });
        await emulator.WaitForOpenSocketsAsync();
        b.Metadata.Delay = TimeSpan.FromSeconds(1.5);

        var busy = await emulator.SlashCommandAsync("paper add 1706.03762");
        await busy.WaitForAckAsync();
        var queued = await emulator.SlashCommandAsync("paper add 2101.00001");
        await Task.Delay(100);
        var refused = await emulator.SlashCommandAsync("help");

        var answers = await Task.WhenAll(busy.WaitForResponseAsync(), queued.WaitForResponseAsync(), refused.WaitForResponseAsync());

        Assert.True(refused.Attempts.Count >= 2, "the envelope that found the queue full was not redelivered");
        var first = refused.Attempts[0].EnvelopeId;
        Assert.DoesNotContain(refused.Acks, a => a.EnvelopeId == first);
        Assert.Contains(refused.Acks, a => refused.Attempts.Skip(1).Any(r => r.EnvelopeId == a.EnvelopeId));
        Assert.Contains("ReadingBot commands", SlackJson.Strings(answers[2]));
    }

    [Fact]
    public async Task Failing_connection_opens_are_retried_with_backoff_until_one_works()
    {
        emulator.InjectFault("apps.connections.open", SlackFault.ServerError(503), times: 6);

        await StartBotAsync();
        await emulator.WaitForOpenSocketsAsync();

        Assert.Equal(7, emulator.CallsTo("apps.connections.open").Count);
        Assert.Contains("apps.connections.open failed (http_503)", bot!.Logs.Text, StringComparison.Ordinal);
    }
}
