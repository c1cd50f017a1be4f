using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Discord;

public sealed partial class DiscordEmulator
{
    private const int Privileged = (1 << 1) | (1 << 8) | (1 << 15);

    // Intent bits Discord defines (0–16, 20, 21, 24, 25); any other bit closes with 4013.
    private const int KnownIntents = 0x1FFFF | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25);

    private readonly ConcurrentDictionary<int, GatewayConnection> connections = new();
    private readonly ConcurrentDictionary<string, GatewaySession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> clientCloseCodes = new();
    private readonly ConcurrentQueue<int> serverCloseCodes = new();
    private readonly ConcurrentQueue<TimeSpan> firstHeartbeats = new();
    private readonly ConcurrentQueue<int> identifyIntents = new();
    private readonly Lock identifyGate = new();
    private readonly ConcurrentQueue<(int Shard, int Count)> identifiedShards = new();
    private readonly Dictionary<int, DateTimeOffset> lastIdentifyInBucket = [];

    // The live session of each shard id; one bot runs [0, 1] unless it shards.
    private readonly ConcurrentDictionary<int, GatewaySession> current = new();
    private int identifyRemaining;
    private int connectionCount;
    private int identifies;
    private int resumes;
    private int successfulResumes;
    private int resumesOnGatewayPath;
    private int heartbeatTimeouts;
    private int tokenResets;

    public int Identifies => Volatile.Read(ref identifies);
    public int Resumes => Volatile.Read(ref resumes);
    public int SuccessfulResumes => Volatile.Read(ref successfulResumes);
    public int ResumesOnGatewayPath => Volatile.Read(ref resumesOnGatewayPath);
    public int HeartbeatTimeouts => Volatile.Read(ref heartbeatTimeouts);

    /// <summary>How often the identify budget ran out: on Discord, each one resets the bot's token.</summary>
    public int TokenResets => Volatile.Read(ref tokenResets);
    public int Connections => Volatile.Read(ref connectionCount);
    public int LiveConnections => connections.Count;
    public int IdentifyRemaining => Volatile.Read(ref identifyRemaining);

    /// <summary>Close codes the client sent (-1: it went away without a close frame).</summary>
    public IReadOnlyList<int> ClientCloseCodes => [.. clientCloseCodes];
    public IReadOnlyList<int> ServerCloseCodes => [.. serverCloseCodes];

    /// <summary>Delay from Hello to the first heartbeat on each connection (Discord asks for a random jitter).</summary>
    public IReadOnlyList<TimeSpan> FirstHeartbeatDelays => [.. firstHeartbeats];

    /// <summary>The intents of every IDENTIFY received.</summary>
    public IReadOnlyList<int> IdentifyIntents => [.. identifyIntents];

    /// <summary>Stop answering heartbeats with op 11, so the client must detect a zombie connection.</summary>
    public bool WithholdAcks { get; set; }

    /// <summary>The next connection gets op 7 before Hello.</summary>
    public bool ReconnectBeforeHello { get; set; }

    /// <summary>Delay before Hello on new connections.</summary>
    public TimeSpan SlowHello { get => Options.SlowHello; set => Options.SlowHello = value; }

    /// <summary>True while every shard's session is READY (or RESUMED) on a live connection (and there is one).</summary>
    public bool IsSessionLive => !current.IsEmpty && current.Keys.All(IsShardLive);

    /// <summary>True while shard <paramref name="shardId"/>'s session is READY (or RESUMED) on a live connection.</summary>
    public bool IsShardLive(int shardId) => current.TryGetValue(shardId, out var s) && !s.Invalidated && s.Connection is { Ready: true, Closed: false };

    /// <summary>The [id, count] of every accepted IDENTIFY, in order.</summary>
    public IReadOnlyList<(int Shard, int Count)> IdentifiedShards => [.. identifiedShards];

    /// <summary>The shard that carries a server for <paramref name="count"/> shards (Discord's rule; DMs go to 0).</summary>
    public static int ShardOf(string? guildId, int count) => guildId is null ? 0 : (int)((ulong.Parse(guildId, System.Globalization.CultureInfo.InvariantCulture) >> 22) % (ulong)count);

    internal sealed class GatewaySession(string id, int intents, int shard, int shardCount)
    {
        public string Id { get; } = id;
        public int Intents { get; } = intents;
        public int Shard { get; } = shard;
        public int ShardCount { get; } = shardCount;
        public int Sequence { get; set; }
        public bool Invalidated { get; set; }
        public GatewayConnection? Connection { get; set; }
        public List<(int Seq, string Type, JsonObject Data)> Buffer { get; } = [];
        public Lock Gate { get; } = new();
    }

    internal sealed class GatewayConnection(int id, WebSocket socket, string path)
    {
        public int Id { get; } = id;
        public WebSocket Socket { get; } = socket;
        public string Path { get; } = path;
        public SemaphoreSlim Writer { get; } = new(1, 1);
        public GatewaySession? Session { get; set; }
        public bool Identified { get; set; }
        public volatile bool Ready;
        public volatile bool Closed;
        public volatile bool HalfOpen;
        public long HelloAt;
        public long LastHeartbeat;
        public bool SawHeartbeat;
        public volatile bool ServerClosed;
        public Queue<long> Sends { get; } = new();
    }

    private async Task GatewayAsync(HttpContext http, string path)
    {
        if (path is not ("/gateway" or "/resume"))
        {
            http.Response.StatusCode = 404;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new GatewayConnection(Interlocked.Increment(ref connectionCount), socket, path);
        connections[connection.Id] = connection;
        using var lifetime = new CancellationTokenSource();
        try
        {
            if (http.Request.Query["v"] != "10")
            {
                await CloseAsync(connection, 4012, "Invalid API version");
                return;
            }

            if (http.Request.Query["encoding"] != "json")
            {
                await CloseAsync(connection, 4002, "Decode error");
                return;
            }

            if (ReconnectBeforeHello)
            {
                ReconnectBeforeHello = false;
                await SendAsync(connection, new JsonObject { ["op"] = 7, ["d"] = null });
            }

            if (SlowHello > TimeSpan.Zero)
            {
                await Task.Delay(SlowHello);
            }

            connection.HelloAt = RateClock.GetTimestamp();
            connection.LastHeartbeat = connection.HelloAt;
            await SendAsync(connection, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = (int)Options.HeartbeatInterval.TotalMilliseconds } });
            _ = WatchHeartbeatsAsync(connection, lifetime.Token);
            await ReadAsync(connection);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            connection.Closed = true;
        }
        finally
        {
            connection.Closed = true;
            await lifetime.CancelAsync();
            connections.TryRemove(connection.Id, out _);
            if (socket.CloseStatus is { } status)
            {
                if (!connection.ServerClosed)
                {
                    clientCloseCodes.Enqueue((int)status);
                }

                // 1000/1001 from the client ends the session: it cannot be resumed.
                if (status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable && !connection.ServerClosed && connection.Session is { } ended)
                {
                    ended.Invalidated = true;
                }
            }
            else if (!connection.ServerClosed)
            {
                clientCloseCodes.Enqueue(-1);
            }
        }
    }

    private async Task ReadAsync(GatewayConnection connection)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (!connection.Closed)
        {
            var result = await connection.Socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // A half-open peer never answers, not even a close frame.
                if (connection.Socket.State == WebSocketState.CloseReceived && !connection.HalfOpen)
                {
                    try
                    {
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    catch (WebSocketException)
                    {
                    }
                }

                return;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > 4096)
            {
                await CloseAsync(connection, 4002, "Decode error: payload over 4096 bytes");
                return;
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            if (connection.HalfOpen)
            {
                continue;
            }

            if (!await HandleFrameAsync(connection, text))
            {
                return;
            }
        }
    }

    private async Task<bool> HandleFrameAsync(GatewayConnection connection, string text)
    {
        JsonObject frame;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject ?? throw new System.Text.Json.JsonException();
        }
        catch (System.Text.Json.JsonException)
        {
            await CloseAsync(connection, 4002, "Decode error");
            return false;
        }

        var op = frame["op"] is JsonValue o && o.TryGetValue<int>(out var n) ? n : -1;
        Recorder.Add(new RecordedFrame(RateClock.GetUtcNow(), connection.Id, true, op, null, op == 2 || op == 6 ? "(credentials)" : text));
        var now = RateClock.GetTimestamp();
        lock (connection.Sends)
        {
            while (connection.Sends.Count > 0 && RateClock.GetElapsedTime(connection.Sends.Peek()) > Options.GatewaySendWindow)
            {
                connection.Sends.Dequeue();
            }

            connection.Sends.Enqueue(now);
        }

        if (connection.Sends.Count > Options.GatewaySendLimit)
        {
            await CloseAsync(connection, 4008, "Rate limited");
            return false;
        }

        switch (op)
        {
            case 1:
                if (!connection.SawHeartbeat)
                {
                    connection.SawHeartbeat = true;
                    firstHeartbeats.Enqueue(RateClock.GetElapsedTime(connection.HelloAt));
                }

                connection.LastHeartbeat = now;
                if (!WithholdAcks)
                {
                    await SendAsync(connection, new JsonObject { ["op"] = 11 });
                }

                return true;
            case 2:
                return await IdentifyAsync(connection, frame["d"] as JsonObject);
            case 6:
                return await ResumeAsync(connection, frame["d"] as JsonObject);
            case 3 or 4 or 8 when connection.Identified:
                return true;
            case 3 or 4 or 8:
                await CloseAsync(connection, 4003, "Not authenticated");
                return false;
            default:
                await CloseAsync(connection, connection.Identified ? 4001 : 4003, connection.Identified ? "Unknown opcode" : "Not authenticated");
                return false;
        }
    }

    private async Task<bool> IdentifyAsync(GatewayConnection connection, JsonObject? d)
    {
        if (connection.Identified)
        {
            await CloseAsync(connection, 4005, "Already authenticated");
            return false;
        }

        if (d is null || d["properties"] is not JsonObject || d["intents"] is not JsonValue intentsValue || !intentsValue.TryGetValue<int>(out var intents))
        {
            await CloseAsync(connection, 4002, "Decode error");
            return false;
        }

        Interlocked.Increment(ref identifies);
        identifyIntents.Enqueue(intents);
        if (d["token"]?.GetValue<string>() != Options.Token)
        {
            await CloseAsync(connection, 4004, "Authentication failed");
            return false;
        }

        if (Interlocked.Decrement(ref identifyRemaining) < 0)
        {
            // What Discord does at 1000 identifies a day: the token is reset and every session ends.
            Interlocked.Increment(ref tokenResets);
            Options.Token = "reset-" + Guid.NewGuid().ToString("N");
            await CloseAsync(connection, 4004, "Authentication failed");
            return false;
        }

        if ((intents & ~KnownIntents) != 0)
        {
            await CloseAsync(connection, 4013, "Invalid intent(s)");
            return false;
        }

        if ((intents & Privileged & ~Options.EnabledPrivilegedIntents) != 0)
        {
            await CloseAsync(connection, 4014, "Disallowed intent(s)");
            return false;
        }

        // shard: [id, count], optional ([0, 1] without it); an id outside the count is 4010.
        var (shard, shardCount) = d["shard"] is JsonArray { Count: 2 } pair && pair[0] is JsonValue a && a.TryGetValue<int>(out var sid) && pair[1] is JsonValue b && b.TryGetValue<int>(out var scount)
            ? (sid, scount)
            : d["shard"] is null ? (0, 1) : (-1, 0);
        if (shardCount < 1 || shard < 0 || shard >= shardCount)
        {
            await CloseAsync(connection, 4010, "Invalid shard");
            return false;
        }

        var owned = guilds.Values.Where(g => ShardOf(g.Id, shardCount) == shard).ToList();
        if (owned.Count > Options.MaxGuildsPerShard)
        {
            await CloseAsync(connection, 4011, "Sharding required");
            return false;
        }

        lock (identifyGate)
        {
            // Discord lets max_concurrency buckets (shard_id % max_concurrency) each start one session per window.
            var now = RateClock.GetUtcNow();
            var bucket = shard % Math.Max(1, Options.MaxConcurrency);
            var tooSoon = lastIdentifyInBucket.TryGetValue(bucket, out var last) && now - last < Options.IdentifyConcurrencyWindow;
            lastIdentifyInBucket[bucket] = now;
            if (tooSoon)
            {
                connection.Identified = false;
                _ = SendAsync(connection, new JsonObject { ["op"] = 9, ["d"] = false });
                return true;
            }
        }

        identifiedShards.Enqueue((shard, shardCount));
        var session = new GatewaySession(Guid.NewGuid().ToString("N"), intents, shard, shardCount);
        sessions[session.Id] = session;
        if (current.TryGetValue(shard, out var previous))
        {
            previous.Invalidated = true;
        }

        current[shard] = session;
        connection.Session = session;
        connection.Identified = true;
        session.Connection = connection;
        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = BotUser(),
            ["guilds"] = new JsonArray([.. owned.Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["unavailable"] = true })]),
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeUrl,
            ["shard"] = new JsonArray(shard, shardCount),
            ["application"] = new JsonObject { ["id"] = Options.ApplicationId, ["flags"] = 0 },
            ["user_settings"] = new JsonObject(),
            ["private_channels"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["relationships"] = new JsonArray(),
            ["guild_join_requests"] = new JsonArray(),
        };
        await SessionDispatchAsync(session, "READY", ready, force: true);
        connection.Ready = true;
        foreach (var guild in owned)
        {
            await SessionDispatchAsync(session, "GUILD_CREATE", GuildJson(guild));
        }

        return true;
    }

    private async Task<bool> ResumeAsync(GatewayConnection connection, JsonObject? d)
    {
        Interlocked.Increment(ref resumes);
        if (connection.Path == "/gateway")
        {
            Interlocked.Increment(ref resumesOnGatewayPath);
        }

        if (d?["token"]?.GetValue<string>() != Options.Token)
        {
            await CloseAsync(connection, 4004, "Authentication failed");
            return false;
        }

        var sessionId = d["session_id"]?.GetValue<string>() ?? "";
        var seq = d["seq"] is JsonValue s && s.TryGetValue<int>(out var n) ? n : 0;
        if (!sessions.TryGetValue(sessionId, out var session) || session.Invalidated)
        {
            await SendAsync(connection, new JsonObject { ["op"] = 9, ["d"] = false });
            return true;
        }

        List<(int Seq, string Type, JsonObject Data)> replay;
        lock (session.Gate)
        {
            if (seq > session.Sequence)
            {
                replay = [];
            }
            else
            {
                if (session.Connection is { } old && old != connection && !old.Closed)
                {
                    old.HalfOpen = true;
                    _ = CloseAsync(old, 4000, "Session resumed elsewhere");
                }

                session.Connection = connection;
                connection.Session = session;
                connection.Identified = true;
                replay = [.. session.Buffer.Where(e => e.Seq > seq)];
            }
        }

        if (seq > session.Sequence)
        {
            await CloseAsync(connection, 4007, "Invalid seq");
            return false;
        }

        foreach (var (eventSeq, type, data) in replay)
        {
            await SendAsync(connection, new JsonObject { ["op"] = 0, ["s"] = eventSeq, ["t"] = type, ["d"] = data.DeepClone() });
        }

        await SessionDispatchAsync(session, "RESUMED", new JsonObject(), force: true);
        connection.Ready = true;
        Interlocked.Increment(ref successfulResumes);
        return true;
    }

    /// <summary>
    /// Sends a dispatch to the session of the shard that carries its server (shard 0 for DMs), buffered for replay
    /// when its connection is down; nothing when that shard has no session.
    /// </summary>
    public Task DispatchAsync(string type, JsonObject data)
    {
        var guildId = data["guild_id"]?.GetValue<string>() ?? (type.StartsWith("GUILD_", StringComparison.Ordinal) ? data["id"]?.GetValue<string>() : null);
        var count = current.Values.Select(s => s.ShardCount).DefaultIfEmpty(1).Max();
        return current.TryGetValue(ShardOf(guildId, count), out var session) && !session.Invalidated ? SessionDispatchAsync(session, type, data) : Task.CompletedTask;
    }

    /// <summary>Sends a dispatch on one shard's session whatever server it names: a Discord that routed it wrongly.</summary>
    public Task DispatchOnShardAsync(int shardId, string type, JsonObject data) =>
        current.TryGetValue(shardId, out var session) ? SessionDispatchAsync(session, type, data) : Task.CompletedTask;

    private async Task SessionDispatchAsync(GatewaySession session, string type, JsonObject data, bool force = false)
    {
        if (type.StartsWith("GUILD_SCHEDULED_EVENT_", StringComparison.Ordinal) && (session.Intents & (1 << 16)) == 0)
        {
            // Only sessions that asked for GUILD_SCHEDULED_EVENTS get these.
            return;
        }

        if (type == "MESSAGE_CREATE" && (session.Intents & (1 << 15)) == 0 && data["author"]?["bot"]?.GetValue<bool>() != true)
        {
            // Without MESSAGE_CONTENT, Discord blanks other people's content in guild messages.
            data["content"] = "";
            data["embeds"] = new JsonArray();
            data["attachments"] = new JsonArray();
            data["components"] = new JsonArray();
        }

        JsonObject frame;
        GatewayConnection? target;
        lock (session.Gate)
        {
            session.Sequence++;
            session.Buffer.Add((session.Sequence, type, data));
            if (session.Buffer.Count > 2000)
            {
                session.Buffer.RemoveAt(0);
            }

            frame = new JsonObject { ["op"] = 0, ["s"] = session.Sequence, ["t"] = type, ["d"] = data.DeepClone() };
            target = session.Connection;
        }

        if (target is { Closed: false } && (target.Ready || force))
        {
            await SendAsync(target, frame);
        }
    }

    private async Task SendAsync(GatewayConnection connection, JsonObject frame)
    {
        if (connection.HalfOpen || connection.Closed)
        {
            return;
        }

        var text = frame.ToJsonString();
        await connection.Writer.WaitAsync();
        try
        {
            if (connection.Socket.State != WebSocketState.Open)
            {
                return;
            }

            Recorder.Add(new RecordedFrame(RateClock.GetUtcNow(), connection.Id, false, frame["op"]!.GetValue<int>(), frame["t"]?.GetValue<string>(), text));
            await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            connection.Closed = true;
        }
        finally
        {
            connection.Writer.Release();
        }
    }

    private async Task CloseAsync(GatewayConnection connection, int code, string reason)
    {
        serverCloseCodes.Enqueue(code);
        connection.ServerClosed = true;
        if (code is 4003 or 4004 or 4007 or 4009 or >= 4010 && connection.Session is { } session)
        {
            session.Invalidated = true;
        }

        await connection.Writer.WaitAsync();
        try
        {
            if (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            connection.Writer.Release();
            connection.Closed = true;
        }

        // Do not wait for the client's close frame forever.
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => connection.Socket.Abort(), TaskScheduler.Default);
    }

    private async Task WatchHeartbeatsAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var limit = Options.HeartbeatInterval * Options.HeartbeatTimeoutIntervals + TimeSpan.FromSeconds(1);
        try
        {
            while (!cancellationToken.IsCancellationRequested && !connection.Closed)
            {
                await Task.Delay(Options.HeartbeatInterval / 4, cancellationToken);
                if (!connection.HalfOpen && RateClock.GetElapsedTime(connection.LastHeartbeat) > limit)
                {
                    Interlocked.Increment(ref heartbeatTimeouts);
                    await CloseAsync(connection, 4009, "Session timed out");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---- scripted faults ----

    /// <summary>op 7 to every live connection: the client must reconnect and RESUME.</summary>
    public async Task SendReconnectAsync()
    {
        foreach (var connection in connections.Values)
        {
            await SendAsync(connection, new JsonObject { ["op"] = 7, ["d"] = null });
        }
    }

    /// <summary>op 9 to every live connection; not resumable also ends the session.</summary>
    public async Task InvalidateSessionAsync(bool resumable)
    {
        if (!resumable)
        {
            foreach (var session in current.Values)
            {
                session.Invalidated = true;
            }
        }

        foreach (var connection in connections.Values)
        {
            await SendAsync(connection, new JsonObject { ["op"] = 9, ["d"] = resumable });
        }
    }

    /// <summary>op 1: the client must heartbeat at once.</summary>
    public async Task RequestHeartbeatAsync()
    {
        foreach (var connection in connections.Values)
        {
            await SendAsync(connection, new JsonObject { ["op"] = 1, ["d"] = null });
        }
    }

    /// <summary>Closes every live connection with <paramref name="code"/>.</summary>
    public async Task CloseConnectionsAsync(int code)
    {
        foreach (var connection in connections.Values)
        {
            await CloseAsync(connection, code, "closed by the emulator");
        }
    }

    /// <summary>Drops every connection without a close frame (a TCP reset).</summary>
    public void AbortConnections()
    {
        foreach (var connection in connections.Values)
        {
            connection.ServerClosed = true;
            connection.Closed = true;
            connection.Socket.Abort();
        }
    }

    /// <summary>Stops sending anything (ACKs included) on the live connections: a half-open socket.</summary>
    public void HalfOpenConnections()
    {
        foreach (var connection in connections.Values)
        {
            connection.HalfOpen = true;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    public Task WaitForSessionAsync(TimeSpan? timeout = null) => WaitUntilAsync(() => IsSessionLive, timeout ?? TimeSpan.FromSeconds(30), "a live Gateway session");

    private JsonObject GuildJson(Guild guild) => new()
    {
        ["id"] = guild.Id,
        ["name"] = guild.Name,
        ["icon"] = null,
        ["splash"] = null,
        ["discovery_splash"] = null,
        ["owner_id"] = "1000000000000000001",
        ["afk_channel_id"] = null,
        ["afk_timeout"] = 300,
        ["verification_level"] = 0,
        ["default_message_notifications"] = 0,
        ["explicit_content_filter"] = 0,
        ["roles"] = new JsonArray(new JsonObject { ["id"] = guild.Id, ["name"] = "@everyone", ["permissions"] = "0", ["position"] = 0, ["color"] = 0, ["hoist"] = false, ["managed"] = false, ["mentionable"] = false, ["flags"] = 0 }),
        ["emojis"] = new JsonArray(),
        ["stickers"] = new JsonArray(),
        ["features"] = new JsonArray(),
        ["mfa_level"] = 0,
        ["system_channel_id"] = null,
        ["system_channel_flags"] = 0,
        ["rules_channel_id"] = null,
        ["vanity_url_code"] = null,
        ["description"] = null,
        ["banner"] = null,
        ["premium_tier"] = 0,
        ["preferred_locale"] = "en-US",
        ["public_updates_channel_id"] = null,
        ["nsfw_level"] = 0,
        ["premium_progress_bar_enabled"] = false,
        ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
        ["large"] = false,
        ["unavailable"] = false,
        ["member_count"] = 1,
        ["voice_states"] = new JsonArray(),
        ["members"] = new JsonArray(),
        ["channels"] = new JsonArray([.. guild.Channels.Distinct().Select(c => (JsonNode)new JsonObject { ["id"] = c, ["type"] = 0, ["name"] = "channel-" + c[^4..], ["guild_id"] = guild.Id, ["position"] = 0, ["permission_overwrites"] = new JsonArray(), ["nsfw"] = false, ["parent_id"] = null })]),
        ["threads"] = new JsonArray(),
        ["presences"] = new JsonArray(),
        ["stage_instances"] = new JsonArray(),
        ["guild_scheduled_events"] = new JsonArray(),
        ["soundboard_sounds"] = new JsonArray(),
    };
}
