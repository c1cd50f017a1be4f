using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ReadingBot.Slack.Socket;

/// <summary>Why a Socket Mode connection stopped being the one we rely on.</summary>
public enum ConnectionOutcome
{
    /// <summary>The socket closed or broke (no disconnect message, keep-alive timeout, error): reconnect with backoff.</summary>
    Closed,

    /// <summary><c>warning</c> or <c>refresh_requested</c>, or our frame watchdog: open a new socket now, let this one drain.</summary>
    Replace,

    /// <summary><c>link_disabled</c>: Socket Mode was turned off for the app; stop.</summary>
    LinkDisabled,

    /// <summary><c>too_many_websockets</c>: back off for minutes, never hot-loop.</summary>
    TooManyWebsockets,
}

/// <summary>
/// One Socket Mode WebSocket: a single reader loop that parses frames and hands envelopes on (it never does the
/// work), and a send lock so acks from the reader and from workers never overlap (ClientWebSocket allows one
/// sender at a time). Half-open sockets are caught by the runtime's PING/PONG keep-alive timeout (.NET hides
/// Slack's pings), and a frame watchdog asks for a replacement when nothing has arrived for too long.
/// </summary>
public sealed class SocketModeConnection : IAsyncDisposable
{
    private static int nextId;

    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly TaskCompletionSource hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionOutcome> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Func<SocketModeConnection, JsonObject, Task> onEnvelope;
    private readonly ArrayBufferWriter<byte> outgoing = new(4 * 1024);
    private long lastFrameTicks;
    private long sendStartedTicks;
    private int disposed;

    public SocketModeConnection(TimeProvider time, ILogger logger, Func<SocketModeConnection, JsonObject, Task> onEnvelope, TimeSpan keepAlive, TimeSpan keepAliveTimeout)
    {
        this.time = time;
        this.logger = logger;
        this.onEnvelope = onEnvelope;
        Id = Interlocked.Increment(ref nextId);
        socket.Options.KeepAliveInterval = keepAlive;
        socket.Options.KeepAliveTimeout = keepAliveTimeout;
        lastFrameTicks = time.GetUtcNow().UtcTicks;
    }

    public int Id { get; }

    /// <summary>Completes when Slack's hello arrives; only then is the connection ready.</summary>
    public Task Hello => hello.Task;

    /// <summary>Completes with the first reason this connection should no longer be relied on.</summary>
    public Task<ConnectionOutcome> Outcome => outcome.Task;

    /// <summary>Completes when the reader loop has ended (the socket is gone).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public bool IsOpen => socket.State == WebSocketState.Open && hello.Task.IsCompleted && !Completion.IsCompleted;

    public DateTimeOffset LastFrameAt => new(Interlocked.Read(ref lastFrameTicks), TimeSpan.Zero);

    public async Task ConnectAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        await socket.ConnectAsync(url, cts.Token);
        lastFrameTicks = time.GetUtcNow().UtcTicks;
        Completion = Task.Run(() => ReadLoopAsync(stop.Token), CancellationToken.None);
        _ = GuardSendsAsync();
    }

    /// <summary>How long one send may take before the socket is given up (the peer stopped reading it).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Starts the frame watchdog: no frame for <paramref name="idle"/> → ask for a replacement.</summary>
    public void StartWatchdog(TimeSpan idle)
    {
        _ = WatchAsync(idle);
    }

    /// <summary>Acks an envelope on this socket (Slack wants the ack on the socket that delivered it).</summary>
    public async Task<bool> AckAsync(string envelopeId, JsonObject? payload)
    {
        await sendLock.WaitAsync();
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }

            // Written straight to UTF-8 into a buffer kept for this socket (the lock makes it ours): no string between.
            outgoing.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(outgoing))
            {
                writer.WriteStartObject();
                writer.WriteString("envelope_id", envelopeId);
                if (payload is not null)
                {
                    writer.WritePropertyName("payload");
                    payload.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            // No cancellable token: with one, the socket takes its slow send path and a timer is armed for every send.
            // A send that never completes (the peer stopped reading) is caught by the watchdog, which aborts the socket.
            Interlocked.Exchange(ref sendStartedTicks, time.GetUtcNow().UtcTicks);
            await socket.SendAsync(outgoing.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            logger.LogDebug("Socket Mode connection {Id}: send failed ({Error})", Id, ex.GetType().Name);
            return false;
        }
        finally
        {
            Interlocked.Exchange(ref sendStartedTicks, 0);
            sendLock.Release();
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                message.ResetWrittenCount();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        logger.LogInformation("Socket Mode connection {Id} closed by Slack ({Status})", Id, result.CloseStatus);
                        await CloseQuietlyAsync();
                        return;
                    }

                    if (message.WrittenCount + result.Count > 4 * 1024 * 1024)
                    {
                        throw new WebSocketException("a Socket Mode frame exceeded 4 MB");
                    }

                    message.Write(buffer.AsSpan(0, result.Count));
                }
                while (!result.EndOfMessage);

                Interlocked.Exchange(ref lastFrameTicks, time.GetUtcNow().UtcTicks);
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    continue;
                }

                await HandleFrameAsync(message.WrittenMemory);
            }
        }
        catch (Exception ex)
        {
            // Whatever broke the socket (reset, keep-alive timeout, oversized frame), the supervisor reconnects.
            if (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Socket Mode connection {Id} broke: {Error}", Id, ex.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            hello.TrySetException(new WebSocketException("the socket closed before hello"));
            outcome.TrySetResult(ConnectionOutcome.Closed);
        }
    }

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(frame.Span) as JsonObject;
        }
        catch (JsonException)
        {
            logger.LogDebug("Socket Mode connection {Id}: ignoring a frame that is not JSON", Id);
            return;
        }

        var type = json?["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        switch (type)
        {
            case "hello":
                logger.LogInformation("Socket Mode connection {Id} ready (Slack expects to refresh it in about {Seconds} s)", Id, json!["debug_info"]?["approximate_connection_time"]?.ToString() ?? "?");
                hello.TrySetResult();
                break;
            case "disconnect":
                var reason = json!["reason"]?.ToString() ?? "";
                logger.LogInformation("Socket Mode connection {Id}: Slack sent disconnect ({Reason})", Id, reason);
                outcome.TrySetResult(reason switch
                {
                    "link_disabled" => ConnectionOutcome.LinkDisabled,
                    "too_many_websockets" => ConnectionOutcome.TooManyWebsockets,
                    _ => ConnectionOutcome.Replace,
                });
                break;
            case "events_api" or "slash_commands" or "interactive":
                try
                {
                    await onEnvelope(this, json!);
                }
                catch (Exception ex)
                {
                    // The reader must survive a bad envelope; Slack will redeliver anything left unacked.
                    logger.LogError(ex, "Socket Mode connection {Id}: an envelope could not be taken", Id);
                }

                break;
            default:
                logger.LogDebug("Socket Mode connection {Id}: ignoring a frame of type {Type}", Id, type ?? "(none)");
                break;
        }
    }

    /// <summary>
    /// Aborts the socket when a send has been waiting longer than <see cref="SendTimeout"/>: the send then fails and
    /// frees the send lock, so acks, closing and the supervisor never wait on a peer that stopped reading.
    /// </summary>
    private async Task GuardSendsAsync()
    {
        using var timer = new PeriodicTimer(SendTimeout / 10, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token) && !Completion.IsCompleted)
            {
                var started = Interlocked.Read(ref sendStartedTicks);
                if (started != 0 && time.GetUtcNow().UtcTicks - started > SendTimeout.Ticks)
                {
                    logger.LogWarning("Socket Mode connection {Id}: a send waited more than {Seconds:0} s; dropping the socket", Id, SendTimeout.TotalSeconds);
                    socket.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchAsync(TimeSpan idle)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, idle.Ticks / 4));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token) && !Completion.IsCompleted)
            {
                if (time.GetUtcNow() - LastFrameAt > idle)
                {
                    logger.LogInformation("Socket Mode connection {Id}: no frame for {Seconds:0} s; replacing it", Id, idle.TotalSeconds);
                    outcome.TrySetResult(ConnectionOutcome.Replace);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            await sendLock.WaitAsync();
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                }
            }
            finally
            {
                sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes the socket (politely if it can) and waits for the reader to finish.</summary>
    public async Task CloseAsync()
    {
        await CloseQuietlyAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await Completion.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            socket.Abort();
        }
    }

    /// <summary>Drops the socket at once (no close handshake).</summary>
    public void Abort()
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            socket.Abort();
            stop.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync();
        socket.Abort();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
        }

        socket.Dispose();
        stop.Dispose();
        sendLock.Dispose();
    }
}
