using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ReadingBot.Discord.Gateway;

/// <summary>One socket: the single writer (ClientWebSocket forbids concurrent sends) and the frame reader.</summary>
internal sealed class GatewayConnection(ClientWebSocket socket, TimeProvider time) : IDisposable
{
    /// <summary>The largest payload Discord accepts from a client on the Gateway.</summary>
    public const int MaxFrameBytes = 4096;

    public void Dispose() => writer.Dispose();

    private readonly SemaphoreSlim writer = new(1, 1);
    private readonly Queue<long> sent = new();
    private volatile bool ack;
    private volatile bool zombie;

    public bool AckReceived { get => ack; set => ack = value; }

    public bool Zombie { get => zombie; set => zombie = value; }

    public async Task SendAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        if (bytes.Length > MaxFrameBytes)
        {
            throw new InvalidOperationException($"a Gateway payload of {bytes.Length} bytes is over Discord's {MaxFrameBytes}");
        }

        await writer.WaitAsync(cancellationToken);
        try
        {
            // Discord allows 120 sends a minute per connection; we need a few, so this only guards a runaway.
            while (sent.Count > 0 && time.GetElapsedTime(sent.Peek()) > TimeSpan.FromSeconds(60))
            {
                sent.Dequeue();
            }

            if (sent.Count >= 110)
            {
                await Task.Delay(TimeSpan.FromSeconds(60) - time.GetElapsedTime(sent.Peek()), time, cancellationToken);
                sent.Dequeue();
            }

            sent.Enqueue(time.GetTimestamp());
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>Closes with 4000 (never 1000/1001, which would end the session) so the session can be resumed.</summary>
    /// <summary>
    /// From the reader: close with 4000 (never 1000/1001, which would end the session) and wait briefly for the
    /// server's close, so the frame is not lost to a TCP reset; then drop the socket.
    /// </summary>
    public async Task CloseResumableAsync()
    {
        await CloseAsync((WebSocketCloseStatus)4000, "reconnecting");
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            while (await ReceiveAsync(drain.Token) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        socket.Abort();
    }

    /// <summary>From the heartbeat task (the reader is mid-receive): close with 4000, give the server a moment, then drop the socket.</summary>
    public async Task CloseZombieAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        Zombie = true;
        await CloseAsync((WebSocketCloseStatus)4000, "zombie connection");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
        finally
        {
            socket.Abort();
        }
    }

    public Task CloseNormallyAsync() => CloseAsync(WebSocketCloseStatus.NormalClosure, "shutting down");

    /// <summary>Real shutdown: close with 1000 (the bot shows offline), and stop waiting for the server after a moment.</summary>
    public async Task ShutDownAsync(TimeProvider clock)
    {
        await CloseNormallyAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), clock, CancellationToken.None);
        try
        {
            socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await writer.WaitAsync(timeout.Token);
            try
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            finally
            {
                writer.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The next text frame, assembled from its fragments; null when the server closed.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        message.SetLength(0);
                        continue;
                    }

                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
