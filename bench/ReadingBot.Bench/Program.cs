using System.Diagnostics;
using System.Runtime.InteropServices;
using ReadingBot.Bench;
using ReadingBot.Bench.Discord;
using ReadingBot.Bench.Peers;
using ReadingBot.Bench.Slack;

// A dispatcher on the first argument: each case is a benchmark of its own, `all` runs them in order. Adapter load
// drivers (bench/ReadingBot.Bench/Discord, /Slack) add their cases to this table.
var cases = new (string Name, string What, Func<string[], Task> Run)[]
{
    ("recs", "tf-idf features, recommendations and memory on 100,000 synthetic abstracts in 1,000 groups", RecommendationBench.RunAsync),
    ("search", "BM25 library search over 100,000 synthetic abstracts", SearchBench.RunAsync),
    ("store", "LiteDB hot paths: votes, paper adds, reads", StoreBench.RunAsync),
    ("weekly", "the weekly close of 1,000 groups (WeeklyScheduler.RunDueAsync)", WeeklyBench.RunAsync),
    ("load", "in-process command handling at 250/500/1000/2000 commands/s (open loop)", LoadBench.RunAsync),
    ("targets", "issue #15 in-process targets: a 1,000-paper library through the pipeline at 1,000 commands/s, paper list and paper add p99", TargetsBench.RunAsync),
    ("providers", "issue #16: the store hot paths and the command load on LiteDB and on PostgreSQL, with the ratio", ProviderBench.RunAsync),
    ("cost", "what one command costs in process: CPU and bytes allocated per step, one at a time", CostBench.RunAsync),
    ("micro", "BenchmarkDotNet micro-benchmarks (short in-process job)", MicroBench.RunAsync),
    ("follow", "issue #17: one follow refresh for 5,000 authors (requests at arXiv's 3 s) and a day's 2,000 papers against 2,000 topics", FollowBench.RunAsync),
    ("web", "the group pages of five years of history (260 weeks, 1,000 papers, 50 members): render time and weight", WebBench.RunAsync),
    ("discord", "slash-command interactions through the Discord emulator at increasing rates", a => DiscordLoad.RunAsync(a)),
    ("slack", "slash commands through the Slack Socket Mode emulator", a => SlackSocketModeLoad.RunAsync(a)),
    ("scale", "issue #16: Discord-emulator throughput with 1 vs 2 bot processes (one shard each) on PostgreSQL", a => ScaleBench.RunAsync(a)),
    ("peers", "issue #15: the ReadingBot host process vs discord.js and Slack SDK peers, `paper list` through the emulators", a => PeersBench.RunAsync(a)),
};

var name = args.Length > 0 ? args[0].ToLowerInvariant() : "help";
var rest = args.Skip(1).ToArray();
Console.WriteLine($"ReadingBot bench: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
    $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)} MB available, load: {Machine.LoadAverage()}");
if (name == "all")
{
    var total = Stopwatch.StartNew();
    // Each case in a process of its own, so one case's memory figures do not carry another's heap. `peers` (minutes,
    // needs node) and the PostgreSQL cases `providers` and `scale` (they need a server) run only when asked for by name.
    foreach (var c in cases.Where(c => c.Name is not ("peers" or "scale" or "providers")))
    {
        Console.WriteLine();
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Machine).Assembly.Location);
        }

        start.ArgumentList.Add(c.Name);
        foreach (var arg in rest)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            Console.WriteLine($"{c.Name} failed with exit code {child.ExitCode}");
        }
    }

    Console.WriteLine($"\nall done in {total.Elapsed.TotalSeconds:0.0} s; load: {Machine.LoadAverage()}");
    return 0;
}

if (cases.FirstOrDefault(c => c.Name == name) is { Run: not null } one)
{
    Console.WriteLine($"=== {one.Name}: {one.What}");
    await one.Run(rest);
    return 0;
}

Console.WriteLine("usage: dotnet run -c Release --project bench/ReadingBot.Bench -- <case> [options]");
foreach (var c in cases)
{
    Console.WriteLine($"  {c.Name,-8} {c.What}");
}

Console.WriteLine("  all      every case in turn (but peers)");
return name == "help" ? 0 : 1;
