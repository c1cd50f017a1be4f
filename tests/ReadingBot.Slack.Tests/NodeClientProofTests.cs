using System.Diagnostics;
using System.Threading.Channels;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// Proves the emulator speaks Slack's protocol by running Slack's own Node clients (@slack/socket-mode and
/// @slack/web-api) against it: connect through apps.connections.open, take a slash command, ack it, answer with
/// chat.postMessage, upload a file with files.uploadV2 (the external upload flow), and reconnect after a
/// refresh_requested disconnect.
/// </summary>
public sealed class NodeClientProofTests
{
    private static string JsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("ReadingBot.sln not found above the test binaries"), "tests", "ReadingBot.Slack.Tests", "js");
    }

    [Fact]
    public async Task Slacks_own_node_clients_work_against_the_emulator()
    {
        var js = JsFolder();
        Assert.True(Directory.Exists(Path.Combine(js, "node_modules", "@slack", "socket-mode")),
            $"Slack's Node clients are not installed: run `npm ci` in {js} (CI's .ci/install does this). Node 20+ is needed.");

        await using var emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { ServerPingInterval = TimeSpan.FromSeconds(2) });
        var lines = Channel.CreateUnbounded<string>();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var node = new Process
        {
            StartInfo = new ProcessStartInfo("node")
            {
                WorkingDirectory = js,
                ArgumentList = { "proof.js", emulator.ApiBaseUrl, emulator.AppToken, emulator.Team().BotToken },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        node.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Writer.TryWrite(e.Data); } };
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) { errors.Enqueue(e.Data); } };
        try
        {
            Assert.True(node.Start(), "node could not be started: is Node.js 20+ on the PATH?");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"node could not be started ({ex.Message}): install Node.js 20+ (CI's .ci/install does).");
        }

        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            async Task ExpectAsync(string prefix) => await NextAsync(prefix);

            async Task<string> NextAsync(string prefix)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    while (true)
                    {
                        var line = await lines.Reader.ReadAsync(cts.Token);
                        if (line.StartsWith(prefix, StringComparison.Ordinal))
                        {
                            return line;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"node never printed {prefix}; stderr: {string.Join(" | ", errors)}");
                    return "";
                }
            }

            await ExpectAsync("READY");
            var first = (await emulator.WaitForOpenSocketsAsync()).Single();
            var command = await emulator.SlashCommandAsync("paper list", on: first);
            await ExpectAsync("POSTED 1");
            var webApi = await NextAsync("WEBAPI");
            Assert.Equal("WEBAPI U0BOT alice 2 1", webApi);
            var uploaded = await NextAsync("UPLOADED");
            var file = Assert.Single(emulator.SharedFiles);
            Assert.Equal("UPLOADED " + file.Id, uploaded);
            Assert.Equal("proof.bib", file.Name);
            Assert.Equal("@misc{proof,\n  title = {Uploaded by node},\n}\n", System.Text.Encoding.UTF8.GetString(file.Content!));
            Assert.Equal("from node", file.InitialComment);
            Assert.Equal(SlackEmulator.GeneralChannel, file.Channel);
            Assert.Equal(emulator.MessagesIn(SlackEmulator.GeneralChannel)[0].Ts, file.ThreadTs);
            Assert.Equal(first.Id, (await command.WaitForAckAsync()).SocketId);
            Assert.Contains(emulator.MessagesIn(SlackEmulator.GeneralChannel), m => m.Text == "node saw: paper list");

            await emulator.DisconnectAsync(first, "refresh_requested", TimeSpan.FromSeconds(1));
            await ExpectAsync("CONNECTED 2");
            var second = await emulator.WaitForNewSocketAsync(first);
            var again = await emulator.SlashCommandAsync("help", on: second);
            await ExpectAsync("POSTED 2");
            await ExpectAsync("DONE");
            await node.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

            Assert.Equal(0, node.ExitCode);
            Assert.Equal(second.Id, (await again.WaitForAckAsync()).SocketId);
            Assert.Equal(2, emulator.CallsTo("apps.connections.open").Count);
            var posts = emulator.CallsTo("chat.postMessage");
            Assert.Equal(3, posts.Count(c => c.Error is null));
            Assert.Contains(posts, c => c.Status == 429);
            Assert.Empty(emulator.RejectedTickets);
            Assert.All(emulator.Violations, v => Assert.StartsWith("chat.postMessage:", v, StringComparison.Ordinal));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }
}
