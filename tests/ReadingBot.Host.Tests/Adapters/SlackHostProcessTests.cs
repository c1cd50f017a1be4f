using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Host.Tests.Adapters;

/// <summary>
/// The real host process (what <c>dotnet run --project src/ReadingBot.Host</c> runs) with Slack tokens in
/// READINGBOT_* variables, against the emulator: it connects, answers, reports health, and refuses a bad token.
/// </summary>
[Collection(AdapterProcesses.Name)]
public sealed class SlackHostProcessTests : IAsyncLifetime
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-host-" + Guid.NewGuid().ToString("N"));
    private SlackEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Process StartHost(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll"), "--data", data },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("READINGBOT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task The_host_runs_the_slack_adapter_when_tokens_are_configured()
    {
        var port = FreePort();
        using var host = StartHost(new()
        {
            ["READINGBOT_Slack__BotToken"] = emulator.Team().BotToken,
            ["READINGBOT_Slack__AppToken"] = emulator.AppToken,
            ["READINGBOT_Slack__ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["READINGBOT_Web__Urls"] = $"http://127.0.0.1:{port}",
        });
        var stderr = host.StandardError.ReadToEndAsync();
        try
        {
            await emulator.WaitForOpenSocketsAsync(timeout: TimeSpan.FromSeconds(60));
            var reply = await (await emulator.SlashCommandAsync("help")).WaitForResponseAsync();
            using var http = new HttpClient();
            JsonNode? health = null;
            await Eventually.TrueAsync(() =>
            {
                try
                {
                    health = JsonNode.Parse(http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")).GetAwaiter().GetResult());
                    return health?["adapters"]?["slack"]?.ToString() == "connected";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "/healthz reported Slack connected", TimeSpan.FromSeconds(60));

            Assert.Contains("ReadingBot commands", SlackJson.Strings(reply));
            Assert.Equal("healthy", health!["status"]!.ToString());
            // Two Socket Mode connections by default (Slack:SocketConnections); /healthz counts them.
            Assert.Equal(2, health["shards"]?["slack"]?["wanted"]?.GetValue<int>());
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        var log = await stderr;
        Assert.DoesNotContain(emulator.Team().BotToken, log, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.AppToken, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_answered_before_a_kill_9_is_not_run_again_when_Slack_redelivers_it_to_the_next_process()
    {
        var environment = new Dictionary<string, string>
        {
            ["READINGBOT_Slack__BotToken"] = emulator.Team().BotToken,
            ["READINGBOT_Slack__AppToken"] = emulator.AppToken,
            ["READINGBOT_Slack__ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["READINGBOT_Papers__Enabled"] = "false",
            ["READINGBOT_Web__Urls"] = $"http://127.0.0.1:{FreePort()}",
        };
        SlackDelivery added;
        using (var first = StartHost(environment))
        {
            try
            {
                await emulator.WaitForOpenSocketsAsync(timeout: TimeSpan.FromSeconds(60));
                added = await emulator.SlashCommandAsync("paper add 1706.03762");
                Assert.Contains("Added #1", SlackJson.Strings(await added.WaitForResponseAsync()));
            }
            finally
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
        }

        await Eventually.TrueAsync(() => emulator.OpenSockets.Count == 0, "the killed process's socket closed");
        using var second = StartHost(environment);
        try
        {
            await emulator.WaitForOpenSocketsAsync(timeout: TimeSpan.FromSeconds(60));
            await emulator.RedeliverSameEnvelopeAsync(added);
            await Eventually.TrueAsync(() => added.Acks.Count == 2, "the redelivered envelope was acked");
            var listed = await (await emulator.SlashCommandAsync("paper list")).WaitForResponseAsync();

            Assert.Contains("Library (1 paper)", SlackJson.Strings(listed));
            Assert.Single(added.Responses);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_rejected_bot_token_stops_the_host_with_a_clear_message()
    {
        using var host = StartHost(new()
        {
            ["READINGBOT_Slack__BotToken"] = "xoxb-revoked-long-ago",
            ["READINGBOT_Slack__AppToken"] = emulator.AppToken,
            ["READINGBOT_Slack__ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["READINGBOT_Web__Enabled"] = "false",
        });
        var stderr = host.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForExitAsync(timeout.Token);
        var log = await stderr;

        Assert.Equal(3, host.ExitCode);
        Assert.Contains("ReadingBot cannot start: Slack:BotToken: Slack rejected the token (invalid_auth)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-revoked-long-ago", log, StringComparison.Ordinal);
    }
}
