using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Bench;

/// <summary>BenchmarkDotNet cases on one short in-process job, so `micro` stays within a minute or two.</summary>
internal static class MicroBench
{
    public static Task RunAsync(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
        BenchmarkRunner.Run([typeof(FeatureBenchmarks), typeof(CommandBenchmarks)], config, args);
        return Task.CompletedTask;
    }
}

[MemoryDiagnoser]
public class FeatureBenchmarks
{
    private FeatureSpace space = null!;
    private FeatureDocument document = null!;
    private SparseRow[] rows = [];
    private LinearModel model = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = new SyntheticCorpus();
        var docs = Enumerable.Range(0, 5_000).Select(i => corpus.Paper(i)).Select((p, i) => new FeatureDocument($"k{i}", p.Title, p.Abstract, p.Authors)).ToList();
        space = FeatureSpace.Fit(docs, new FeatureOptions(), 1);
        rows = docs.Select(space.Transform).ToArray();
        document = docs[17];
        model = LinearModels.Centroid(rows.Take(10).Select(r => (r, 1.0)), space.Count, space.Version);
    }

    [Benchmark(Description = "tf-idf row of one abstract")]
    public SparseRow Transform() => space.Transform(document);

    [Benchmark(Description = "top 20 of 5,000 papers (centroid)")]
    public int Top20() => LinearModels.Top(model, rows, Enumerable.Range(0, rows.Length), 20).Count;
}

[MemoryDiagnoser]
public class CommandBenchmarks
{
    private BenchBot bot = null!;

    [GlobalSetup]
    public void Setup()
    {
        bot = BenchBot.Create(TimeProvider.System);
        bot.SendAsync("w", "mod", "paper add 2403.00001", moderator: true).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => bot.Dispose();

    [Benchmark(Description = "/paper show #1 through dispatcher, router and LiteDB")]
    public Task<Core.Replies.Reply> PaperShow() => bot.SendAsync("w", "alice", "paper show #1");

    [Benchmark(Description = "/week show")]
    public Task<Core.Replies.Reply> WeekShow() => bot.SendAsync("w", "alice", "week show");
}
