using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.Postgres.Tests;

/// <summary>
/// The in-process read cache with two pools on one schema standing for two bot processes: what one writes the other
/// reads once the notify arrives, and a process whose listener dropped reads from the server until it listens again.
/// Waits are on conditions (a row forgotten, the listener's state), never on time.
/// </summary>
public sealed class ReadCacheTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly GroupId GroupId = new("discord:1");

    private readonly TestSchema schema = TestServer.CreateSchema();
    private readonly FakeTimeProvider firstClock = new();
    private readonly PostgresDatabase first;
    private readonly PostgresDatabase second;

    public ReadCacheTests()
    {
        // The group is written before either "process" listens: a notify of a write that committed before LISTEN is
        // never delivered, so no late notify of this setup can forget what a test has just read into the cache.
        using (var setup = PostgresDatabase.Open(schema.ConnectionString))
        {
            new PgGroupStore(setup).GetOrAdd(GroupId, () => new Group { Id = GroupId, Platform = Platforms.Discord, Workspace = "1", CreatedAt = DateTimeOffset.UnixEpoch });
        }

        first = PostgresDatabase.Open(schema.ConnectionString, time: firstClock);
        second = PostgresDatabase.Open(schema.ConnectionString);
    }

    public void Dispose()
    {
        first.Dispose();
        second.Dispose();
        schema.Dispose();
    }

    [Fact]
    public async Task A_group_read_again_is_served_from_memory_without_a_round_trip()
    {
        await Listening(first);
        var groups = new PgGroupStore(first);
        groups.Find(GroupId);

        var before = first.RoundTrips;
        var again = groups.Find(GroupId);

        Assert.Equal((GroupId, before), (again?.Id, first.RoundTrips));
    }

    [Fact]
    public async Task A_group_saved_by_one_process_is_read_by_the_other_after_the_notify()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        var mine = new PgGroupStore(first);
        var cached = mine.Find(GroupId)!;
        Assert.True(first.Cache.Groups.Holds(GroupId.Value));

        new PgGroupStore(second).Save(cached with { PlatformName = "Reading club" });

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Groups.Holds(GroupId.Value), Patience));
        Assert.Equal("Reading club", mine.Find(GroupId)?.PlatformName);
    }

    [Fact]
    public async Task A_member_saved_by_one_process_is_read_by_the_other_after_the_notify()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        var member = new Member { Group = GroupId, UserId = "u1", DisplayName = "Ada", JoinedAt = DateTimeOffset.UnixEpoch };
        new PgMemberStore(second).Save(member);
        var mine = new PgMemberStore(first);
        Assert.Equal("Ada", mine.Find(GroupId, "u1")?.DisplayName);

        new PgMemberStore(second).Save(member with { DisplayName = "Ada L." });

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Members.Holds((GroupId.Value, "u1")), Patience));
        Assert.Equal("Ada L.", mine.Find(GroupId, "u1")?.DisplayName);
    }

    [Fact]
    public async Task A_paper_added_by_one_process_is_in_the_others_library_page_count_and_group_counter_after_the_notify()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        var library = new PgLibraryStore(first);
        var groups = new PgGroupStore(first);
        Assert.Equal((0, 1), (library.Count(GroupId), groups.Find(GroupId)?.NextPaperNumber));
        Assert.Empty(library.List(GroupId, 0, 10));

        new PgLibraryStore(second).Add(GroupId, Arxiv("2401.00001"), "u1", null, null, DateTimeOffset.UnixEpoch);

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Libraries.Holds(GroupId.Value) && !first.Cache.Groups.Holds(GroupId.Value), Patience));
        Assert.Equal(1, library.Count(GroupId));
        Assert.Equal(["arxiv:2401.00001"], library.List(GroupId, 0, 10).Select(e => e.PaperKey));
        Assert.Equal("arxiv:2401.00001", library.FindByNumber(GroupId, 1)?.PaperKey);
        Assert.Equal(2, groups.Find(GroupId)?.NextPaperNumber);
    }

    [Fact]
    public async Task A_paper_known_not_to_be_in_the_library_is_asked_once_and_found_once_another_process_adds_it()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        var library = new PgLibraryStore(first);
        Assert.Null(library.FindByPaper(GroupId, "arxiv:2401.00003"));
        var before = first.RoundTrips;
        Assert.Null(library.FindByPaper(GroupId, "arxiv:2401.00003"));
        Assert.Equal(before, first.RoundTrips);

        new PgLibraryStore(second).Add(GroupId, Arxiv("2401.00003"), "u1", null, null, DateTimeOffset.UnixEpoch);

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Libraries.Holds(GroupId.Value), Patience));
        Assert.Equal(1, library.FindByPaper(GroupId, "arxiv:2401.00003")?.Number);
    }

    [Fact]
    public async Task A_paper_record_updated_by_one_process_is_read_by_the_other_after_the_notify()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        var paper = Arxiv("2401.00002");
        new PgPaperStore(second).Save(paper);
        var mine = new PgPaperStore(first);
        Assert.Null(mine.Find(paper.Key)?.Title);
        Assert.Null(mine.FindMany([paper.Key])[paper.Key].Title);

        new PgPaperStore(second).Save(paper with { Title = "Attention", State = MetadataState.Resolved });

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Papers.Holds(paper.Key), Patience));
        Assert.Equal("Attention", mine.Find(paper.Key)?.Title);
        Assert.Equal("Attention", mine.FindMany([paper.Key])[paper.Key].Title);
    }

    [Fact]
    public async Task A_process_reads_its_own_write_at_once_without_waiting_for_the_notify()
    {
        await Listening(first);
        var groups = new PgGroupStore(first);
        var cached = groups.Find(GroupId)!;

        groups.Save(cached with { PlatformName = "Mine" });

        Assert.Equal("Mine", groups.Find(GroupId)?.PlatformName);
    }

    [Fact]
    public async Task While_the_listener_is_down_every_read_goes_to_the_server_and_sees_the_other_process_write()
    {
        await Listening(first);
        var groups = new PgGroupStore(first);
        var cached = groups.Find(GroupId)!;

        Terminate(first.Cache.ListenerProcessId);
        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.IsListening, Patience));
        Assert.False(first.Cache.Groups.Holds(GroupId.Value));
        new PgGroupStore(second).Save(cached with { PlatformName = "Changed while deaf" });

        var before = first.RoundTrips;
        var read = groups.Find(GroupId);
        var readAgain = groups.Find(GroupId);

        Assert.Equal(("Changed while deaf", "Changed while deaf"), (read?.PlatformName, readAgain?.PlatformName));
        Assert.Equal(before + 2, first.RoundTrips);
        Assert.False(first.Cache.Groups.Holds(GroupId.Value));
    }

    [Fact]
    public async Task After_the_listener_reconnects_the_cache_serves_and_forgets_again()
    {
        await Task.WhenAll(Listening(first), Listening(second));
        Terminate(first.Cache.ListenerProcessId);
        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.IsListening, Patience));

        firstClock.Advance(PgReadCache.RetryDelay);
        await Listening(first);
        var groups = new PgGroupStore(first);
        var cached = groups.Find(GroupId)!;
        Assert.True(first.Cache.Groups.Holds(GroupId.Value));
        new PgGroupStore(second).Save(cached with { PlatformName = "After the reconnect" });

        Assert.True(await first.Cache.WaitUntilAsync(() => !first.Cache.Groups.Holds(GroupId.Value), Patience));
        Assert.Equal("After the reconnect", groups.Find(GroupId)?.PlatformName);
    }

    [Fact]
    public async Task A_notify_from_another_schema_of_the_same_database_forgets_nothing_here()
    {
        await Listening(first);
        new PgGroupStore(first).Find(GroupId);
        using var other = TestServer.CreateSchema();
        using var elsewhere = PostgresDatabase.Open(other.ConnectionString);
        var seen = first.Cache.Generation;

        // The other schema's write and then one of this schema's member rows: the cache reacts to the second only.
        new PgGroupStore(elsewhere).GetOrAdd(GroupId, () => new Group { Id = GroupId, Platform = Platforms.Discord, Workspace = "1", CreatedAt = DateTimeOffset.UnixEpoch });
        new PgMemberStore(second).Save(new Member { Group = GroupId, UserId = "u9", DisplayName = "Marker", JoinedAt = DateTimeOffset.UnixEpoch });

        Assert.True(await first.Cache.WaitUntilAsync(() => first.Cache.Generation > seen, Patience));
        Assert.True(first.Cache.Groups.Holds(GroupId.Value));
    }

    private static async Task Listening(PostgresDatabase db) =>
        Assert.True(await db.Cache.WaitUntilAsync(() => db.Cache.IsListening, Patience), "the cache's listener did not start");

    private static Paper Arxiv(string id) => Paper.Pending(PaperRefParser.Parse(id).Reference!);

    private static void Terminate(int processId)
    {
        Assert.NotEqual(0, processId);
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = processId });
        Assert.True((bool)command.ExecuteScalar()!);
    }
}
