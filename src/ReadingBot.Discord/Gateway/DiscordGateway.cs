using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Gateway;

/// <summary>One shard of the bot's Gateway sessions: its id, the shard count across all processes, and Discord's max_concurrency.</summary>
public sealed record GatewayShard(int Id, int Count, int MaxConcurrency)
{
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Id}/{Count}");
}

/// <summary>
/// The Gateway session of one shard: one socket at a time, a reader that only parses frames and queues dispatches (work never
/// runs on it), a heartbeat task with Discord's first-beat jitter and zombie detection, and a single writer.
/// Across sockets it prefers RESUME and spends IDENTIFYs only within a persisted daily budget.
/// </summary>
public sealed class DiscordGateway(
    DiscordRestClient rest,
    IdentifyLedger ledger,
    ReadingBot.Core.Ports.IAdapterStateStore store,
    Inbound.DiscordIngress ingress,
    IOptions<DiscordOptions> options,
    DiscordConnectionState state,
    TimeProvider time,
    ILogger<DiscordGateway> logger,
    GatewayShard shard)
{
    private readonly DiscordOptions settings = options.Value;

    private string? gatewayUrl;
    private int? apiRemaining;
    private TimeSpan? apiResetAfter;
    private string? sessionId;
    private string? resumeUrl;
    // The last non-null s: written by the reader, read by the heartbeat task (-1: none yet).
    private long sequence = -1;

    private sealed record Outcome(ReconnectAction Action, bool ReachedReady, TimeSpan Pause);

    /// <summary>Runs until cancelled or until Discord says retrying cannot help (the stop reason is logged and kept).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var failedResumes = 0;
        // A session left by a crash or a kill can often still be resumed: that costs no identify.
        var action = LoadSession() ? ReconnectAction.Resume : ReconnectAction.Identify;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var resume = action == ReconnectAction.Resume && sessionId is not null && resumeUrl is not null && failedResumes < 3;
                if (!resume)
                {
                    sessionId = null;
                    Interlocked.Exchange(ref sequence, -1);
                    SaveSession();
                    if (!await PrepareIdentifyAsync(cancellationToken))
                    {
                        return;
                    }
                }

                var outcome = await RunConnectionAsync(resume ? resumeUrl! : gatewayUrl!, resume, cancellationToken);
                if (outcome.Action == ReconnectAction.Stop)
                {
                    return;
                }

                failures = outcome.ReachedReady ? 0 : failures + 1;
                failedResumes = resume && !outcome.ReachedReady ? failedResumes + 1 : 0;
                action = outcome.Action;
                var delay = outcome.Pause;
                if (!outcome.ReachedReady)
                {
                    var backoff = GatewayPolicy.Backoff(failures - 1, TimeSpan.FromSeconds(settings.ReconnectMinSeconds), TimeSpan.FromSeconds(settings.ReconnectMaxSeconds), Random.Shared.NextDouble());
                    delay = backoff > delay ? backoff : delay;
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            ledger.Leave(shard.Id);
            state.SetShardReady(shard.Id, false);
        }
    }

    private async Task<bool> PrepareIdentifyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // The URL always comes from the API (never hard-coded), and with it the identify budget left today.
                var info = await rest.GetAsync("gateway/bot", cancellationToken) as JsonObject ?? [];
                gatewayUrl = info["url"]?.GetValue<string>() ?? throw new DiscordRestException(System.Net.HttpStatusCode.BadGateway, 0, "GET /gateway/bot returned no url");
                apiRemaining = info["session_start_limit"]?["remaining"]?.GetValue<int>();
                apiResetAfter = info["session_start_limit"]?["reset_after"] is JsonValue r && r.TryGetValue<double>(out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
            }
            catch (DiscordUnauthorizedException)
            {
                Stop("Discord rejected the bot token (401 from GET /gateway/bot). Reset it in the Developer Portal and set Discord:Token (READINGBOT_Discord__Token).");
                return false;
            }
            catch (DiscordRestException ex) when (gatewayUrl is null)
            {
                logger.LogWarning("GET /gateway/bot failed ({Status} {Code}); retrying", (int)ex.Status, ex.Code);
                await Task.Delay(TimeSpan.FromSeconds(settings.ReconnectMinSeconds * (1 + Random.Shared.NextDouble())), time, cancellationToken);
                continue;
            }
            catch (DiscordRestException ex)
            {
                logger.LogWarning("GET /gateway/bot failed ({Status} {Code}); using the cached URL", (int)ex.Status, ex.Code);
            }

            // The start is taken here, before the connection: a start that fails to connect still counts, which
            // errs on the side of the token.
            var wait = ledger.TryStart(shard.Id, shard.MaxConcurrency, apiRemaining, apiResetAfter);
            if (wait <= TimeSpan.Zero)
            {
                return true;
            }

            if (wait > TimeSpan.FromMinutes(1))
            {
                logger.LogError("Discord identify budget is spent ({Count} in 24 h, {Remaining} left by Discord's count): waiting {Minutes:0} min rather than risk a token reset", ledger.Recent().Count, apiRemaining, wait.TotalMinutes);
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    // One shard alone keeps the key it always had, so an upgrade can still resume.
    private string SessionKey => shard.Count == 1 ? "discord:session" : $"discord:session:{shard}";

    /// <summary>Keeps the session id, resume URL and last sequence (saved at READY, RESUMED and each heartbeat).</summary>
    private void SaveSession()
    {
        try
        {
            var id = sessionId;
            store.Set(SessionKey, id is null || resumeUrl is null
                ? ""
                : new JsonObject { ["session_id"] = id, ["resume_gateway_url"] = resumeUrl, ["seq"] = Sequence }.ToJsonString());
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Saving the Discord session failed");
        }
    }

    private bool LoadSession()
    {
        try
        {
            if (store.Get(SessionKey) is not { Length: > 0 } text || JsonNode.Parse(text) is not JsonObject saved)
            {
                return false;
            }

            sessionId = saved["session_id"]?.GetValue<string>();
            resumeUrl = saved["resume_gateway_url"]?.GetValue<string>();
            Interlocked.Exchange(ref sequence, saved["seq"] is JsonValue v && v.TryGetValue<long>(out var seq) ? seq : -1);
            return sessionId is not null && resumeUrl is not null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private void Stop(string reason)
    {
        if (shard.Count > 1)
        {
            reason = $"Shard {shard}: {reason}";
        }

        state.StopReason = reason;
        state.SetShardReady(shard.Id, false);
        logger.LogCritical("Discord adapter stopped: {Reason}", reason);
    }

    private async Task<Outcome> RunConnectionAsync(string baseUrl, bool resume, CancellationToken cancellationToken)
    {
        var url = baseUrl.TrimEnd('/') + "/?v=10&encoding=json";
        using var socket = new ClientWebSocket();
        // Discord heartbeats at the protocol level; WebSocket pings would only add noise.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        state.CountConnection();
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds));
            try
            {
                await socket.ConnectAsync(new Uri(url), connectTimeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Discord Gateway connect failed ({Error})", ex.GetType().Name);
                return new Outcome(resume ? ReconnectAction.Resume : ReconnectAction.Identify, false, TimeSpan.Zero);
            }
        }

        using var connection = new GatewayConnection(socket, time);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task heartbeat = Task.CompletedTask;
        var reachedReady = false;
        var helloSeen = false;
        await using var helloTimer = time.CreateTimer(_ => { if (!Volatile.Read(ref helloSeen)) { socket.Abort(); } }, null, TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds), Timeout.InfiniteTimeSpan);
        // Cancelling a pending receive would abort the socket without a close frame; on shutdown send 1000 instead
        // and let the receive end with the server's answer.
        await using var stopping = cancellationToken.Register(() => _ = connection.ShutDownAsync(time));
        try
        {
            while (true)
            {
                var frame = await connection.ReceiveAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                if (frame is null)
                {
                    if (connection.Zombie)
                    {
                        logger.LogWarning("Discord Gateway missed a heartbeat ACK (zombie connection); resuming");
                        return new Outcome(ReconnectAction.Resume, reachedReady, TimeSpan.Zero);
                    }

                    return Closed((int?)socket.CloseStatus, reachedReady);
                }

                JsonObject message;
                try
                {
                    message = JsonNode.Parse(frame) as JsonObject ?? [];
                }
                catch (System.Text.Json.JsonException)
                {
                    logger.LogWarning("Discord sent a frame that is not JSON; ignored");
                    continue;
                }

                var op = message["op"]?.GetValue<int>() ?? -1;
                switch (op)
                {
                    case GatewayOp.Hello:
                        Volatile.Write(ref helloSeen, true);
                        var interval = TimeSpan.FromMilliseconds(message["d"]?["heartbeat_interval"]?.GetValue<double>() ?? 41250);
                        // A fresh connection starts with a fresh ACK state: a stale flag would loop reconnects.
                        connection.AckReceived = true;
                        heartbeat = HeartbeatAsync(connection, interval, lifetime.Token);
                        if (resume)
                        {
                            state.CountResume();
                            await connection.SendAsync(new JsonObject { ["op"] = GatewayOp.Resume, ["d"] = new JsonObject { ["token"] = settings.Token, ["session_id"] = sessionId, ["seq"] = Sequence } }, lifetime.Token);
                        }
                        else
                        {
                            state.CountIdentify();
                            await connection.SendAsync(Identify(), lifetime.Token);
                        }

                        break;
                    case GatewayOp.HeartbeatAck:
                        connection.AckReceived = true;
                        break;
                    case GatewayOp.Heartbeat:
                        await connection.SendAsync(HeartbeatFrame(), lifetime.Token);
                        break;
                    case GatewayOp.Reconnect:
                        logger.LogInformation("Discord asked for a reconnect (op 7); resuming");
                        await connection.CloseResumableAsync();
                        // After READY this costs nothing; before it (op 7 ahead of Hello) the backoff still applies.
                        return new Outcome(ReconnectAction.Resume, reachedReady, TimeSpan.Zero);
                    case GatewayOp.InvalidSession:
                        var resumable = message["d"] is JsonValue d && d.TryGetValue<bool>(out var b) && b;
                        logger.LogInformation("Discord invalidated the session (op 9, resumable: {Resumable})", resumable);
                        await connection.CloseResumableAsync();
                        var pause = TimeSpan.FromSeconds(settings.InvalidSessionMinSeconds + Random.Shared.NextDouble() * Math.Max(0, settings.InvalidSessionMaxSeconds - settings.InvalidSessionMinSeconds));
                        return new Outcome(GatewayPolicy.ForInvalidSession(resumable), false, pause);
                    case GatewayOp.Dispatch:
                        if (message["s"] is JsonValue s && s.TryGetValue<int>(out var seq))
                        {
                            Interlocked.Exchange(ref sequence, seq);
                        }

                        var type = message["t"]?.GetValue<string>() ?? "";
                        var data = message["d"] as JsonObject ?? [];
                        if (type == "READY")
                        {
                            sessionId = data["session_id"]?.GetValue<string>();
                            resumeUrl = data["resume_gateway_url"]?.GetValue<string>();
                            SaveSession();
                            state.BotUserId = data["user"]?["id"]?.GetValue<string>() ?? state.BotUserId;
                            reachedReady = true;
                            ledger.Leave(shard.Id);
                            state.SetShardReady(shard.Id, true);
                            logger.LogInformation("Discord Gateway ready ({Guilds} servers) on shard {Shard}", (data["guilds"] as JsonArray)?.Count ?? 0, shard);
                        }
                        else if (type == "RESUMED")
                        {
                            reachedReady = true;
                            ledger.Leave(shard.Id);
                            state.SetShardReady(shard.Id, true);
                            logger.LogInformation("Discord Gateway resumed on shard {Shard}", shard);
                            SaveSession();
                        }
                        else if (!Carries(type, data))
                        {
                            // Discord routes by guild already; this only guards a misconfigured count.
                            logger.LogDebug("Ignored a {Type} for a server of another shard than {Shard}", type, shard);
                        }
                        else
                        {
                            // Never handle here: a slow handler on the reader would starve heartbeat ACKs. The shared
                            // pipeline queues it (the 3 s budget counts from now).
                            await ingress.AcceptDispatchAsync(type, data, time.GetTimestamp(), lifetime.Token);
                        }

                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var code = (int?)socket.CloseStatus;
            if (connection.Zombie)
            {
                logger.LogWarning("Discord Gateway missed a heartbeat ACK (zombie connection); resuming");
                return new Outcome(ReconnectAction.Resume, reachedReady, TimeSpan.Zero);
            }

            return Closed(code, reachedReady);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or WebSocketException)
        {
            // Real shutdown: 1000 ends the session and shows the bot offline.
            await connection.CloseNormallyAsync();
            sessionId = null;
            SaveSession();
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            state.SetShardReady(shard.Id, false);
            await lifetime.CancelAsync();
            try
            {
                await heartbeat;
            }
            catch (Exception)
            {
                // The heartbeat task ends with its socket; its faults were already logged or are the cancellation.
            }
        }
    }

    private Outcome Closed(int? code, bool reachedReady)
    {
        var action = GatewayPolicy.ForClose(code);
        if (action == ReconnectAction.Stop)
        {
            Stop(GatewayPolicy.StopReason(code!.Value));
        }
        else
        {
            logger.LogInformation("Discord Gateway closed ({Code}); next: {Action}", code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no close frame", action);
        }

        return new Outcome(action, reachedReady, TimeSpan.Zero);
    }

    private JsonObject Identify() => new()
    {
        ["op"] = GatewayOp.Identify,
        ["d"] = new JsonObject
        {
            ["token"] = settings.Token,
            ["intents"] = GatewayIntents.For(settings.MessageContent),
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "readingbot", ["device"] = "readingbot" },
            ["shard"] = new JsonArray(shard.Id, shard.Count),
        },
    };

    /// <summary>Whether a dispatch belongs to this shard: its server's shard, or shard 0 for what has no server (DMs).</summary>
    private bool Carries(string type, JsonObject data)
    {
        var guildId = data["guild_id"]?.GetValue<string>() ?? (type.StartsWith("GUILD_", StringComparison.Ordinal) ? data["id"]?.GetValue<string>() : null);
        return shard.Count == 1 || ShardPlan.ShardOf(guildId, shard.Count) == shard.Id;
    }

    private long? Sequence => Interlocked.Read(ref sequence) is var s && s >= 0 ? s : null;

    private JsonObject HeartbeatFrame() => new() { ["op"] = GatewayOp.Heartbeat, ["d"] = Sequence };

    private async Task HeartbeatAsync(GatewayConnection connection, TimeSpan interval, CancellationToken cancellationToken)
    {
        var delay = GatewayPolicy.FirstHeartbeat(interval, Random.Shared.NextDouble());
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(delay, time, cancellationToken);
            if (!connection.AckReceived)
            {
                await connection.CloseZombieAsync(time, cancellationToken);
                return;
            }

            connection.AckReceived = false;
            await connection.SendAsync(HeartbeatFrame(), cancellationToken);
            SaveSession();
            delay = interval;
        }
    }
}
