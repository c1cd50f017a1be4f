using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// The emulator proven against the real discord.js client (npm, run by node): it connects, identifies, receives
/// READY, registers a command, answers an interaction (also with an uploaded picture in an embed), resumes after op 7, and
/// creates a scheduled event whose GUILD_SCHEDULED_EVENT_CREATE it parses. CI installs js/node_modules with npm ci.
/// </summary>
public sealed class DiscordJsProofTests
{
    private const string Guild = "1100000000000000001";
    private const string Channel = "1110000000000000001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Discord_js_connects_registers_answers_and_resumes_against_the_emulator()
    {
        var folder = Path.Combine(Solution(), "tests", "ReadingBot.Discord.Tests", "js");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "discord.js")),
            $"discord.js is not installed: run `npm ci` in {folder} (CI does this in .ci/install).");

        await using var emulator = await DiscordEmulator.StartAsync(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(1);
            o.IdentifyConcurrencyWindow = TimeSpan.Zero;
        });
        emulator.AddGuild(Guild, "Proof", Channel);

        var lines = new BlockingCollection<JsonObject>();
        var errors = new ConcurrentQueue<string>();
        using var node = StartNode(folder, emulator, lines, errors);
        try
        {
            var ready = Next(lines, "ready", errors);
            Assert.Equal(emulator.Options.BotUserId, ready["user"]!.GetValue<string>());
            Assert.Equal(1, Next(lines, "registered", errors)["count"]!.GetValue<int>());
            Assert.Equal("ping", emulator.Commands()![0]!["name"]!.GetValue<string>());
            Assert.Equal(1, emulator.Identifies);

            var first = await emulator.SendCommandAsync(Guild, Channel, new EmulatedUser("1000000000000000001", "alice"), "ping", null, ("word", "hello"));
            Assert.Equal("discord.js says hello", (await first.WaitForReplyAsync(Wait))["content"]!.GetValue<string>());
            Next(lines, "replied", errors);

            await emulator.SendReconnectAsync();
            Next(lines, "resumed", errors);
            Assert.Equal(1, emulator.SuccessfulResumes);
            Assert.Equal(0, emulator.ResumesOnGatewayPath);
            Assert.Equal(1, emulator.Identifies);

            var second = await emulator.SendCommandAsync(Guild, Channel, new EmulatedUser("1000000000000000002", "bob"), "ping");
            Assert.Equal("discord.js says pong", (await second.WaitForReplyAsync(Wait))["content"]!.GetValue<string>());

            // discord.js's own multipart encoding of a file shown in an embed.
            var picture = await emulator.SendCommandAsync(Guild, Channel, new EmulatedUser("1000000000000000002", "bob"), "ping", null, ("word", "picture"));
            var withPicture = await picture.WaitForReplyAsync(Wait);
            var attachment = withPicture["attachments"]![0]!.AsObject();
            Assert.Equal(("chart.png", "a chart"), (attachment["filename"]!.GetValue<string>(), attachment["description"]!.GetValue<string>()));
            Assert.Equal(attachment["url"]!.GetValue<string>(), withPicture["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
            Assert.Equal(11, emulator.Download(attachment["url"]!.GetValue<string>())!.Content.Length);
            Assert.Empty(emulator.UnresolvedAttachmentReferences);
            Assert.Empty(emulator.CommandRegistrationErrors);
            Assert.Empty(first.Errors);
            Assert.Empty(second.Errors);
            Assert.Empty(picture.Errors);

            // discord.js creates an EXTERNAL scheduled event and parses the GUILD_SCHEDULED_EVENT_CREATE it causes.
            await node.StandardInput.WriteLineAsync("event");
            await node.StandardInput.FlushAsync();
            var scheduled = Next(lines, "scheduled", errors);
            var made = Assert.Single(emulator.ScheduledEventsIn(Guild));
            Assert.Equal((made["id"]!.ToString(), "Proof meeting", "https://discord.com/channels/1/2", emulator.Options.BotUserId),
                (scheduled["id"]!.ToString(), scheduled["name"]!.ToString(), scheduled["location"]!.ToString(), scheduled["creator"]!.ToString()));

            await node.StandardInput.WriteLineAsync("quit");
            await node.StandardInput.FlushAsync();
            Next(lines, "stopped", errors);
        }
        finally
        {
            if (!node.WaitForExit(10_000))
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartNode(string folder, DiscordEmulator emulator, BlockingCollection<JsonObject> lines, ConcurrentQueue<string> errors)
    {
        var start = new ProcessStartInfo("node", ["proof.mjs", emulator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), emulator.Token])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process node;
        try
        {
            node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not on PATH: install Node.js 18 or later (CI's machine has it).", ex);
        }

        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                lines.Add(JsonNode.Parse(line)!.AsObject());
            }
        };
        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                errors.Enqueue(e.Data);
            }
        };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        return node;
    }

    private static JsonObject Next(BlockingCollection<JsonObject> lines, string expected, ConcurrentQueue<string> errors)
    {
        while (lines.TryTake(out var line, Wait))
        {
            var name = line["event"]!.GetValue<string>();
            Assert.False(name == "error", $"discord.js reported: {line.ToJsonString()}");
            if (name == expected)
            {
                return line;
            }
        }

        throw new TimeoutException($"discord.js never reported '{expected}'. stderr: {string.Join('\n', errors)}");
    }

    private static string Solution()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ReadingBot.sln not found above the test binaries");
    }
}
