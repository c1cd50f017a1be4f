using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;

namespace ReadingBot.Bench;

/// <summary>
/// What one command costs in process, step by step, one at a time on one thread: allocated bytes and CPU per command
/// for the dispatcher alone (`paper list` on an empty library), a delivery claim alone, and both. The platform path's
/// cost per command is these plus the adapter's parsing and sending (the `peers` case).
/// </summary>
internal static class CostBench
{
    public static async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        using var bot = BenchBot.Create(TimeProvider.System);
        var claims = new DeliveryClaims(bot.Get<IDeliveryLog>(), TimeProvider.System, NullLogger<DeliveryClaims>.Instance);
        await MeasureAsync("warm-up", n, i => bot.SendAsync("w", "m", "paper list"), print: false);
        await MeasureAsync("dispatcher: paper list", n, i => bot.SendAsync("w", "m", "paper list"));
        var group = bot.Get<ReadingBot.Core.Groups.IGroupStore>().All()[0].Id;
        var members = bot.Get<ReadingBot.Core.Groups.IMemberStore>();
        var library = bot.Get<ReadingBot.Core.Papers.ILibraryStore>();
        await MeasureAsync("store: group find", n, i => Done(bot.Get<ReadingBot.Core.Groups.IGroupStore>().Find(group)));
        await MeasureAsync("store: member find", n, i => Done(members.Find(group, "m")));
        await MeasureAsync("store: library page", n, i => Done(library.List(group, 0, 10)));
        await MeasureAsync("store: library count", n, i => Done(library.Count(group)));
        await MeasureAsync("claim of one key", n, i => claims.TryClaimAsync(["bench:" + i], TimeSpan.FromMinutes(10)));
        await MeasureAsync("claim + paper list", n, async i =>
        {
            await claims.TryClaimAsync(["bench2:" + i], TimeSpan.FromMinutes(10));
            await bot.SendAsync("w", "m", "paper list");
        });
        var adds = Math.Min(n, 2_000);
        await MeasureAsync($"paper add ({adds:N0} new papers)", adds, i => bot.SendAsync("w", "m", $"paper add 2403.{i:D5}"));
        await MeasureAsync($"paper list, {adds:N0}-paper library", n, i => bot.SendAsync("w", "m", $"paper list {1 + (i % (adds / 20))}"));
        var page = library.List(group, adds - 20, 20);
        var keys = page.Select(e => e.PaperKey).ToList();
        await MeasureAsync("store: a page of 20, at the end", n, i => Done(library.List(group, adds - 20, 20)));
        await MeasureAsync("store: its 20 papers (FindMany)", n, i => Done(bot.Get<ReadingBot.Core.Papers.IPaperStore>().FindMany(keys)));
        await MeasureAsync("paper show #n", n, i => bot.SendAsync("w", "m", $"paper show #{1 + (i % adds)}"));
        await claims.DisposeAsync();
    }

    private static Task Done(object? result) => result is null && false ? Task.FromException(new InvalidOperationException()) : Task.CompletedTask;

    private static async Task MeasureAsync(string what, int n, Func<int, Task> step, bool print = true)
    {
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = GC.CollectionCount(0);
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await step(i);
        }

        wall.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (print)
        {
            Console.WriteLine($"{what,-28} {used.TotalMilliseconds * 1000 / n,8:0.0} µs CPU  {wall.Elapsed.TotalMilliseconds * 1000 / n,8:0.0} µs wall  {allocated / (double)n / 1024,8:0.0} KB allocated  (gen0 GCs {GC.CollectionCount(0) - gcs})");
        }
    }
}
