using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Slack.Socket;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// An ack sent to a peer that stopped reading never completes on its own: the connection's guard drops the socket
/// once a send has waited longer than <see cref="SocketModeConnection.SendTimeout"/>, so the ack fails (and frees the
/// send lock) instead of holding every later ack and the close behind it.
/// </summary>
public sealed class SocketSendGuardTests
{
    [Fact]
    public async Task A_send_to_a_peer_that_stopped_reading_fails_once_the_send_timeout_has_passed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = AcceptWithoutReadingAsync(listener);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var connection = new SocketModeConnection(time, NullLogger.Instance, (_, _) => Task.CompletedTask, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        await connection.ConnectAsync(new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/link"), TimeSpan.FromSeconds(30), CancellationToken.None);
        using var server = await accepting;

        // A large payload fills the loopback buffers after a few sends; the first send that cannot finish is the one
        // the guard must fail. (A send that finished meanwhile only means the buffers had room: send another.)
        var payload = new JsonObject { ["text"] = new string('x', 1 << 20) };
        Task<bool>? stuck = null;
        for (var i = 0; i < 200 && stuck is null; i++)
        {
            var send = connection.AckAsync("envelope-" + i, payload);
            if (await Task.WhenAny(send, Task.Delay(TimeSpan.FromMilliseconds(200))) != send)
            {
                stuck = send;
            }
        }

        Assert.NotNull(stuck);
        for (var step = 0; step < 50 && !stuck.IsCompleted; step++)
        {
            time.Advance(SocketModeConnection.SendTimeout / 5);
            await Task.WhenAny(stuck, Task.Delay(TimeSpan.FromMilliseconds(50)));
        }

        Assert.True(stuck.IsCompleted, "the stuck send was still waiting 10 send timeouts later");
        Assert.False(await stuck);
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(connection.IsOpen);
    }

    /// <summary>Accepts one WebSocket upgrade, answers it, and then never reads from the socket again.</summary>
    private static async Task<TcpClient> AcceptWithoutReadingAsync(TcpListener listener)
    {
        var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[1];
        while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                throw new IOException("the client closed during the upgrade");
            }

            request.Append((char)buffer[0]);
        }

        var key = request.ToString().Split("\r\n").Single(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))["Sec-WebSocket-Key:".Length..].Trim();
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the upgrade's accept key; nothing is protected by it.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        client.ReceiveBufferSize = 4096;
        return client;
    }
}
