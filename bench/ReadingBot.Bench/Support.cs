using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Charts;
using ReadingBot.Core;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;
using ReadingBot.Storage.Postgres;

namespace ReadingBot.Bench;

/// <summary>Facts about the machine and the process for every report.</summary>
internal static class Machine
{
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Managed heap after a full collection and the process's resident set, in MB.</summary>
    public static (double HeapMb, double ResidentMb, double PeakMb) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (GC.GetTotalMemory(false) / 1048576.0, process.WorkingSet64 / 1048576.0, process.PeakWorkingSet64 / 1048576.0);
    }

    public static string MemoryLine()
    {
        var (heap, resident, peak) = Memory();
        return $"managed heap {heap:0} MB, resident {resident:0} MB, peak resident {peak:0} MB";
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return Percentile(sorted, 50);
    }
}

/// <summary>
/// The host's real composition (AddReadingBotCore + AddLiteDbStorage, as the host and TestBot call them) over a
/// LiteDB file in a temporary directory, an offline metadata source and a counting outbound port.
/// </summary>
internal sealed class BenchBot : IDisposable
{
    private readonly string directory;

    private readonly BenchSchema? schema;

    private BenchBot(ServiceProvider services, ReadingBotDatabase database, CountingOutbound outbound, string directory, BenchSchema? schema)
    {
        Services = services;
        Database = database;
        Outbound = outbound;
        this.directory = directory;
        this.schema = schema;
    }

    /// <summary>The store the bot runs on, for reports.</summary>
    public string Provider => schema is null ? "LiteDB" : "PostgreSQL";

    public ServiceProvider Services { get; }
    public ReadingBotDatabase Database { get; }
    public CountingOutbound Outbound { get; }
    public CommandDispatcher Dispatcher => Services.GetRequiredService<CommandDispatcher>();

    public static BenchBot Create(TimeProvider time, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null) => Create(time, settings, postgres: null, configure);

    /// <summary>The same bot on PostgreSQL when <paramref name="postgres"/> is a server's connection string (a fresh schema, dropped on dispose), else on a LiteDB file.</summary>
    public static BenchBot Create(TimeProvider time, IDictionary<string, string?>? settings, string? postgres, Action<IServiceCollection>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "readingbot-bench-" + Guid.NewGuid().ToString("N"));
        // On PostgreSQL the LiteDB database only holds the web's link secret, in memory, as the host does.
        var database = postgres is null ? ReadingBotDatabase.OpenFile(directory) : ReadingBotDatabase.OpenMemory();
        var schema = postgres is null ? null : new BenchSchema(postgres);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var outbound = new CountingOutbound();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(time);
        services.AddReadingBotCore(configuration);
        services.AddCharts();
        if (schema is null)
        {
            services.AddLiteDbStorage(database);
        }
        else
        {
            services.AddSingleton(database);
            services.AddPostgresStorage(PostgresDatabase.Open(schema.ConnectionString));
        }

        services.AddWeb(configuration);
        services.AddSingleton<IChatOutbound>(outbound);
        configure?.Invoke(services);
        return new BenchBot(services.BuildServiceProvider(), database, outbound, directory, schema);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static CommandContext Context(string workspace, string user, bool moderator = false) =>
        new(new GroupAddress(Platforms.Local, workspace), new Actor(user, user, moderator), "home");

    public Task<Core.Replies.Reply> SendAsync(string workspace, string user, string line, bool moderator = false) =>
        Dispatcher.HandleTextAsync(Context(workspace, user, moderator), line, CancellationToken.None);

    public void Dispose()
    {
        Services.Dispose();
        Database.Dispose();
        schema?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Counts posts and answers at once, as a platform that never fails would.</summary>
internal sealed class CountingOutbound : IChatOutbound
{
    private int posts;

    public string Platform => Platforms.Local;

    public int Posts => Volatile.Read(ref posts);

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref posts);
        return Task.FromResult(new PostedMessage(post.ChannelId ?? "home", $"m{n}", post.ThreadTitle is null ? post.InThreadId : $"t{n}"));
    }
}

/// <summary>A schema of its own on a PostgreSQL server for one bench run, first on the search path; dropped on dispose.</summary>
internal sealed class BenchSchema : IDisposable
{
    private readonly string server;

    public BenchSchema(string server)
    {
        this.server = server;
        Name = "bench_" + Guid.NewGuid().ToString("N");
        Admin($"CREATE SCHEMA {Name}");
        ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(server) { SearchPath = Name }.ConnectionString;
    }

    /// <summary>The server's connection string from READINGBOT_BENCH_POSTGRES, else READINGBOT_TEST_POSTGRES (what .ci/run's start_postgres sets); null when neither is set.</summary>
    public static string? Server =>
        Environment.GetEnvironmentVariable("READINGBOT_BENCH_POSTGRES") is { Length: > 0 } bench ? bench
        : Environment.GetEnvironmentVariable("READINGBOT_TEST_POSTGRES") is { Length: > 0 } test ? test : null;

    public string Name { get; }

    public string ConnectionString { get; }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        Admin($"DROP SCHEMA {Name} CASCADE");
    }

    private void Admin(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(server);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
