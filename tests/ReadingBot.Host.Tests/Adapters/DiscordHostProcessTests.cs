using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Host.Tests.Adapters;

/// <summary>The real host process with READINGBOT_Discord__* variables: Discord runs, the local chat stays off, /healthz reports it.</summary>
[Collection(AdapterProcesses.Name)]
public sealed class DiscordHostProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_host_with_a_token_runs_discord_and_reports_it_on_healthz()
    {
        await using var emulator = await DiscordEmulator.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        emulator.AddGuild("1100000000000000001", "Host proof", "1110000000000000001");
        var data = Directory.CreateTempSubdirectory("readingbot-host-");
        var port = FreePort();
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll"), "--data", data.FullName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["READINGBOT_Discord__Token"] = emulator.Token;
        start.Environment["READINGBOT_Discord__ApplicationId"] = emulator.Options.ApplicationId;
        start.Environment["READINGBOT_Discord__ApiBaseUrl"] = emulator.ApiBaseUrl;
        start.Environment["READINGBOT_Web__Urls"] = $"http://127.0.0.1:{port}";
        using var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            await emulator.WaitForSessionAsync(Wait);
            using var http = new HttpClient();
            JsonNode? health = null;
            await DiscordEmulator.WaitUntilAsync(() =>
            {
                try
                {
                    health = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/healthz").GetAwaiter().GetResult());
                    return health?["adapters"]?["discord"]?.GetValue<string>() == "connected";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, Wait, "/healthz to report discord connected");
            Assert.Equal("healthy", health!["status"]!.GetValue<string>());
            Assert.Equal("0 of 1", health["shards"]?["discord"]?["runs"]?.GetValue<string>());

            await DiscordEmulator.WaitUntilAsync(() => emulator.Commands() is not null, Wait, "command registration");
            var help = await emulator.SendCommandAsync("1100000000000000001", "1110000000000000001", new EmulatedUser("1000000000000000001", "alice"), "help");
            Assert.Contains("ReadingBot commands", await help.ReplyTextAsync(Wait));

            // A real shutdown closes with 1000: Discord then shows the bot offline at once.
            using (var term = Process.Start("kill", ["-TERM", host.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            Assert.True(host.WaitForExit(30_000), "the host did not stop on SIGTERM");
            await DiscordEmulator.WaitUntilAsync(() => emulator.ClientCloseCodes.Count > 0, Wait, "the close frame");
            Assert.Equal(1000, emulator.ClientCloseCodes[^1]);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }

            data.Delete(recursive: true);
        }

        string log;
        lock (output)
        {
            log = output.ToString();
        }

        Assert.DoesNotContain(emulator.Token, log, StringComparison.Ordinal);
        Assert.DoesNotContain("[bot", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_an_application_id_stops_the_host_with_a_message_naming_the_key()
    {
        var data = Directory.CreateTempSubdirectory("readingbot-host-");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll"), "--data", data.FullName])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["READINGBOT_Discord__Token"] = "secret-token-value.xyz";
        start.Environment["READINGBOT_Web__Enabled"] = "false";
        try
        {
            using var host = Process.Start(start)!;
            var stderr = host.StandardError.ReadToEndAsync();
            var stdout = host.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Wait);
            await host.WaitForExitAsync(timeout.Token);
            var log = await stderr + await stdout;

            Assert.Equal(3, host.ExitCode);
            Assert.Contains("Discord:ApplicationId: is missing", log);
            Assert.Contains("READINGBOT_Discord__ApplicationId", log);
            Assert.DoesNotContain("secret-token-value", log, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
