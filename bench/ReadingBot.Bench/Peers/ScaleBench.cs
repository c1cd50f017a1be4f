using System.Diagnostics;
using System.Globalization;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Bench.Peers;

/// <summary>
/// Issue #16: Discord-emulator throughput with one bot process running both shards and with two processes running
/// one shard each, both on PostgreSQL (a fresh schema per run). `paper list` commands spread over servers of both
/// shards, closed loop; target: two processes answer ≥ 1.6× as many per second as one.
/// </summary>
public static class ScaleBench
{
    private const double Target = 1.6;
    private const int Servers = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var commands = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
        const int concurrency = 32;
        var hostDll = Path.Combine(PeersBench.RepoRoot(), "src", "ReadingBot.Host", "bin", "Release", "net10.0", "ReadingBot.Host.dll");
        if (BenchSchema.Server is not { } server || !File.Exists(hostDll))
        {
            Console.WriteLine("Needs the Release host (dotnet build -c Release bench/ReadingBot.Bench) and READINGBOT_BENCH_POSTGRES or READINGBOT_TEST_POSTGRES.");
            return 1;
        }

        Console.WriteLine($"{commands} `paper list` commands over {Servers} servers on 2 shards, {concurrency} in flight; load {Machine.LoadAverage()}");
        var one = await RunAsync(hostDll, server, ["0-1"], commands, concurrency);
        var two = await RunAsync(hostDll, server, ["0", "1"], commands, concurrency);
        var ratio = two / one;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: 1 process {one:0}/s, 2 processes {two:0}/s, ratio {ratio:0.00}×; target ≥ {Target}×: {(ratio >= Target ? "met" : "missed")}; load {Machine.LoadAverage()}"));
        return 0;
    }

    private static async Task<double> RunAsync(string hostDll, string server, string[] shardRanges, int commands, int concurrency)
    {
        using var schema = new BenchSchema(server);
        await using var emulator = await DiscordEmulator.StartAsync(o => (o.RecommendedShards, o.IdentifyConcurrencyWindow, o.GlobalLimit) = (2, TimeSpan.Zero, 100_000));
        var guilds = Enumerable.Range(0, Servers).Select(i => ((((ulong)3000 + (ulong)i) << 22) | 1).ToString(CultureInfo.InvariantCulture)).ToArray();
        var channels = Enumerable.Range(0, Servers).Select(i => (1500000000000000000UL + (ulong)i).ToString(CultureInfo.InvariantCulture)).ToArray();
        for (var i = 0; i < Servers; i++)
        {
            emulator.AddGuild(guilds[i], $"Bench {i}", channels[i]);
        }

        var bots = shardRanges.Select(range => BotUnderTest.Start(PeersBench.HostStart(hostDll, ["Logging:LogLevel:Default=Warning"], new Dictionary<string, string>
        {
            ["READINGBOT_Discord__Token"] = emulator.Token,
            ["READINGBOT_Discord__ApplicationId"] = emulator.Options.ApplicationId,
            ["READINGBOT_Discord__ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["READINGBOT_Discord__IdentifySpacingSeconds"] = "0",
            ["READINGBOT_Discord__ShardCount"] = "auto",
            ["READINGBOT_Discord__ShardIds"] = range,
            ["READINGBOT_Storage__Provider"] = "Postgres",
            ["READINGBOT_Storage__ConnectionString"] = schema.ConnectionString,
        }))).ToList();
        try
        {
            await DiscordEmulator.WaitUntilAsync(() => emulator.IsShardLive(0) && emulator.IsShardLive(1), TimeSpan.FromSeconds(120), "both shards live");
            await DiscordEmulator.WaitUntilAsync(() => emulator.Commands() is not null, TimeSpan.FromSeconds(120), "command registration");
            var user = new EmulatedUser("1000000000000000001", "bench");
            var next = 0;
            async Task<PeersBench.Sample> OneAsync()
            {
                var i = Interlocked.Increment(ref next) % Servers;
                var interaction = await emulator.SendCommandAsync(guilds[i], channels[i], user, "paper", "list");
                await interaction.WaitForReplyAsync(TimeSpan.FromSeconds(30));
                var ms = interaction.ReplyLatency!.Value.TotalMilliseconds;
                return new PeersBench.Sample(ms, ms);
            }

            await PeersBench.ClosedLoopAsync(Math.Min(500, commands), concurrency, OneAsync);
            var clock = Stopwatch.StartNew();
            var (samples, failures) = await PeersBench.ClosedLoopAsync(commands, concurrency, OneAsync);
            var throughput = samples.Count / clock.Elapsed.TotalSeconds;
            var sorted = samples.Select(s => s.ReplyMs).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{bots.Count} process(es), shards {string.Join(" + ", shardRanges)}: {samples.Count} answered, {failures} failed, {throughput:0} /s, p50 {Machine.Percentile(sorted, 50):0.0} ms, p99 {Machine.Percentile(sorted, 99):0.0} ms, bot CPU-s {bots.Sum(b => b.CpuSeconds()):0.0}; load {Machine.LoadAverage()}"));
            return throughput;
        }
        finally
        {
            bots.ForEach(b => b.Dispose());
        }
    }
}
