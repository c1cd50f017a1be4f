using System.Diagnostics;
using ReadingBot.Core.Replies;

namespace ReadingBot.Bench;

/// <summary>
/// An open-loop load driver: commands are issued on a fixed schedule whatever the latency (no coordinated
/// omission), each on the thread pool as an adapter's queue worker would run it, through the real dispatcher,
/// router, domain and LiteDB file. Latency runs from the scheduled time to the reply.
/// </summary>
internal static class LoadBench
{
    private const int Groups = 100;
    private const int Members = 10;
    private const int PapersPerGroup = 20;

    public static async Task RunAsync(string[] args)
    {
        var rates = args.Length > 0 ? args.Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [250, 500, 1000, 2000];
        var seconds = 3.0;
        using var bot = BenchBot.Create(TimeProvider.System);
        await SetupAsync(bot);
        await RunRateAsync(bot, 200, 2.0, print: false);
        foreach (var rate in rates)
        {
            await RunRateAsync(bot, rate, seconds, print: true);
        }

        Console.WriteLine($"memory after the load: {Machine.MemoryLine()}");
    }

    /// <summary>The groups, papers and suggestions the mix of commands reads and votes on.</summary>
    public static async Task SetupAsync(BenchBot bot)
    {
        var sw = Stopwatch.StartNew();
        for (var g = 0; g < Groups; g++)
        {
            for (var p = 0; p < PapersPerGroup; p++)
            {
                await bot.SendAsync($"w{g}", "mod", $"paper add 2402.{(g * PapersPerGroup) + p:D5}", moderator: true);
            }

            for (var p = 1; p <= 5; p++)
            {
                await bot.SendAsync($"w{g}", $"m{p}", $"paper suggest #{p} a good one");
            }
        }

        Console.WriteLine($"setup: {Groups} groups × {PapersPerGroup} papers, 5 suggestions each, in {sw.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine("mix: 30% paper list, 20% paper vote, 15% paper search, 15% week show, 10% paper queue, 10% like");
    }

    private static string Command(int i)
    {
        var r = (int)((uint)(i * 2654435761) % 100);
        var n = 1 + (i % PapersPerGroup);
        return r switch
        {
            < 30 => "paper list",
            < 50 => $"paper vote #{1 + (i % 5)}",
            < 65 => "paper search placeholder attention",
            < 80 => "week show",
            < 90 => "paper queue",
            _ => $"like #{n}",
        };
    }

    /// <summary>One rate's figures: completed per second, end-to-end p50/p99 (ms) and service-time p99 (ms).</summary>
    public readonly record struct RateResult(double Completed, double P50, double P99, double ServiceP99, int Refusals);

    public static async Task<RateResult> RunRateAsync(BenchBot bot, int rate, double seconds, bool print)
    {
        var total = (int)(rate * seconds);
        var latencies = new double[total];
        var service = new double[total];
        var errors = 0;
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var issued = 0;
        while (issued < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            while (issued < due)
            {
                var i = issued++;
                var scheduled = i / (double)rate;
                tasks.Add(Task.Run(async () =>
                {
                    var started = clock.Elapsed.TotalSeconds;
                    var reply = await bot.SendAsync($"w{i % Groups}", $"m{i % Members}", Command(i));
                    var done = clock.Elapsed.TotalSeconds;
                    latencies[i] = (done - scheduled) * 1000;
                    service[i] = (done - started) * 1000;
                    if (reply is ErrorReply)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }));
            }

            Thread.Sleep(1);
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        var serviceSorted = service.Order().ToList();
        var result = new RateResult(total / elapsed, Machine.Percentile(sorted, 50), Machine.Percentile(sorted, 99), Machine.Percentile(serviceSorted, 99), errors);
        if (!print)
        {
            return result;
        }

        var byKind = Enumerable.Range(0, total).GroupBy(i => Command(i).Split(' ')[0] + " " + Command(i).Split(' ')[1].TrimStart('#').Where(char.IsLetter).Aggregate("", (a, c) => a + c))
            .Select(g => (Kind: g.Key.Trim(), Sorted: g.Select(i => latencies[i]).Order().ToList()))
            .Select(k => $"{k.Kind} p50 {Machine.Percentile(k.Sorted, 50):0.0}/p99 {Machine.Percentile(k.Sorted, 99):0.0}");
        Console.WriteLine($"{rate,5}/s offered for {seconds:0} s: {total / elapsed,6:N0}/s completed; latency p50 {Machine.Percentile(sorted, 50):0.00} ms, " +
            $"p99 {Machine.Percentile(sorted, 99):0.00} ms, max {sorted[^1]:0.0} ms; {errors} refusals");
        Console.WriteLine("        by command (ms): " + string.Join("; ", byKind));
        Console.WriteLine($"        service time alone (from the moment a worker started it): p50 {Machine.Percentile(serviceSorted, 50):0.00} ms, p99 {Machine.Percentile(serviceSorted, 99):0.00} ms");
        return result;
    }
}
