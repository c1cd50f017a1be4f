using System.Text.Json.Nodes;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>At-least-once delivery in, exactly one effect out: dedupe by event_id and envelope_id in LiteDB, across restarts.</summary>
public sealed class DeliveryDedupeTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "readingbot-slack-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static JsonObject ThreadMessage(StoredMessage message, string parentTs) => new()
    {
        ["type"] = "message",
        ["channel"] = SlackEmulator.GeneralChannel,
        ["user"] = SlackEmulator.Alice,
        ["text"] = message.Text,
        ["ts"] = message.Ts,
        ["thread_ts"] = parentTs,
        ["event_ts"] = message.Ts,
        ["channel_type"] = "channel",
    };

    private static int Skipped(SlackTestBot bot) => bot.Logs.Lines.Count(l => l.Contains("Skipping a repeated Slack delivery", StringComparison.Ordinal));

    [Fact]
    public async Task An_event_delivered_four_times_across_a_restart_has_exactly_one_effect()
    {
        var db = ReadingBotDatabase.OpenFile(directory);
        var first = await SlackTestBot.StartAsync(emulator, database: db);
        var socket = (await emulator.WaitForOpenSocketsAsync()).Single();
        var (_, parentTs) = await Threads.OpenDiscussionAsync(first);
        var message = emulator.AddUserMessage(SlackEmulator.GeneralChannel, SlackEmulator.Alice, "a note", parentTs);
        var ev = ThreadMessage(message, parentTs);

        var d1 = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, (JsonObject)ev.DeepClone(), "EvRESTART");
        await d1.WaitForAckAsync();
        await Eventually.TrueAsync(() => emulator.CallsTo("chat.postEphemeral").Count == 1, "the first delivery was answered");
        var d2 = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, (JsonObject)ev.DeepClone(), "EvRESTART", retryAttempt: 1, retryReason: "timeout");
        await d2.WaitForAckAsync();
        await Eventually.TrueAsync(() => Skipped(first) == 1, "the retry was recognised");

        await first.DisposeAsync();
        db.Dispose();
        db = ReadingBotDatabase.OpenFile(directory);
        await using var second = await SlackTestBot.StartAsync(emulator, database: db);
        await emulator.WaitForNewSocketAsync(socket);
        var d3 = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, (JsonObject)ev.DeepClone(), "EvRESTART", retryAttempt: 2, retryReason: "timeout");
        var d4 = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, (JsonObject)ev.DeepClone(), "EvRESTART", retryAttempt: 3, retryReason: "timeout");
        await d3.WaitForAckAsync();
        await d4.WaitForAckAsync();
        await Eventually.TrueAsync(() => Skipped(second) == 2, "both retries after the restart were recognised");

        Assert.Single(emulator.CallsTo("chat.postEphemeral"));
        await second.DisposeAsync();
        db.Dispose();
    }

    [Fact]
    public async Task An_event_first_seen_as_a_retry_is_still_processed()
    {
        await using var bot = await SlackTestBot.StartAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);
        var message = emulator.AddUserMessage(SlackEmulator.GeneralChannel, SlackEmulator.Alice, "sent while the bot was down", parentTs);

        var delivery = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, ThreadMessage(message, parentTs), retryAttempt: 2, retryReason: "timeout");
        await delivery.WaitForAckAsync();

        await Eventually.TrueAsync(() => emulator.CallsTo("chat.postEphemeral").Count == 1, "the retried event was answered");
        Assert.Equal(0, Skipped(bot));
    }

    [Fact]
    public async Task The_same_envelope_id_delivered_twice_runs_its_command_once()
    {
        await using var bot = await SlackTestBot.StartAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();

        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");
        await delivery.WaitForResponseAsync();
        await emulator.RedeliverSameEnvelopeAsync(delivery);
        await Eventually.TrueAsync(() => delivery.Acks.Count == 2, "the duplicate was acked too");
        await Eventually.TrueAsync(() => Skipped(bot) == 1, "the duplicate was recognised");
        var listed = await emulator.SlashCommandAsync("paper list");

        Assert.Contains("Library (1 paper)", (await listed.WaitForResponseAsync())["text"]!.ToString());
        Assert.Single(delivery.Responses);
    }

    [Fact]
    public async Task A_signed_http_slash_command_replayed_after_a_restart_does_nothing()
    {
        await using var http = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Delivery = SlackDeliveryMode.Http });
        var body = System.Text.Encoding.UTF8.GetBytes($"team_id={SlackEmulator.DefaultTeam}&channel_id={SlackEmulator.GeneralChannel}&user_id={SlackEmulator.Alice}&command=%2Freading&text=paper%20add%201706.03762");
        var timestamp = http.Timestamp();
        var signature = http.Sign(timestamp, body);
        var db = ReadingBotDatabase.OpenFile(directory);
        var first = await SlackTestBot.StartAsync(http, database: db, mode: "Http");
        http.Options.HttpTarget = first.BaseUri;
        var (status1, text1, r1) = await http.PostToBotAsync("slack/commands", body, "application/x-www-form-urlencoded", timestamp, signature);
        r1.Dispose();
        await first.DisposeAsync();
        db.Dispose();

        db = ReadingBotDatabase.OpenFile(directory);
        await using var second = await SlackTestBot.StartAsync(http, database: db, mode: "Http");
        http.Options.HttpTarget = second.BaseUri;
        var (status2, text2, r2) = await http.PostToBotAsync("slack/commands", body, "application/x-www-form-urlencoded", timestamp, signature);
        r2.Dispose();

        Assert.Equal(200, status1);
        Assert.Contains("Added #1", text1);
        Assert.Equal((200, ""), (status2, text2));
        Assert.Equal(0, second.Processor.Processed);
        await second.DisposeAsync();
        db.Dispose();
    }

    [Fact]
    public async Task Unacked_envelopes_are_redelivered_with_retry_attempt_and_reason()
    {
        emulator.Options.AckTimeout = TimeSpan.FromMilliseconds(300);
        emulator.Options.MaxRedeliveries = 2;
        using var raw = await RawSocket.OpenAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();

        var delivery = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject { ["type"] = "app_mention", ["text"] = "hi" });
        await delivery.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        var frames = new List<JsonObject>();
        while (frames.Count < 4)
        {
            frames.Add(await RawSocket.ReceiveAsync(raw));
        }

        var envelopes = frames.Where(f => f["type"]!.ToString() == "events_api").ToList();
        Assert.Equal([0, 1, 2], envelopes.Select(e => e["retry_attempt"]!.GetValue<int>()));
        Assert.Equal(["", "timeout", "timeout"], envelopes.Select(e => e["retry_reason"]!.ToString()));
        Assert.Single(envelopes.Select(e => e["payload"]!["event_id"]!.ToString()).Distinct());
        raw.Abort();
    }
}

/// <summary>A bare Socket Mode client for emulator tests: no acks unless the test sends them.</summary>
internal static class RawSocket
{
    public static async Task<System.Net.WebSockets.ClientWebSocket> OpenAsync(SlackEmulator emulator)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.ApiBaseUrl + "apps.connections.open")) { Content = new FormUrlEncodedContent([]) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", emulator.AppToken);
        using var response = await http.SendAsync(request);
        var url = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.ToString();
        var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        return socket;
    }

    public static async Task<JsonObject> ReceiveAsync(System.Net.WebSockets.ClientWebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[256 * 1024];
        var count = 0;
        System.Net.WebSockets.ValueWebSocketReceiveResult r;
        do
        {
            r = await socket.ReceiveAsync(buffer.AsMemory(count), cts.Token);
            count += r.Count;
        }
        while (!r.EndOfMessage);

        return JsonNode.Parse(buffer.AsSpan(0, count))!.AsObject();
    }
}
