using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Bench;

/// <summary>
/// Issue #15's in-process targets, measured as the issue defines them: one group with a 1,000-paper library, commands
/// through the shared inbound pipeline (bounded queue, durable claim of each delivery's key in the LiteDB store's
/// journal, a DI scope per item), the dispatcher and the LiteDB file, no sockets; an open loop at 1,000 commands/s.
/// Latency runs from each command's scheduled time to its reply (the driver wakes about once a millisecond, so that adds
/// up to a millisecond of the driver's own lag), and from its hand-over to the pipeline to its reply. Two runs: `paper list` alone (a random page of the
/// 1,000), and a mix of nine `paper list` to one `paper add` of a new paper (the write).
/// </summary>
internal static class TargetsBench
{
    private const string Workspace = "targets";
    private const int LibrarySize = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5.0;
        // Papers resolve as from a source that answers at once (no network): a real library has titles, authors and
        // abstracts, and the offline source would leave every paper pending.
        var corpus = new SyntheticCorpus();
        using var bot = BenchBot.Create(TimeProvider.System, configure: s => s.AddSingleton<ReadingBot.Core.Papers.IPaperMetadataSource>(new CorpusMetadata(corpus)));
        var setup = Stopwatch.StartNew();
        for (var p = 0; p < LibrarySize; p++)
        {
            await bot.SendAsync(Workspace, "mod", $"paper add 2401.{p:D5}", moderator: true);
        }

        Console.WriteLine($"setup: one group, {LibrarySize:N0} papers in {setup.Elapsed.TotalSeconds:0.0} s; {rate:N0} commands/s for {seconds:0} s per run, " +
            $"through InboundPipeline (capacity 1,024, {Environment.ProcessorCount * 2} workers) + a delivery claim each + dispatcher + LiteDB");

        var handler = new Handler(bot);
        using var handlerServices = new ServiceCollection().AddSingleton<IInboundHandler<Item>>(handler).BuildServiceProvider();
        await using var claims = new DeliveryClaims(bot.Get<IDeliveryLog>(), TimeProvider.System, NullLogger<DeliveryClaims>.Instance);
        await using var pipeline = new InboundPipeline<Item>(
            new InboundPipelineOptions("targets", 1_024, Environment.ProcessorCount * 2),
            claims,
            bot.Get<ITenantDataStore>(),
            handlerServices.GetRequiredService<IServiceScopeFactory>(),
            NullLoggerFactory.Instance);

        var next = LibrarySize;
        string List(int i) => $"paper list {1 + (int)((uint)(i * 2654435761) % (LibrarySize / 20))}";
        await RunAsync(pipeline, handler, 500, 2.0, List, print: null);
        await RunAsync(pipeline, handler, rate, seconds, List, print: "paper list alone");
        await RunAsync(pipeline, handler, rate, seconds, i => i % 10 == 9 ? $"paper add 2402.{Interlocked.Increment(ref next):D5}" : List(i), print: "9 list : 1 add");
        Console.WriteLine($"library after the runs: {bot.Get<ReadingBot.Core.Papers.ILibraryStore>().Count(bot.Get<IGroupStore>().All()[0].Id):N0} papers; {Machine.MemoryLine()}");
    }

    private static async Task RunAsync(InboundPipeline<Item> pipeline, Handler handler, int rate, double seconds, Func<int, string> command, string? print)
    {
        var total = (int)(rate * seconds);
        var latencies = new double[total];
        var fromHandOver = new double[total];
        var lines = new string[total];
        var done = new TaskCompletionSource[total];
        var full = 0;
        var clock = Stopwatch.StartNew();
        handler.Clock = clock;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var issued = 0;
        while (issued < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            while (issued < due)
            {
                var i = issued++;
                lines[i] = command(i);
                done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var item = new Item(lines[i], ["bench:targets:" + Guid.NewGuid().ToString("N")], i / (double)rate, clock.Elapsed.TotalSeconds, latencies, fromHandOver, i, done[i]);
                if (!pipeline.TryEnqueue(item))
                {
                    full++;
                    done[i].SetResult();
                    latencies[i] = double.NaN;
                }
            }

            Thread.Sleep(1);
        }

        await Task.WhenAll(done.Select(d => d.Task));
        var elapsed = clock.Elapsed.TotalSeconds;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (print is null)
        {
            return;
        }

        Console.WriteLine($"{print}: {total:N0} commands at {rate:N0}/s offered, {total / elapsed:N0}/s completed, {used.TotalMilliseconds * 1000 / total:0} µs CPU a command, " +
            $"{full} refused as full, {handler.Errors} error replies, load {Machine.LoadAverage()}");
        foreach (var kind in Enumerable.Range(0, total).Where(i => !double.IsNaN(latencies[i])).GroupBy(i => string.Join(' ', lines[i].Split(' ').Take(2))))
        {
            var sorted = kind.Select(i => latencies[i]).Order().ToList();
            var handed = kind.Select(i => fromHandOver[i]).Order().ToList();
            Console.WriteLine($"    {kind.Key,-11} n={sorted.Count,5}  from its scheduled time: p50 {Machine.Percentile(sorted, 50):0.000} ms  p90 {Machine.Percentile(sorted, 90):0.000} ms  " +
                $"p99 {Machine.Percentile(sorted, 99):0.000} ms  max {sorted[^1]:0.0} ms;  from the hand-over to the pipeline: p50 {Machine.Percentile(handed, 50):0.000} ms  " +
                $"p99 {Machine.Percentile(handed, 99):0.000} ms");
        }
    }

    /// <summary>Answers every arXiv id with a synthetic paper of the corpus, as a source that has it would.</summary>
    private sealed class CorpusMetadata(SyntheticCorpus corpus) : ReadingBot.Core.Papers.IPaperMetadataSource
    {
        public Task<ReadingBot.Core.Papers.MetadataResult> FetchAsync(ReadingBot.Core.Papers.PaperRef reference, CancellationToken cancellationToken)
        {
            var (title, abstractText, authors) = corpus.Paper(Math.Abs(reference.Id.GetHashCode(StringComparison.Ordinal)) % 100_000);
            var paper = ReadingBot.Core.Papers.Paper.Pending(reference) with
            {
                Title = title,
                Abstract = abstractText,
                Authors = authors,
                Year = 2024,
                ArxivId = reference.Id,
                State = ReadingBot.Core.Papers.MetadataState.Resolved,
            };
            return Task.FromResult<ReadingBot.Core.Papers.MetadataResult>(new ReadingBot.Core.Papers.MetadataResult.Found(paper));
        }
    }

    private sealed record Item(string Line, IReadOnlyList<string> DedupeKeys, double Scheduled, double HandedOver, double[] Latencies, double[] FromHandOver, int Index, TaskCompletionSource Done) : IInboundItem
    {
        public TimeSpan DedupeFor => TimeSpan.FromMinutes(15);

        public FirstAnswer? Answer => null;

        public TenantRemoval? Removal => null;
    }

    private sealed class Handler(BenchBot bot) : IInboundHandler<Item>
    {
        private int errors;

        public Stopwatch Clock { get; set; } = Stopwatch.StartNew();

        public int Errors => Volatile.Read(ref errors);

        public async Task HandleAsync(Item item, CancellationToken cancellationToken)
        {
            try
            {
                var reply = await bot.Dispatcher.HandleTextAsync(BenchBot.Context(Workspace, "m" + (item.Index % 20), moderator: true), item.Line, cancellationToken);
                if (reply is ErrorReply error && Interlocked.Increment(ref errors) == 1)
                {
                    Console.WriteLine($"    first error reply: {item.Line} -> {error}");
                }
            }
            finally
            {
                var now = Clock.Elapsed.TotalSeconds;
                item.Latencies[item.Index] = (now - item.Scheduled) * 1000;
                item.FromHandOver[item.Index] = (now - item.HandedOver) * 1000;
                item.Done.SetResult();
            }
        }
    }
}
