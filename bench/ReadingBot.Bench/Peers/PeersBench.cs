using System.Diagnostics;
using System.Globalization;
using ReadingBot.TestSupport.Discord;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Bench.Peers;

/// <summary>
/// Issue #15's side-by-side: the real ReadingBot host (a separate Release process, fresh data directory) and a
/// minimal peer bot on the platform's own SDK (bench/peers, node), each driven through our own emulator with the same
/// closed-loop load of <c>paper list</c> commands. The process's CPU and peak RSS come from /proc, so each bot is
/// measured on its own, without the emulator and the driver that share this process. Loopback only; bench only.
/// </summary>
public static class PeersBench
{
    private const string Guild = "1100000000000000001";
    private const string Channel = "1110000000000000001";

    // Issue #15's targets: ReadingBot / peer.
    private const double DiscordCpuTarget = 0.5;
    private const double SlackCpuTarget = 1.0;

    private static readonly string[] Platforms = ["discord", "slack"];
    private static readonly string[] Subjects = ["ReadingBot", "peer"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = PeersOptions.Parse(args);
        var root = RepoRoot();
        // `--host-dll DIR/ReadingBot.Host.dll` runs another build of the host, e.g. the ReadyToRun publish of the Dockerfile.
        var hostDll = options.HostDll ?? Path.Combine(root, "src", "ReadingBot.Host", "bin", "Release", "net10.0", "ReadingBot.Host.dll");
        if (!File.Exists(hostDll))
        {
            Console.WriteLine($"The Release host is missing ({hostDll}): run `dotnet build -c Release bench/ReadingBot.Bench` first.");
            return 1;
        }

        foreach (var setting in options.HostSettings.Where(s => !s.Contains('=', StringComparison.Ordinal)))
        {
            Console.WriteLine($"--host takes KEY=VALUE, not '{setting}'");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Commands} `paper list` commands per path, {options.Concurrency} in flight, {options.Warmup} warm-up commands first (not measured); host {hostDll}; host settings: {(options.HostSettings.Count == 0 ? "defaults" : string.Join(", ", options.HostSettings))}; load {Machine.LoadAverage()}"));
        var results = new List<PathResult>();
        var failed = false;
        foreach (var platform in Platforms.Where(p => options.Only is null || options.Only == p))
        {
            foreach (var subject in Subjects.Where(s => s == "ReadingBot" || !options.NoPeers))
            {
                Console.WriteLine($"--- {platform} / {subject} (load {Machine.LoadAverage()})");
                try
                {
                    var result = platform == "discord"
                        ? await DiscordPathAsync(subject, root, hostDll, options)
                        : await SlackPathAsync(subject, root, hostDll, options);
                    Console.WriteLine(result.Line());
                    results.Add(result);
                    failed |= result.Failures > 0;
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException)
                {
                    Console.WriteLine($"{platform} / {subject} failed: {ex.Message}");
                    failed = true;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(Table(results));
        return failed ? 1 : 0;
    }

    // ------------------------------------------------------------------------------------------------ Discord

    private static async Task<PathResult> DiscordPathAsync(string subject, string root, string hostDll, PeersOptions options)
    {
        await using var emulator = await DiscordEmulator.StartAsync(o => o.IdentifyConcurrencyWindow = TimeSpan.Zero);
        emulator.AddGuild(Guild, "Bench", Channel);
        using var bot = subject == "ReadingBot"
            ? BotUnderTest.Start(HostStart(hostDll, options.HostSettings, new Dictionary<string, string>
            {
                ["READINGBOT_Discord__Token"] = emulator.Token,
                ["READINGBOT_Discord__ApplicationId"] = emulator.Options.ApplicationId,
                ["READINGBOT_Discord__ApiBaseUrl"] = emulator.ApiBaseUrl,
                ["READINGBOT_Discord__IdentifySpacingSeconds"] = "0",
            }))
            : BotUnderTest.Start(NodeStart(
                Path.Combine(root, "bench", "peers", "discord-peer.mjs"),
                null,
                Path.Combine(root, "tests", "ReadingBot.Discord.Tests", "js", "node_modules"),
                $"http://127.0.0.1:{emulator.Port}/api",
                emulator.Token));
        await emulator.WaitForSessionAsync(TimeSpan.FromSeconds(90));
        await DiscordEmulator.WaitUntilAsync(() => emulator.Commands() is not null, TimeSpan.FromSeconds(90), "command registration");

        var user = new ReadingBot.TestSupport.Discord.EmulatedUser("1000000000000000001", "bench");
        var deferred = 0;
        async Task<Sample> OneAsync()
        {
            var interaction = await emulator.SendCommandAsync(Guild, Channel, user, "paper", "list");
            await interaction.WaitForReplyAsync(TimeSpan.FromSeconds(30));
            if (interaction.CallbackType == 5)
            {
                Interlocked.Increment(ref deferred);
            }

            var ms = interaction.ReplyLatency!.Value.TotalMilliseconds;
            return new Sample(ms, ms);
        }

        var first = await emulator.SendCommandAsync(Guild, Channel, user, "paper", "list");
        var firstReply = (await first.WaitForReplyAsync(TimeSpan.FromSeconds(30))).ToJsonString();
        var result = await MeasureAsync("discord", subject, bot, options, OneAsync);
        result.Reply = firstReply;
        result.Notes = $"deferred {deferred}; emulator: exhausted-bucket hits {emulator.Recorder.ExhaustedBucketHits}, invalid responses {emulator.Recorder.InvalidResponses}, unsafe messages {emulator.Recorder.UnsafeMessages.Count}";
        return result;
    }

    // ------------------------------------------------------------------------------------------------ Slack

    private static async Task<PathResult> SlackPathAsync(string subject, string root, string hostDll, PeersOptions options)
    {
        // As SlackSocketModeLoad: no echo of the bot's own messages, no redelivery (an unacked envelope is a failure).
        await using var emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { EchoBotMessages = false, MaxRedeliveries = 0 });
        var modules = Path.Combine(root, "tests", "ReadingBot.Slack.Tests", "js", "node_modules");
        using var bot = subject == "ReadingBot"
            ? BotUnderTest.Start(HostStart(hostDll, options.HostSettings, new Dictionary<string, string>
            {
                ["READINGBOT_Slack__BotToken"] = emulator.Team().BotToken,
                ["READINGBOT_Slack__AppToken"] = emulator.AppToken,
                ["READINGBOT_Slack__ApiBaseUrl"] = emulator.ApiBaseUrl,
            }))
            : BotUnderTest.Start(NodeStart(
                Path.Combine(root, "bench", "peers", "slack-peer.js"),
                modules,
                emulator.ApiBaseUrl,
                emulator.AppToken,
                emulator.Team().BotToken));
        await emulator.WaitForOpenSocketsAsync(timeout: TimeSpan.FromSeconds(90));
        if (subject == "peer")
        {
            await bot.WaitForLineAsync("READY", TimeSpan.FromSeconds(60));
        }

        async Task<Sample> OneAsync()
        {
            var started = Stopwatch.GetTimestamp();
            var delivery = await emulator.SlashCommandAsync("paper list");
            await delivery.Acked.WaitAsync(TimeSpan.FromSeconds(30));
            var ack = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await delivery.WaitForResponseAsync(TimeSpan.FromSeconds(30));
            return new Sample(ack, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var first = await emulator.SlashCommandAsync("paper list");
        var firstReply = (await first.WaitForResponseAsync(TimeSpan.FromSeconds(30))).ToJsonString();
        var result = await MeasureAsync("slack", subject, bot, options, OneAsync);
        result.Reply = firstReply;
        result.Notes = $"late acks {emulator.Deliveries.SelectMany(d => d.Acks).Count(a => a.Late)}; protocol violations {emulator.Violations.Count}; Web API calls {emulator.Calls.Count}";
        return result;
    }

    // ------------------------------------------------------------------------------------------------ the run

    internal readonly record struct Sample(double AckMs, double ReplyMs);

    private static async Task<PathResult> MeasureAsync(string platform, string subject, BotUnderTest bot, PeersOptions options, Func<Task<Sample>> one)
    {
        await ClosedLoopAsync(options.Warmup, options.Concurrency, one);
        Tracing? tracing = options.TraceDirectory is { } dir && subject == "ReadingBot" ? await Tracing.StartAsync(dir, platform, bot.Pid) : null;
        var logLinesBefore = bot.ErrorLines;
        var cpuBefore = bot.CpuSeconds();
        var clock = Stopwatch.StartNew();
        var (samples, failures) = await ClosedLoopAsync(options.Commands, options.Concurrency, one);
        clock.Stop();
        var cpu = bot.CpuSeconds() - cpuBefore;
        var logLines = bot.ErrorLines - logLinesBefore;
        if (tracing is not null)
        {
            await tracing.StopAsync();
        }

        var acks = samples.Select(s => s.AckMs).Order().ToList();
        var replies = samples.Select(s => s.ReplyMs).Order().ToList();
        return new PathResult(platform, subject)
        {
            Answered = samples.Count,
            Failures = failures,
            Seconds = clock.Elapsed.TotalSeconds,
            CpuSeconds = cpu,
            LifetimeCpuSeconds = bot.CpuSeconds(),
            PeakRssMb = bot.PeakRssMb(),
            AckP50 = Machine.Percentile(acks, 50),
            AckP99 = Machine.Percentile(acks, 99),
            P50 = Machine.Percentile(replies, 50),
            P99 = Machine.Percentile(replies, 99),
            LogLines = logLines,
            Load = Machine.LoadAverage(),
        };
    }

    /// <summary>Runs <paramref name="count"/> commands with <paramref name="concurrency"/> in flight; a command that is not answered in time is a failure.</summary>
    internal static async Task<(List<Sample> Samples, int Failures)> ClosedLoopAsync(int count, int concurrency, Func<Task<Sample>> one)
    {
        var samples = new List<Sample>(count);
        var failures = 0;
        var next = -1;
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) < count)
            {
                try
                {
                    var sample = await one();
                    lock (samples)
                    {
                        samples.Add(sample);
                    }
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync)));
        return (samples, failures);
    }

    // ------------------------------------------------------------------------------------------------ processes

    internal static ProcessStartInfo HostStart(string hostDll, IReadOnlyList<string> extra, Dictionary<string, string> platform)
    {
        var data = Path.Combine(Path.GetTempPath(), "readingbot-peers-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[] { hostDll, "--data", data })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("READINGBOT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        // The host's own defaults otherwise (logging included): only what keeps it off the internet and the terminal.
        start.Environment["READINGBOT_Papers__Enabled"] = "false";
        start.Environment["READINGBOT_Local__Enabled"] = "false";
        start.Environment["READINGBOT_Web__Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in platform)
        {
            start.Environment[key] = value;
        }

        foreach (var setting in extra)
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            var key = setting[..eq];
            // A runtime variable (DOTNET_…) goes to the host as it is, so a runtime setting can be tried on the host alone.
            start.Environment[key.StartsWith("DOTNET_", StringComparison.Ordinal) ? key : "READINGBOT_" + key.Replace(":", "__", StringComparison.Ordinal)] = setting[(eq + 1)..];
        }

        return start;
    }

    private static ProcessStartInfo NodeStart(string script, string? nodePath, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Path.GetDirectoryName(script)! };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (nodePath is not null)
        {
            start.Environment["NODE_PATH"] = nodePath;
        }

        return start;
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ReadingBot.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Shorten(string json) => json.Length > 600 ? json[..600] + "…" : json;

    // ------------------------------------------------------------------------------------------------ report

    private static string Table(List<PathResult> results)
    {
        var lines = new List<string>
        {
            "| path | bot | answered | CPU-s (run) | CPU ms/command | throughput/s | p50 ms | p99 ms | ack p99 ms | peak RSS MB | log lines/command | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        };
        lines.AddRange(results.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"| {r.Platform} | {r.Subject} | {r.Answered}/{r.Answered + r.Failures} | {r.CpuSeconds:0.00} | {r.CpuMsPerCommand:0.000} | {r.Throughput:0} | {r.P50:0.0} | {r.P99:0.0} | {r.AckP99:0.0} | {r.PeakRssMb:0} | {r.LogLinesPerCommand:0.00} | {r.Load} |")));
        foreach (var platform in Platforms)
        {
            var ours = results.FirstOrDefault(r => r.Platform == platform && r.Subject == "ReadingBot");
            var peer = results.FirstOrDefault(r => r.Platform == platform && r.Subject == "peer");
            if (ours is null || peer is null)
            {
                continue;
            }

            var cpuTarget = platform == "discord" ? DiscordCpuTarget : SlackCpuTarget;
            static string Verdict(double ratio, double target) => ratio <= target ? "met" : "missed";
            var cpu = ours.CpuMsPerCommand / peer.CpuMsPerCommand;
            var p99 = ours.P99 / peer.P99;
            var rss = ours.PeakRssMb / peer.PeakRssMb;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{platform}: ReadingBot/peer  CPU per command {cpu:0.00}× (target ≤ {cpuTarget:0.0}×: {Verdict(cpu, cpuTarget)})  p99 {p99:0.00}× (≤ 1: {Verdict(p99, 1)})  peak RSS {rss:0.00}× (≤ 1: {Verdict(rss, 1)})  throughput {ours.Throughput / peer.Throughput:0.00}×"));
        }

        foreach (var r in results)
        {
            lines.Add($"{r.Platform}/{r.Subject}: first reply {Shorten(r.Reply)}; {r.Notes}; lifetime CPU {r.LifetimeCpuSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        }

        return string.Join('\n', lines);
    }

    private sealed class PathResult(string platform, string subject)
    {
        public string Platform { get; } = platform;
        public string Subject { get; } = subject;
        public int Answered { get; init; }
        public int Failures { get; init; }
        public double Seconds { get; init; }
        public double CpuSeconds { get; init; }
        public double LifetimeCpuSeconds { get; init; }
        public double PeakRssMb { get; init; }
        public double AckP50 { get; init; }
        public double AckP99 { get; init; }
        public double P50 { get; init; }
        public double P99 { get; init; }
        public long LogLines { get; init; }
        public string Load { get; init; } = "";
        public string Reply { get; set; } = "";
        public string Notes { get; set; } = "";
        public double CpuMsPerCommand => Answered == 0 ? double.NaN : CpuSeconds * 1000 / Answered;
        public double Throughput => Answered / Seconds;
        public double LogLinesPerCommand => Answered == 0 ? 0 : (double)LogLines / Answered;

        public string Line() => string.Create(CultureInfo.InvariantCulture,
            $"{Answered} answered, {Failures} failed in {Seconds:0.0} s ({Throughput:0}/s); CPU {CpuSeconds:0.00} s ({CpuMsPerCommand:0.000} ms/command); p50 {P50:0.0} ms, p99 {P99:0.0} ms (ack p99 {AckP99:0.0} ms); peak RSS {PeakRssMb:0} MB; {LogLines} log lines; load {Load}");
    }

    private sealed record PeersOptions(int Commands, int Concurrency, int Warmup, string? Only, bool NoPeers, string? TraceDirectory, IReadOnlyList<string> HostSettings, string? HostDll)
    {
        public static PeersOptions Parse(string[] args)
        {
            string? Value(string name)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            }

            int Number(string name, int fallback) =>
                int.TryParse(Value(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

            // `peers 2000` is short for `peers --commands 2000`.
            var positional = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 20_000;
            return new PeersOptions(
                Number("--commands", positional),
                Number("--concurrency", 32),
                Number("--warmup", 500),
                Value("--only")?.ToLowerInvariant(),
                args.Contains("--no-peers"),
                Value("--trace"),
                // `--host Logging:LogLevel:Default=Warning` (repeatable): a setting for the ReadingBot host, for experiments;
                // `--host DOTNET_…=…` sets a runtime variable for the host alone.
                [.. args.Select((a, i) => (a, i)).Where(x => x.a == "--host" && x.i + 1 < args.Length).Select(x => args[x.i + 1])],
                Value("--host-dll") is { } dll ? Path.GetFullPath(dll) : null);
        }
    }
}
