using System.Diagnostics;
using System.Globalization;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Bench.Slack;

/// <summary>
/// Pushes slash commands through the Socket Mode emulator into the real Slack adapter (real composition, LiteDB in
/// memory) and reports throughput, envelope→reply latency (p50/p99) and memory. Loopback only; bounded in count
/// and time.
/// </summary>
public static class SlackSocketModeLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commands = Option(args, "--commands", 2000);
        var concurrency = Option(args, "--concurrency", 32);
        var seconds = Option(args, "--seconds", 120);
        var lines = new[] { "help", "paper list", "settings", "paper show #1", "week show" };

        await using var emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { EchoBotMessages = false, MaxRedeliveries = 0 });
        await using var bot = await SlackTestBot.StartAsync(emulator, s =>
        {
            s["Slack:Workers"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
            s["Slack:QueueCapacity"] = "10000";
        });
        await emulator.WaitForOpenSocketsAsync();
        await (await emulator.SlashCommandAsync("paper add 1706.03762")).WaitForResponseAsync();

        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var latencies = new double[commands];
        var failures = 0;
        var next = -1;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var peakWorkingSet = 0L;

        async Task DriveAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < commands && !deadline.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var delivery = await emulator.SlashCommandAsync(lines[i % lines.Length]);
                    await delivery.WaitForResponseAsync(TimeSpan.FromSeconds(30));
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref failures);
                    latencies[i] = double.NaN;
                }

                if (i % 100 == 0)
                {
                    var ws = Environment.WorkingSet;
                    if (ws > Interlocked.Read(ref peakWorkingSet))
                    {
                        Interlocked.Exchange(ref peakWorkingSet, ws);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(DriveAsync)));
        clock.Stop();

        var done = latencies.Take(Math.Min(commands, next)).Where(l => l > 0 && !double.IsNaN(l)).Order().ToArray();
        var lateAcks = emulator.Deliveries.SelectMany(d => d.Acks).Count(a => a.Late);
        var report = string.Create(CultureInfo.InvariantCulture, $"""
            Slack Socket Mode load: {done.Length} slash commands answered ({failures} timed out), concurrency {concurrency}, {Environment.ProcessorCount} cores
              throughput   {done.Length / clock.Elapsed.TotalSeconds:0.0} commands/s over {clock.Elapsed.TotalSeconds:0.0} s
              latency      p50 {Percentile(done, 0.50):0.0} ms   p99 {Percentile(done, 0.99):0.0} ms   max {(done.Length > 0 ? done[^1] : 0):0.0} ms (envelope sent → reply received)
              acks         {lateAcks} late of {emulator.Deliveries.Sum(d => d.Acks.Count)}; protocol violations {emulator.Violations.Count}
              memory       managed heap +{(GC.GetTotalMemory(false) - memoryBefore) / 1048576.0:0.0} MB after the run; peak working set {Math.Max(peakWorkingSet, Environment.WorkingSet) / 1048576.0:0} MB
            """);
        Console.WriteLine(report);
        return failures == 0 && lateAcks == 0 ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
