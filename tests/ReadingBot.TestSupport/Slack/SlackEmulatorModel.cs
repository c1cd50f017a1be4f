using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ReadingBot.TestSupport.Slack;

/// <summary>How the emulator delivers events (and slash commands) to the bot.</summary>
public enum SlackDeliveryMode
{
    Socket,
    Http,
}

/// <summary>Knobs of the emulator; every Slack timing is configurable so tests run fast.</summary>
/// <summary>How the emulator spreads envelopes over an app's open sockets.</summary>
public enum SocketSpread
{
    /// <summary>A seeded random pick (<see cref="SlackEmulatorOptions.Seed"/>).</summary>
    Random,

    /// <summary>Each open socket in turn.</summary>
    RoundRobin,
}

public sealed class SlackEmulatorOptions
{
    public TimeProvider Time { get; set; } = TimeProvider.System;
    public SlackDeliveryMode Delivery { get; set; } = SlackDeliveryMode.Socket;

    /// <summary>Socket Mode: an envelope not acked within this is redelivered (Slack: 3 s).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public int MaxRedeliveries { get; set; } = 3;

    /// <summary>Redeliver under the same envelope_id (Slack sometimes does) instead of a new one.</summary>
    public bool SameEnvelopeIdOnRetry { get; set; }

    public int ApproximateConnectionTimeSeconds { get; set; } = 3600;

    /// <summary>Server WebSocket pings (Slack pings; Node's client expects one within 30 s). Zero turns them off.</summary>
    public TimeSpan ServerPingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Slack's limit: an app may hold 10 Socket Mode connections at once (across all its processes); one more is told too_many_websockets.</summary>
    public int MaxSocketsPerApp { get; set; } = 10;

    /// <summary>How an envelope picks one of the app's open sockets (Slack sends each to one of them).</summary>
    public SocketSpread Spread { get; set; } = SocketSpread.Random;

    /// <summary>Seed of <see cref="SocketSpread.Random"/>, so a run's choices can be repeated.</summary>
    public int Seed { get; set; } = 16;

    /// <summary>A redelivery after a missed ack goes to another open socket when there is one (another client's first).</summary>
    public bool RetryOnAnotherSocket { get; set; } = true;

    /// <summary>
    /// Acks this answers true for are lost on the way (the delivery and the socket it came on are given): Slack never
    /// sees them, so it redelivers after <see cref="AckTimeout"/>, as it does when a process dies before its ack.
    /// </summary>
    public Func<SlackDelivery, EmulatedSocket, bool>? LoseAck { get; set; }
    public TimeSpan TriggerLifetime { get; set; } = TimeSpan.FromSeconds(3);
    public int ResponseUrlUses { get; set; } = 5;
    public TimeSpan ResponseUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>chat.postMessage/chat.update per channel: about one a second.</summary>
    public TimeSpan ChannelPostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Network jitter forgiven when judging the per-channel interval.</summary>
    public TimeSpan RateTolerance { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Answer 429 to posts faster than <see cref="ChannelPostInterval"/> (always recorded as violations).</summary>
    public bool EnforceChannelRate { get; set; } = true;

    /// <summary>Requests per minute per method and workspace (Slack's tiers; the + in "Tier 1: 1+" allows bursts).</summary>
    public Dictionary<string, int> MethodLimitsPerMinute { get; } = new(StringComparer.Ordinal)
    {
        ["apps.connections.open"] = 60,
        ["auth.test"] = 600,
        ["chat.postMessage"] = 600,
        ["chat.postEphemeral"] = 100,
        ["chat.update"] = 50,
        ["conversations.replies"] = 50,
        ["conversations.history"] = 50,
        ["conversations.open"] = 50,
        ["users.info"] = 100,
        ["views.open"] = 100,
    };

    public bool EchoBotMessages { get; set; } = true;

    /// <summary>HTTP mode: the bot's base URL (its /slack/events, /slack/commands, /slack/interactivity).</summary>
    public Uri? HttpTarget { get; set; }

    public TimeSpan HttpAckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// HTTP mode: this many next event deliveries count as timed out whatever the bot answered (the answer was
    /// "lost"), so Slack retries an event the bot already handled, deterministically.
    /// </summary>
    public int LoseNextHttpAnswers { get; set; }

    /// <summary>Slack retries immediately, after 1 minute and after 5 minutes.</summary>
    public TimeSpan[] HttpRetryDelays { get; set; } = [TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];
}

public sealed class EmulatedUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool IsAdmin { get; init; }
    public bool IsOwner { get; init; }

    /// <summary>A deactivated account: conversations.open answers <c>user_disabled</c>, as Slack does.</summary>
    public bool Deleted { get; set; }
}

public sealed class EmulatedChannel
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool BotIsMember { get; set; } = true;

    /// <summary>A direct-message channel between the bot and one member (opened with conversations.open).</summary>
    public bool IsIm { get; init; }
    public List<StoredMessage> Messages { get; } = [];
}

public sealed class EmulatedTeam
{
    public required string Id { get; init; }
    public required string Domain { get; init; }

    /// <summary>The workspace's name, as auth.test's <c>team</c> gives it (its domain when unset).</summary>
    public string? Name { get; init; }
    public required string BotToken { get; init; }
    public string BotUserId { get; init; } = "U0BOT";
    public string BotId { get; init; } = "B0BOT";
    public bool TokenRevoked { get; set; }

    /// <summary>A workspace admin turned file uploads off: files.getUploadURLExternal answers file_uploads_disabled.</summary>
    public bool FileUploadsDisabled { get; set; }
    public ConcurrentDictionary<string, EmulatedUser> Users { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, EmulatedChannel> Channels { get; } = new(StringComparer.Ordinal);
}

/// <summary>A message in a channel (parents and thread replies alike).</summary>
public sealed class StoredMessage
{
    public required string Ts { get; init; }
    public string? ThreadTs { get; init; }
    public required string Channel { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string Text { get; set; } = "";
    public JsonArray? Blocks { get; set; }
    public int ReplyCount { get; set; }
    public string? LatestReply { get; set; }
    public List<string> ReplyUsers { get; } = [];

    /// <summary>Files this message shares (files.completeUploadExternal).</summary>
    public List<string> FileIds { get; } = [];

    /// <summary>The message metadata it was posted with ({event_type, event_payload}); read back only with include_all_metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Everything a person could read in it: the text and every string inside the blocks.</summary>
    public string AllText => Text + "\n" + SlackJson.Strings(Blocks);

    public JsonObject ToJson(bool withMetadata = false)
    {
        var json = new JsonObject { ["type"] = "message", ["ts"] = Ts, ["text"] = Text };
        if (withMetadata && Metadata is not null)
        {
            json["metadata"] = Metadata.DeepClone();
        }

        if (User is not null)
        {
            json["user"] = User;
        }

        if (BotId is not null)
        {
            json["bot_id"] = BotId;
        }

        if (ThreadTs is not null)
        {
            json["thread_ts"] = ThreadTs;
        }

        if (Blocks is not null)
        {
            json["blocks"] = Blocks.DeepClone();
        }

        if (ReplyCount > 0)
        {
            json["reply_count"] = ReplyCount;
            json["latest_reply"] = LatestReply;
            json["reply_users"] = new JsonArray([.. ReplyUsers.Select(u => (JsonNode)u)]);
        }

        return json;
    }
}

/// <summary>An ephemeral message: only <see cref="User"/> sees it.</summary>
public sealed record EphemeralMessage(string Channel, string User, string Text, JsonArray? Blocks, string? ThreadTs, DateTimeOffset At)
{
    public string AllText => Text + "\n" + SlackJson.Strings(Blocks);
}

/// <summary>Reads JSON the way a person reads a message: every string value, unescaped, one per line.</summary>
public static class SlackJson
{
    public static string Strings(JsonNode? node)
    {
        var parts = new List<string>();
        Collect(node, parts);
        return string.Join("\n", parts);
    }

    private static void Collect(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Collect(value, parts);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, parts);
                }

                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                parts.Add(value.GetValue<string>());
                break;
        }
    }
}

/// <summary>One Web API request as the emulator saw it.</summary>
public sealed record ApiCall(string Method, DateTimeOffset At, JsonObject Args, int Status, string? Error, string? TeamId);

/// <summary>One ack frame.</summary>
public sealed record AckRecord(string EnvelopeId, int SocketId, DateTimeOffset At, JsonObject? Payload, bool Late);

/// <summary>One send of an envelope (the first, or a redelivery).</summary>
public sealed record DeliveryAttempt(string EnvelopeId, int SocketId, int RetryAttempt, DateTimeOffset At);

/// <summary>One HTTP post of a delivery to the bot (HTTP mode).</summary>
public sealed record HttpAttempt(int RetryNum, int Status, TimeSpan Elapsed, bool NoRetryHeader, string Body);

/// <summary>
/// Something Slack sent to the bot: an envelope in Socket Mode, or a request in HTTP mode, with what came back
/// (acks, ack payloads, response_url posts).
/// </summary>
public sealed class SlackDelivery
{
    private readonly TaskCompletionSource<AckRecord> acked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<JsonObject> responded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<JsonObject> responses = [];
    private readonly List<DeliveryAttempt> attempts = [];
    private readonly List<HttpAttempt> httpAttempts = [];
    private readonly List<AckRecord> acks = [];
    private readonly List<AckRecord> lostAcks = [];

    public required string Type { get; init; }
    public required JsonObject Payload { get; init; }
    public bool AcceptsResponsePayload { get; init; }
    public string? EventId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int RetryAttempt { get; set; }
    internal string CurrentEnvelopeId { get; set; } = "";

    public IReadOnlyList<DeliveryAttempt> Attempts { get { lock (attempts) { return [.. attempts]; } } }
    public IReadOnlyList<HttpAttempt> HttpAttempts { get { lock (httpAttempts) { return [.. httpAttempts]; } } }
    public IReadOnlyList<AckRecord> Acks { get { lock (acks) { return [.. acks]; } } }

    /// <summary>Acks the bot sent that <see cref="SlackEmulatorOptions.LoseAck"/> threw away.</summary>
    public IReadOnlyList<AckRecord> LostAcks { get { lock (acks) { return [.. lostAcks]; } } }
    public IReadOnlyList<JsonObject> Responses { get { lock (responses) { return [.. responses]; } } }
    public bool IsAcked => acked.Task.IsCompleted;

    /// <summary>Completes with the first ack (Socket Mode) or the first 2xx (HTTP mode).</summary>
    public Task<AckRecord> Acked => acked.Task;

    /// <summary>Completes when Slack stops trying (acked, or out of retries).</summary>
    public Task Finished => finished.Task;

    public async Task<AckRecord> WaitForAckAsync(TimeSpan? timeout = null) => await acked.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Waits for the first visible answer: an ack payload with a message, or a response_url post.</summary>
    public async Task<JsonObject> WaitForResponseAsync(TimeSpan? timeout = null) => await responded.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    internal void AddAttempt(DeliveryAttempt attempt) { lock (attempts) { attempts.Add(attempt); } }

    internal void AddHttpAttempt(HttpAttempt attempt) { lock (httpAttempts) { httpAttempts.Add(attempt); } }

    internal void AddAck(AckRecord ack)
    {
        lock (acks)
        {
            acks.Add(ack);
        }

        acked.TrySetResult(ack);
    }

    internal void AddLostAck(AckRecord ack)
    {
        lock (acks)
        {
            lostAcks.Add(ack);
        }
    }

    internal void AddResponse(JsonObject response)
    {
        lock (responses)
        {
            responses.Add(response);
        }

        responded.TrySetResult(response);
    }

    internal void Finish() => finished.TrySetResult();
}
