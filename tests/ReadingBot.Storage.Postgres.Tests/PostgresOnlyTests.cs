using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;
using ReadingBot.Storage.Contract;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Storage.Postgres.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void Migrating_twice_applies_every_script_once()
    {
        using var schema = TestServer.CreateSchema();
        using var source = NpgsqlDataSource.Create(schema.ConnectionString);

        var first = PostgresMigrations.Apply(source);
        var second = PostgresMigrations.Apply(source);

        Assert.Equal((PostgresMigrations.Scripts.Count, 0), (first, second));
        Assert.Equal(PostgresMigrations.Scripts.Select(s => s.Version), Versions(source));
    }

    [Fact]
    public async Task Processes_starting_together_apply_each_script_once_between_them()
    {
        using var schema = TestServer.CreateSchema();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(schema.ConnectionString)).ToList();
        try
        {
            using var start = new Barrier(sources.Count);
            var applied = await Task.WhenAll(sources.Select(s => Task.Run(() =>
            {
                start.SignalAndWait();
                return PostgresMigrations.Apply(s);
            })));

            Assert.Equal(PostgresMigrations.Scripts.Count, applied.Sum());
            Assert.Equal(PostgresMigrations.Scripts.Select(s => s.Version), Versions(sources[0]));
        }
        finally
        {
            sources.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void A_database_migrated_by_a_newer_version_is_refused_with_the_setting_named()
    {
        using var schema = TestServer.CreateSchema();
        using (var source = NpgsqlDataSource.Create(schema.ConnectionString))
        {
            PostgresMigrations.Apply(source);
            using var command = source.CreateCommand("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future')");
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<PostgresUnavailableException>(() => PostgresDatabase.Open(schema.ConnectionString));

        Assert.StartsWith("Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer ReadingBot (schema 9999", ex.Message, StringComparison.Ordinal);
    }

    private static List<int> Versions(NpgsqlDataSource source)
    {
        using var command = source.CreateCommand("SELECT version FROM schema_migrations ORDER BY version");
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}

public sealed class ConnectionStringTests
{
    private const string Password = "s3cret-Pa55word";

    [Fact]
    public void An_unreachable_server_is_one_line_naming_the_setting_without_the_secret()
    {
        var ex = Assert.Throws<PostgresUnavailableException>(() => PostgresDatabase.Open($"Host=127.0.0.1;Port={TestServer.ClosedPort()};Username=bot;Password={Password};Timeout=5"));

        Assert.StartsWith("Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_malformed_string_is_refused_without_quoting_it()
    {
        var ex = Assert.Throws<PostgresUnavailableException>(() => PostgresDatabase.Open($"Host=127.0.0.1;Port=not-a-port;Password={Password}"));

        Assert.StartsWith("Storage:ConnectionString is not a valid", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_database_is_refused_with_the_servers_reason()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { Database = "readingbot_missing_" + Guid.NewGuid().ToString("N")[..8] };

        var ex = Assert.Throws<PostgresUnavailableException>(() => PostgresDatabase.Open(builder.ConnectionString));

        Assert.Contains("3D000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_string_says_which_setting_to_set()
    {
        var ex = Assert.Throws<PostgresUnavailableException>(() => PostgresDatabase.Open(" "));

        Assert.StartsWith("Storage:ConnectionString is empty", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>What several processes on one database need: two pools stand for two bot processes.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestSchema schema = TestServer.CreateSchema();
    private readonly PostgresDatabase first;
    private readonly PostgresDatabase second;

    public ConcurrencyTests()
    {
        first = PostgresDatabase.Open(schema.ConnectionString);
        second = PostgresDatabase.Open(schema.ConnectionString);
    }

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        schema.Dispose();
    }

    [Fact]
    public async Task Of_many_racing_claims_of_one_post_exactly_one_wins()
    {
        var claim = new ScheduledPostRecord("discord:1|2026-W49|announce", new GroupId("discord:1"), new WeekKey(2026, 49), "announce", ScheduledPostState.Claimed, new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), null);
        var stores = new[] { new PgScheduledPostStore(first), new PgScheduledPostStore(second) };

        var won = await Race(16, i => stores[i % 2].TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _));

        Assert.Equal(1, won.Count(w => w));
    }

    [Fact]
    public async Task Racing_adds_to_one_library_get_distinct_numbers_and_one_entry_per_paper()
    {
        var group = new GroupId("discord:1");
        new PgGroupStore(first).GetOrAdd(group, () => new Group { Id = group, Platform = Platforms.Discord, Workspace = "1", CreatedAt = DateTimeOffset.UnixEpoch });
        var libraries = new[] { new PgLibraryStore(first), new PgLibraryStore(second) };

        // Twelve adds of six papers, each paper from both "processes".
        var added = await Race(12, i => libraries[i % 2].Add(group, Paper(i / 2), "u", null, null, DateTimeOffset.UnixEpoch));

        Assert.Equal(6, added.Count(a => a.Created));
        Assert.Equal(Enumerable.Range(1, 6), added.Where(a => a.Created).Select(a => a.Entry.Number).Order());
        Assert.Equal(7, new PgGroupStore(second).Find(group)!.NextPaperNumber);
    }

    [Fact]
    public async Task Racing_deliveries_of_one_event_are_recorded_once()
    {
        var logs = new[] { new PgDeliveryLog(first), new PgDeliveryLog(second) };
        var now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

        var firsts = await Race(16, i => logs[i % 2].TryRecord("slack:Ev1", now, now.AddHours(1)));

        Assert.Equal(1, firsts.Count(f => f));
    }

    private static Core.Papers.Paper Paper(int i) => Core.Papers.Paper.Pending(Core.Papers.PaperRefParser.Parse($"2301.{i:D5}").Reference!);

    private static async Task<T[]> Race<T>(int count, Func<int, T> work)
    {
        using var start = new Barrier(count);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return work(i);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
    }
}

public sealed class CompositionTests
{
    [Fact]
    public void The_postgres_store_registers_every_store_port_the_litedb_store_does()
    {
        static HashSet<string> Ports(IServiceCollection services) =>
            services.Select(d => d.ServiceType).Where(t => t.IsInterface && t.Namespace?.StartsWith("ReadingBot.Core", StringComparison.Ordinal) == true)
                .Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        using var lite = ReadingBotDatabase.OpenMemory();
        using var schema = TestServer.CreateSchema();
        using var postgres = PostgresDatabase.Open(schema.ConnectionString);

        var litePorts = Ports(new ServiceCollection().AddLiteDbStorage(lite));
        var postgresPorts = Ports(new ServiceCollection().AddPostgresStorage(postgres));

        Assert.True(litePorts.Count >= 20);
        Assert.Equal(litePorts.Order(StringComparer.Ordinal), postgresPorts.Order(StringComparer.Ordinal));
    }
}
