using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ReadingBot.TestSupport.Slack;

/// <summary>One Socket Mode WebSocket as the emulator holds it.</summary>
public sealed class EmulatedSocket
{
    internal EmulatedSocket(int id, WebSocket socket, HalfOpenStream stream, DateTimeOffset openedAt)
    {
        Id = id;
        Socket = socket;
        Stream = stream;
        OpenedAt = openedAt;
    }

    public int Id { get; }
    public DateTimeOffset OpenedAt { get; }
    public DateTimeOffset? ClosedAt { get; internal set; }
    public bool HelloSent { get; internal set; }
    public bool DisconnectSent { get; internal set; }
    public bool IsOpen => ClosedAt is null && !Stream.IsHalfOpen;

    /// <summary>A test's name for the process holding this socket; a redelivery prefers a socket of another client.</summary>
    public string? Client { get; set; }
    internal WebSocket Socket { get; }
    internal HalfOpenStream Stream { get; }
    internal SemaphoreSlim SendLock { get; } = new(1, 1);
    internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Drops the TCP connection without a close frame.</summary>
    internal void Kill()
    {
        Stream.Kill();
        Socket.Abort();
        Done.TrySetResult();
    }
}

public sealed partial class SlackEmulator
{
    private readonly Dictionary<string, bool> tickets = new(StringComparer.Ordinal);
    private readonly List<EmulatedSocket> sockets = [];
    private readonly Dictionary<string, SlackDelivery> byEnvelope = new(StringComparer.Ordinal);
    private readonly List<SlackDelivery> pending = [];
    private readonly List<SlackDelivery> deliveries = [];
    private readonly List<string> rejectedTickets = [];
    private int socketCounter;
    private int nextSocket;
    private Random? seeded;

    /// <summary>Every socket ever accepted, oldest first.</summary>
    public IReadOnlyList<EmulatedSocket> Sockets { get { lock (gate) { return [.. sockets]; } } }

    public IReadOnlyList<EmulatedSocket> OpenSockets { get { lock (gate) { return sockets.Where(s => s.IsOpen && s.HelloSent).ToList(); } } }

    public IReadOnlyList<SlackDelivery> Deliveries { get { lock (gate) { return [.. deliveries]; } } }

    /// <summary>Tickets presented twice or never issued.</summary>
    public IReadOnlyList<string> RejectedTickets { get { lock (gate) { return [.. rejectedTickets]; } } }

    /// <summary>Frames of an unknown kind the bot sent (anything that is not an ack).</summary>
    public IReadOnlyList<string> UnexpectedFrames => [.. unexpectedFrames];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> unexpectedFrames = new();

    private List<EmulatedSocket> SocketsSnapshot()
    {
        lock (gate)
        {
            return [.. sockets];
        }
    }

    /// <summary>Waits until <paramref name="count"/> sockets have received hello and are open.</summary>
    public async Task<IReadOnlyList<EmulatedSocket>> WaitForOpenSocketsAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var open = OpenSockets;
            if (open.Count >= count)
            {
                return open;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} open Socket Mode connections, have {open.Count} (accepted {Sockets.Count} in all)");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until a socket newer than <paramref name="after"/> has received hello.</summary>
    public async Task<EmulatedSocket> WaitForNewSocketAsync(EmulatedSocket after, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var fresh = OpenSockets.FirstOrDefault(s => s.Id > after.Id);
            if (fresh is not null)
            {
                return fresh;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no new Socket Mode connection after #{after.Id}");
            }

            await Task.Delay(20);
        }
    }

    private JsonObject ConnectionsOpen()
    {
        var ticket = Guid.NewGuid().ToString("N");
        lock (gate)
        {
            tickets[ticket] = false;
        }

        var ws = new UriBuilder(BaseUri) { Scheme = "ws", Path = "/link/", Query = $"ticket={ticket}&app_id={AppId}" };
        return new JsonObject { ["ok"] = true, ["url"] = ws.Uri.ToString() };
    }

    private async Task HandleSocketAsync(HttpContext ctx)
    {
        var ticket = ctx.Request.Query["ticket"].ToString();
        lock (gate)
        {
            if (!tickets.TryGetValue(ticket, out var used) || used)
            {
                rejectedTickets.Add(ticket);
                ctx.Response.StatusCode = 401;
                return;
            }

            tickets[ticket] = true;
        }

        // The upgrade is done by hand so the emulator owns the stream and can make the socket half-open.
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        var key = ctx.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is null || !upgrade.IsUpgradableRequest || key.Length == 0)
        {
            ctx.Response.StatusCode = 400;
            return;
        }

        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the handshake; it is not used for security here.
        ctx.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        var raw = await upgrade.UpgradeAsync();
        var stream = new HalfOpenStream(raw);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = Options.ServerPingInterval,
            KeepAliveTimeout = Options.ServerPingInterval > TimeSpan.Zero ? Options.ServerPingInterval * 4 : Timeout.InfiniteTimeSpan,
        });

        EmulatedSocket emulated;
        int open;
        lock (gate)
        {
            emulated = new EmulatedSocket(Interlocked.Increment(ref socketCounter), socket, stream, Options.Time.GetUtcNow());
            sockets.Add(emulated);
            open = sockets.Count(s => s.ClosedAt is null);
        }

        try
        {
            if (open > Options.MaxSocketsPerApp)
            {
                await SendAsync(emulated, Disconnect("too_many_websockets"));
                emulated.DisconnectSent = true;
                await CloseSocketAsync(emulated);
                return;
            }

            await SendAsync(emulated, new JsonObject
            {
                ["type"] = "hello",
                ["num_connections"] = open,
                ["debug_info"] = new JsonObject { ["host"] = "applink-emulator", ["build_number"] = 1, ["approximate_connection_time"] = Options.ApproximateConnectionTimeSeconds },
                ["connection_info"] = new JsonObject { ["app_id"] = AppId },
            });
            emulated.HelloSent = true;
            FlushPending();
            await ReadAcksAsync(emulated);
        }
        finally
        {
            lock (gate)
            {
                emulated.ClosedAt ??= Options.Time.GetUtcNow();
            }

            emulated.Done.TrySetResult();
            socket.Dispose();
        }
    }

    private async Task ReadAcksAsync(EmulatedSocket emulated)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await emulated.Socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await CloseSocketAsync(emulated);
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                OnClientFrame(emulated, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private void OnClientFrame(EmulatedSocket emulated, string text)
    {
        JsonObject? frame = null;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var envelopeId = frame?["envelope_id"]?.ToString();
        if (frame is null || envelopeId is null)
        {
            unexpectedFrames.Enqueue(text);
            violations.Enqueue("socket: a frame that is not an ack: " + text);
            return;
        }

        SlackDelivery? delivery;
        lock (gate)
        {
            byEnvelope.TryGetValue(envelopeId, out delivery);
        }

        if (delivery is null)
        {
            violations.Enqueue($"socket: ack for unknown envelope {envelopeId}");
            return;
        }

        var payload = frame["payload"] as JsonObject;
        var hasContent = payload is { Count: > 0 };
        if (hasContent && !delivery.AcceptsResponsePayload)
        {
            violations.Enqueue($"socket: ack of {delivery.Type} {envelopeId} carried a payload it may not");
        }

        var now = Options.Time.GetUtcNow();
        var sentAt = delivery.Attempts.LastOrDefault(a => a.EnvelopeId == envelopeId)?.At ?? now;
        var late = now - sentAt > Options.AckTimeout;
        if (late)
        {
            violations.Enqueue($"socket: ack of {envelopeId} came {(now - sentAt).TotalMilliseconds:0} ms after delivery");
        }

        if (Options.LoseAck?.Invoke(delivery, emulated) == true)
        {
            delivery.AddLostAck(new AckRecord(envelopeId, emulated.Id, now, payload, late));
            return;
        }

        if (delivery.Acks.Count(a => a.EnvelopeId == envelopeId) >= delivery.Attempts.Count(a => a.EnvelopeId == envelopeId))
        {
            violations.Enqueue($"socket: {envelopeId} acked more often than it was sent");
        }

        var sentOn = delivery.Attempts.LastOrDefault(a => a.EnvelopeId == envelopeId)?.SocketId;
        if (sentOn is not null && sentOn != emulated.Id)
        {
            violations.Enqueue($"socket: {envelopeId} sent on #{sentOn} but acked on #{emulated.Id}");
        }

        delivery.AddAck(new AckRecord(envelopeId, emulated.Id, now, payload, late));
        delivery.Finish();
        if (hasContent && delivery.Type == "slash_commands" && TryContent(payload!, out var text2, out var blocks, out _))
        {
            var p = delivery.Payload;
            ShowResponse(p["team_id"]?.ToString() ?? DefaultTeam, p["channel_id"]!.ToString(), p["user_id"]!.ToString(), payload!, text2, blocks);
            delivery.AddResponse(payload!);
        }
    }

    private static JsonObject Disconnect(string reason) => new()
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["debug_info"] = new JsonObject { ["host"] = "applink-emulator" },
    };

    private static async Task SendAsync(EmulatedSocket socket, JsonNode frame) =>
        await SendRawAsync(socket, Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text);

    private static async Task<bool> SendRawAsync(EmulatedSocket socket, byte[] bytes, WebSocketMessageType type)
    {
        await socket.SendLock.WaitAsync();
        try
        {
            if (socket.Socket.State != WebSocketState.Open)
            {
                return false;
            }

            await socket.Socket.SendAsync(bytes, type, true, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            socket.SendLock.Release();
        }
    }

    private async Task CloseSocketAsync(EmulatedSocket socket)
    {
        lock (gate)
        {
            socket.ClosedAt ??= Options.Time.GetUtcNow();
        }

        await socket.SendLock.WaitAsync();
        try
        {
            if (socket.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            socket.SendLock.Release();
        }

        socket.Done.TrySetResult();
    }

    // ---------------------------------------------------------------- lifecycle controls

    /// <summary>Sends <c>disconnect</c> with a reason, keeps delivering on the socket during the grace, then closes it.</summary>
    public async Task DisconnectAsync(EmulatedSocket socket, string reason, TimeSpan grace)
    {
        socket.DisconnectSent = true;
        await SendAsync(socket, Disconnect(reason));
        _ = CloseLaterAsync(socket, grace);
    }

    private async Task CloseLaterAsync(EmulatedSocket socket, TimeSpan grace)
    {
        await Task.Delay(grace, Options.Time);
        await CloseSocketAsync(socket);
    }

    /// <summary>Closes the socket with a close frame but no disconnect message.</summary>
    public Task CloseAsync(EmulatedSocket socket) => CloseSocketAsync(socket);

    /// <summary>Drops the connection without any frame.</summary>
    public void Drop(EmulatedSocket socket)
    {
        lock (gate)
        {
            socket.ClosedAt ??= Options.Time.GetUtcNow();
        }

        socket.Kill();
    }

    /// <summary>The socket stays up but goes silent both ways: no frames, no pongs (a dead NAT, a stuck proxy).</summary>
    public void MakeHalfOpen(EmulatedSocket socket) => socket.Stream.GoHalfOpen();

    /// <summary>Sends any text frame (unknown types, junk).</summary>
    public Task SendTextFrameAsync(EmulatedSocket socket, string text) => SendRawAsync(socket, Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryFrameAsync(EmulatedSocket socket, byte[] data) => SendRawAsync(socket, data, WebSocketMessageType.Binary);

    // ---------------------------------------------------------------- deliveries

    /// <summary>Sends a slash command from a member (Socket Mode envelope or signed HTTP form, per <see cref="SlackEmulatorOptions.Delivery"/>).</summary>
    public Task<SlackDelivery> SlashCommandAsync(string text, string user = Alice, string channel = GeneralChannel, string teamId = DefaultTeam, string command = "/reading", EmulatedSocket? on = null, bool encode = true, string? orgWideEnterpriseId = null)
    {
        var team = teams[teamId];
        var payload = new JsonObject
        {
            ["token"] = "deprecated-verification-token",
            ["team_id"] = teamId,
            ["team_domain"] = team.Domain,
            ["channel_id"] = channel,
            ["channel_name"] = team.Channels.TryGetValue(channel, out var c) ? c.Name : "unknown",
            ["user_id"] = user,
            ["user_name"] = team.Users.TryGetValue(user, out var u) ? u.Name : user,
            ["command"] = command,
            ["text"] = encode ? EncodeUserText(text) : text,
            ["api_app_id"] = AppId,
            ["is_enterprise_install"] = "false",
            ["response_url"] = IssueResponseUrl("commands", teamId, channel, user),
            ["trigger_id"] = IssueTrigger(),
        };
        if (orgWideEnterpriseId is not null)
        {
            // An org-wide install: the payload names the enterprise and no team.
            payload.Remove("team_id");
            payload["enterprise_id"] = orgWideEnterpriseId;
            payload["is_enterprise_install"] = "true";
        }

        return Options.Delivery == SlackDeliveryMode.Http
            ? SendHttpAsync("slash_commands", payload, null)
            : Task.FromResult(Deliver("slash_commands", payload, acceptsResponsePayload: true, eventId: null, on));
    }

    /// <summary>Presses a button of a message the bot sent (the button JSON as rendered).</summary>
    public Task<SlackDelivery> PressButtonAsync(JsonObject button, string user = Alice, string channel = GeneralChannel, string teamId = DefaultTeam, string? messageTs = null)
    {
        var team = teams[teamId];
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["name"] = user, ["team_id"] = teamId },
            ["api_app_id"] = AppId,
            ["token"] = "deprecated-verification-token",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs ?? NextTs(), ["channel_id"] = channel, ["is_ephemeral"] = messageTs is null },
            ["trigger_id"] = IssueTrigger(),
            ["team"] = new JsonObject { ["id"] = teamId, ["domain"] = team.Domain },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = team.Channels.TryGetValue(channel, out var c) ? c.Name : "unknown" },
            ["response_url"] = IssueResponseUrl("actions", teamId, channel, user),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = button["action_id"]?.DeepClone(),
                ["block_id"] = "b1",
                ["text"] = button["text"]?.DeepClone(),
                ["value"] = button["value"]?.DeepClone(),
                ["type"] = "button",
                ["action_ts"] = NextTs(),
            }),
        };
        return Options.Delivery == SlackDeliveryMode.Http
            ? SendHttpAsync("interactive", payload, null)
            : Task.FromResult(Deliver("interactive", payload, acceptsResponsePayload: false, eventId: null, null));
    }

    /// <summary>A member writes a message (stored, then sent as a <c>message</c> event).</summary>
    public async Task<(StoredMessage Message, SlackDelivery Delivery)> UserMessageAsync(string text, string? threadTs = null, string user = Alice, string channel = GeneralChannel, string teamId = DefaultTeam)
    {
        var stored = AddUserMessage(channel, user, EncodeUserText(text), threadTs, teamId);
        var ev = new JsonObject
        {
            ["type"] = "message",
            ["channel"] = channel,
            ["user"] = user,
            ["text"] = stored.Text,
            ["ts"] = stored.Ts,
            ["event_ts"] = stored.Ts,
            ["channel_type"] = "channel",
            ["team"] = teamId,
            ["client_msg_id"] = Guid.NewGuid().ToString(),
        };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return (stored, await DeliverEventAsync(teamId, ev));
    }

    /// <summary>Sends an Events API event; give the same <paramref name="eventId"/> to simulate Slack's redeliveries.</summary>
    public Task<SlackDelivery> DeliverEventAsync(string teamId, JsonObject ev, string? eventId = null, int retryAttempt = 0, string retryReason = "", EmulatedSocket? on = null, bool retryOnTimeout = true)
    {
        eventId ??= NewId("Ev");
        var body = new JsonObject
        {
            ["token"] = "deprecated-verification-token",
            ["team_id"] = teamId,
            ["api_app_id"] = AppId,
            ["event"] = ev,
            ["type"] = "event_callback",
            ["event_id"] = eventId,
            ["event_time"] = Options.Time.GetUtcNow().ToUnixTimeSeconds(),
            ["authorizations"] = new JsonArray(new JsonObject
            {
                ["enterprise_id"] = null,
                ["team_id"] = teamId,
                ["user_id"] = teams[teamId].BotUserId,
                ["is_bot"] = true,
                ["is_enterprise_install"] = false,
            }),
            ["is_ext_shared_channel"] = false,
            ["event_context"] = "4-" + eventId,
        };
        if (Options.Delivery == SlackDeliveryMode.Http)
        {
            return SendHttpAsync("events_api", body, eventId, retryAttempt, retryOnTimeout);
        }

        var delivery = Deliver("events_api", body, acceptsResponsePayload: false, eventId, on, retryAttempt, retryReason, retryOnTimeout);
        return Task.FromResult(delivery);
    }

    /// <summary>app_uninstalled for a workspace.</summary>
    public Task<SlackDelivery> UninstallAsync(string teamId) =>
        DeliverEventAsync(teamId, new JsonObject { ["type"] = "app_uninstalled", ["event_ts"] = NextTs() });

    /// <summary>Slack escapes &amp; &lt; &gt; in what members type before sending it to apps.</summary>
    public static string EncodeUserText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private SlackDelivery Deliver(string type, JsonObject payload, bool acceptsResponsePayload, string? eventId, EmulatedSocket? on, int retryAttempt = 0, string retryReason = "", bool retryOnTimeout = true)
    {
        var delivery = new SlackDelivery
        {
            Type = type,
            Payload = payload,
            AcceptsResponsePayload = acceptsResponsePayload,
            EventId = eventId,
            CreatedAt = Options.Time.GetUtcNow(),
            RetryAttempt = retryAttempt,
        };
        lock (gate)
        {
            deliveries.Add(delivery);
            if (responseUrlFor(payload) is { } id && responseUrls.TryGetValue(id, out var state))
            {
                state.Delivery = delivery;
            }
        }

        _ = SendEnvelopeAsync(delivery, on, retryReason, retryOnTimeout);
        return delivery;

        static string? responseUrlFor(JsonObject p) => p["response_url"]?.ToString() is { } url ? url[(url.LastIndexOf('/') + 1)..] : null;
    }

    private async Task SendEnvelopeAsync(SlackDelivery delivery, EmulatedSocket? on, string retryReason, bool retryOnTimeout)
    {
        EmulatedSocket? last = null;
        while (true)
        {
            var envelopeId = delivery.Attempts.Count == 0 || !Options.SameEnvelopeIdOnRetry ? Guid.NewGuid().ToString() : delivery.CurrentEnvelopeId;
            // A chosen socket gets the envelope even when half-open: Slack cannot tell either.
            var socket = on is { ClosedAt: null } ? on : PickSocket(Options.RetryOnAnotherSocket ? last : null);
            on = null;
            if (socket is null)
            {
                // No socket: Slack holds the envelope until one connects.
                lock (gate)
                {
                    pending.Add(delivery);
                }

                return;
            }

            var frame = new JsonObject
            {
                ["envelope_id"] = envelopeId,
                ["type"] = delivery.Type,
                ["accepts_response_payload"] = delivery.AcceptsResponsePayload,
                ["payload"] = delivery.Payload.DeepClone(),
            };
            if (delivery.Type == "events_api")
            {
                frame["retry_attempt"] = delivery.RetryAttempt;
                frame["retry_reason"] = delivery.RetryAttempt == 0 ? "" : (retryReason.Length > 0 ? retryReason : "timeout");
            }

            lock (gate)
            {
                byEnvelope[envelopeId] = delivery;
                delivery.CurrentEnvelopeId = envelopeId;
            }

            delivery.AddAttempt(new DeliveryAttempt(envelopeId, socket.Id, delivery.RetryAttempt, Options.Time.GetUtcNow()));
            last = socket;
            await SendAsync(socket, frame);
            try
            {
                await delivery.Acked.WaitAsync(Options.AckTimeout, Options.Time);
                return;
            }
            catch (TimeoutException)
            {
            }

            if (!retryOnTimeout || delivery.Attempts.Count > Options.MaxRedeliveries)
            {
                delivery.Finish();
                return;
            }

            delivery.RetryAttempt++;
            retryReason = "timeout";
        }
    }

    /// <summary>Sends an envelope again under the same envelope_id (Slack does this at times), on any open socket.</summary>
    public async Task RedeliverSameEnvelopeAsync(SlackDelivery delivery)
    {
        var socket = PickSocket() ?? throw new InvalidOperationException("no open socket");
        var frame = new JsonObject
        {
            ["envelope_id"] = delivery.CurrentEnvelopeId,
            ["type"] = delivery.Type,
            ["accepts_response_payload"] = delivery.AcceptsResponsePayload,
            ["payload"] = delivery.Payload.DeepClone(),
        };
        if (delivery.Type == "events_api")
        {
            frame["retry_attempt"] = ++delivery.RetryAttempt;
            frame["retry_reason"] = "timeout";
        }

        delivery.AddAttempt(new DeliveryAttempt(delivery.CurrentEnvelopeId, socket.Id, delivery.RetryAttempt, Options.Time.GetUtcNow()));
        await SendAsync(socket, frame);
    }

    /// <summary>
    /// One of the app's open sockets, by <see cref="SlackEmulatorOptions.Spread"/>. A redelivery avoids the socket that
    /// missed the ack (<paramref name="avoid"/>), and its client's other sockets too when another client is connected.
    /// </summary>
    private EmulatedSocket? PickSocket(EmulatedSocket? avoid = null)
    {
        lock (gate)
        {
            var open = sockets.Where(s => s.IsOpen && s.HelloSent).ToList();
            if (avoid is not null)
            {
                var otherClient = open.Where(s => s != avoid && (avoid.Client is null || s.Client != avoid.Client)).ToList();
                var other = open.Where(s => s != avoid).ToList();
                open = otherClient.Count > 0 ? otherClient : other.Count > 0 ? other : open;
            }

            if (open.Count == 0)
            {
                return null;
            }

            return Options.Spread == SocketSpread.RoundRobin ? open[(int)(unchecked((uint)nextSocket++) % (uint)open.Count)] : open[(seeded ??= new Random(Options.Seed)).Next(open.Count)];
        }
    }

    private void FlushPending()
    {
        List<SlackDelivery> waiting;
        lock (gate)
        {
            waiting = [.. pending];
            pending.Clear();
        }

        foreach (var delivery in waiting)
        {
            _ = SendEnvelopeAsync(delivery, null, delivery.RetryAttempt > 0 ? "timeout" : "", true);
        }
    }
}

/// <summary>
/// The upgraded connection's stream, which the emulator can make half-open: reads stop (so pings go unanswered)
/// and writes are swallowed, while the TCP connection stays up.
/// </summary>
internal sealed class HalfOpenStream(Stream inner) : Stream
{
    private readonly TaskCompletionSource killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool halfOpen;

    public bool IsHalfOpen => halfOpen;

    public void GoHalfOpen() => halfOpen = true;

    public void Kill()
    {
        killed.TrySetResult();
        try
        {
            inner.Dispose();
        }
        catch (Exception)
        {
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!halfOpen)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (!halfOpen || read == 0)
            {
                return read;
            }
        }

        // Half-open: whatever arrives is lost, and nothing is ever read again.
        await killed.Task.WaitAsync(cancellationToken);
        return 0;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!halfOpen)
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => halfOpen ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            killed.TrySetResult();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
