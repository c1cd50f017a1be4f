using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Storage.Postgres;

namespace ReadingBot.Bench;

/// <summary>
/// Issue #16: the store hot paths (<see cref="StoreBench"/>) and the in-process command load (<see cref="LoadBench"/>)
/// on LiteDB and on PostgreSQL, one after the other in this process, with the ratio PostgreSQL / LiteDB. The server
/// comes from READINGBOT_BENCH_POSTGRES or READINGBOT_TEST_POSTGRES (.ci/run's start_postgres).
/// </summary>
internal static class ProviderBench
{
    private const double P99RatioTarget = 2.0;

    public static async Task RunAsync(string[] args)
    {
        if (BenchSchema.Server is not { } server)
        {
            Console.WriteLine("Set READINGBOT_BENCH_POSTGRES (or READINGBOT_TEST_POSTGRES) to a PostgreSQL server's connection string; in a shell: eval \"$(sed -n '/^start_postgres() {/,/^}/p' .ci/run)\"; start_postgres");
            Environment.ExitCode = 1;
            return;
        }

        var rates = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1000];
        var stores = new List<(string Provider, List<(string What, double PerSecond, int Count)> Results)>();
        var loads = new List<(string Provider, int Rate, LoadBench.RateResult Result)>();
        foreach (var postgres in new[] { null, server })
        {
            using (var bot = BenchBot.Create(TimeProvider.System, null, postgres))
            {
                Console.WriteLine($"--- store on {bot.Provider} (load {Machine.LoadAverage()})");
                var results = await StoreBench.MeasureAsync(bot);
                results.ForEach(r => Console.WriteLine($"{r.What}: {r.PerSecond:N0}/s ({1_000_000 / r.PerSecond:0} µs each)"));
                stores.Add((bot.Provider, results));
            }

            using (var bot = BenchBot.Create(TimeProvider.System, null, postgres))
            {
                Console.WriteLine($"--- load on {bot.Provider} (load {Machine.LoadAverage()})");
                await LoadBench.SetupAsync(bot);
                if (bot.Services.GetService<PostgresDatabase>() is { } pg)
                {
                    await PrintRoundTripsAsync(bot, pg);
                }

                await LoadBench.RunRateAsync(bot, 200, 2.0, print: false);
                foreach (var rate in rates)
                {
                    loads.Add((bot.Provider, rate, await LoadBench.RunRateAsync(bot, rate, 3.0, print: true)));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| store operation | LiteDB µs | PostgreSQL µs | PostgreSQL / LiteDB |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (lite, pg) in stores[0].Results.Zip(stores[1].Results))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {lite.What} | {1_000_000 / lite.PerSecond:0} | {1_000_000 / pg.PerSecond:0} | {lite.PerSecond / pg.PerSecond:0.0}× |"));
        }

        Console.WriteLine();
        Console.WriteLine("| offered | provider | completed/s | p50 ms | p99 ms | service p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (provider, rate, r) in loads)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {rate}/s | {provider} | {r.Completed:0} | {r.P50:0.00} | {r.P99:0.00} | {r.ServiceP99:0.00} |"));
        }

        foreach (var rate in rates)
        {
            var lite = loads.Single(l => l.Rate == rate && l.Provider == "LiteDB").Result;
            var pg = loads.Single(l => l.Rate == rate && l.Provider == "PostgreSQL").Result;
            var ratio = pg.P99 / lite.P99;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"at {rate}/s: command p99 PostgreSQL / LiteDB = {pg.P99:0.00} / {lite.P99:0.00} ms = {ratio:0.00}× (service time {pg.ServiceP99 / lite.ServiceP99:0.00}×); target ≤ {P99RatioTarget:0}×: {(ratio <= P99RatioTarget ? "met" : "missed")}"));
        }

        Console.WriteLine($"load at the end: {Machine.LoadAverage()}");
    }

    /// <summary>
    /// The statements each command of the mix (and a paper add) sends to the server, counted twice in a row: the first
    /// in a group no command has touched yet, the second the same command again (what the cache saves).
    /// </summary>
    private static async Task PrintRoundTripsAsync(BenchBot bot, PostgresDatabase pg)
    {
        string[] commands = ["paper list", "paper vote #1", "paper search placeholder attention", "week show", "paper queue", "like #2", "paper add 2402.99999"];
        Console.WriteLine("round trips per command (first, again):");
        foreach (var command in commands)
        {
            var counts = new List<long>();
            for (var i = 0; i < 2; i++)
            {
                var before = pg.RoundTrips;
                await bot.SendAsync("w7", "m3", command, moderator: true);
                counts.Add(pg.RoundTrips - before);
            }

            Console.WriteLine($"  {command}: {counts[0]}, {counts[1]}");
        }
    }
}
