using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class StoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero);
    private readonly ReadingBotDatabase db = ReadingBotDatabase.OpenMemory();
    private readonly LiteGroupStore groups;
    private readonly LiteLibraryStore library;
    private readonly LitePaperStore papers;

    public StoreTests()
    {
        groups = new LiteGroupStore(db);
        library = new LiteLibraryStore(db);
        papers = new LitePaperStore(db);
    }

    public void Dispose() => db.Dispose();

    private Group AddGroup(string workspace, string platform = Platforms.Discord) =>
        groups.GetOrAdd(new GroupAddress(platform, workspace).Id, () => new Group
        {
            Id = new GroupAddress(platform, workspace).Id,
            Platform = platform,
            Workspace = workspace,
            CreatedAt = At,
            Settings = new Dictionary<string, string> { ["timezone"] = "Europe/Berlin", ["channel"] = "" },
        });

    private static Paper Arxiv(string id) => Paper.Pending(PaperRefParser.Parse(id).Reference!);

    [Fact]
    public void A_group_round_trips_with_its_settings_and_a_utc_instant()
    {
        var group = AddGroup("g1");

        var read = groups.Find(group.Id)!;

        Assert.Equal(At, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal("Europe/Berlin", read.Settings["timezone"]);
        // LiteDB's mapper would turn "" into null by default; the explicit mapping keeps it.
        Assert.Equal("", read.Settings["channel"]);
    }

    [Fact]
    public void Adding_papers_numbers_them_per_group_in_one_transaction()
    {
        var g1 = AddGroup("g1");
        var g2 = AddGroup("g2");

        var (a, _) = library.Add(g1.Id, Arxiv("1706.03762"), "alice", "Attention", null, At);
        var (b, _) = library.Add(g1.Id, Arxiv("1512.03385"), "alice", null, "v2", At);
        var (c, _) = library.Add(g2.Id, Arxiv("1706.03762"), "bob", null, null, At);

        Assert.Equal((1, 2, 1), (a.Number, b.Number, c.Number));
        Assert.Equal(3, groups.Find(g1.Id)!.NextPaperNumber);
        Assert.Equal("v2", library.FindByNumber(g1.Id, 2)!.VersionRead);
        Assert.Single(db.Database.GetCollection(Collections.Papers).FindAll(), d => d["_id"].AsString == "arxiv:1706.03762");
    }

    [Fact]
    public void Adding_a_paper_twice_returns_the_existing_entry_and_changes_nothing()
    {
        var g = AddGroup("g1");
        library.Add(g.Id, Arxiv("1706.03762"), "alice", "Attention", null, At);

        var (again, created) = library.Add(g.Id, Arxiv("1706.03762"), "bob", "Other", null, At);

        Assert.False(created);
        Assert.Equal(("alice", 1), (again.AddedBy, again.Number));
        Assert.Equal(2, groups.Find(g.Id)!.NextPaperNumber);
    }

    [Fact]
    public void A_failed_add_rolls_back_the_paper_and_the_counter()
    {
        // No group document: the add fails after storing the paper, and the transaction undoes it.
        var missing = new GroupId("discord:missing");

        Assert.Throws<InvalidOperationException>(() => library.Add(missing, Arxiv("1706.03762"), "alice", null, null, At));

        Assert.Null(papers.Find("arxiv:1706.03762"));
        Assert.Equal(0, library.Count(missing));
    }

    [Fact]
    public void Better_metadata_replaces_a_pending_shared_record_but_not_the_reverse()
    {
        var g1 = AddGroup("g1");
        var g2 = AddGroup("g2");
        library.Add(g1.Id, Arxiv("1706.03762"), "alice", null, null, At);

        library.Add(g2.Id, Arxiv("1706.03762") with { Title = "Attention Is All You Need", State = MetadataState.Resolved }, "bob", null, null, At);
        var g3 = AddGroup("g3");
        library.Add(g3.Id, Arxiv("1706.03762"), "carol", null, null, At);

        Assert.Equal("Attention Is All You Need", papers.Find("arxiv:1706.03762")!.Title);
    }

    [Fact]
    public void Listing_is_ordered_by_number_and_paged()
    {
        var g = AddGroup("g1");
        for (var i = 0; i < 25; i++)
        {
            library.Add(g.Id, Arxiv($"2301.{i:D5}"), "alice", null, null, At);
        }

        var page2 = library.List(g.Id, 20, 20);

        Assert.Equal([21, 22, 23, 24, 25], page2.Select(e => e.Number));
        Assert.Equal(25, library.Count(g.Id));
    }

    [Fact]
    public void Pending_papers_are_due_when_their_next_attempt_has_come()
    {
        papers.Save(Arxiv("1706.03762") with { NextAttemptAt = At.AddMinutes(5) });
        papers.Save(Arxiv("1512.03385") with { NextAttemptAt = At.AddMinutes(-5) });
        papers.Save(Arxiv("2301.00001") with { State = MetadataState.Resolved });

        Assert.Equal(["arxiv:1512.03385"], papers.FindDue(At, 10).Select(p => p.Key));
    }

    [Fact]
    public void Removing_a_workspace_removes_only_its_groups()
    {
        var gone = AddGroup("123");
        var kept = AddGroup("1234");
        var members = new LiteMemberStore(db);
        members.Save(new Member { Group = gone.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        members.Save(new Member { Group = kept.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        library.Add(gone.Id, Arxiv("1706.03762"), "u1", null, null, At);
        library.Add(kept.Id, Arxiv("1706.03762"), "u1", null, null, At);

        var removed = new LiteTenantDataStore(db).RemoveWorkspace(Platforms.Discord, "123");

        Assert.Equal(3, removed);
        Assert.Null(groups.Find(gone.Id));
        Assert.NotNull(groups.Find(kept.Id));
        Assert.Single(members.List(kept.Id));
        Assert.Equal(1, library.Count(kept.Id));
        Assert.NotNull(papers.Find("arxiv:1706.03762"));
    }

    [Fact]
    public void A_delivery_is_recorded_once_until_it_expires()
    {
        var log = new LiteDeliveryLog(db);

        Assert.True(log.TryRecord("slack:Ev1", At, At.AddMinutes(30)));
        Assert.False(log.TryRecord("slack:Ev1", At.AddMinutes(29), At.AddMinutes(59)));
        Assert.True(log.TryRecord("slack:Ev1", At.AddMinutes(31), At.AddMinutes(61)));
        Assert.Equal(0, log.Purge(At.AddMinutes(60)));
        Assert.Equal(1, log.Purge(At.AddMinutes(62)));
    }

    [Fact]
    public void A_claim_holds_for_its_lease_and_a_stale_uncompleted_claim_is_taken_again()
    {
        var posts = new LiteScheduledPostStore(db);
        var lease = TimeSpan.FromMinutes(2);
        var retry = TimeSpan.FromMinutes(10);
        ScheduledPostRecord Claim(DateTimeOffset at) => new("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, at, null);

        Assert.True(posts.TryClaim(Claim(At), retry, lease, out var none));
        Assert.False(posts.TryClaim(Claim(At.AddMinutes(1)), retry, lease, out _));
        Assert.True(posts.TryClaim(Claim(At.AddMinutes(2)), retry, lease, out var stale));
        posts.Complete("g|2026-W48|announce", ScheduledPostState.Posted, At.AddMinutes(3), "m1");

        Assert.Null(none);
        Assert.Equal((ScheduledPostState.Claimed, At), (stale!.State, stale.At));
        Assert.False(posts.TryClaim(Claim(At.AddDays(1)), retry, lease, out _));
    }

    [Fact]
    public void A_failed_post_is_claimed_again_after_the_retry_delay_not_the_lease()
    {
        var posts = new LiteScheduledPostStore(db);
        var claim = new ScheduledPostRecord("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, At, null);
        posts.TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
        posts.Complete(claim.Key, ScheduledPostState.Failed, At, "no channel");

        Assert.False(posts.TryClaim(claim with { At = At.AddMinutes(5) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _));
        Assert.True(posts.TryClaim(claim with { At = At.AddMinutes(10) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out var failed));
        Assert.Equal(ScheduledPostState.Failed, failed!.State);
    }

    [Fact]
    public void Thread_links_are_found_only_in_their_group()
    {
        var threads = new LiteThreadLinkStore(db);
        threads.Save(new ThreadLink(new GroupId("discord:1"), "t1", ThreadPurpose.Wayr, "2026-W48", At));

        Assert.Equal(ThreadPurpose.Wayr, threads.Find(new GroupId("discord:1"), "t1")!.Purpose);
        Assert.Null(threads.Find(new GroupId("discord:2"), "t1"));
    }
}

public sealed class DatabaseFileTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "readingbot-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Data_survives_reopening_the_file()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            new LiteAdapterStateStore(db).Set("discord:identifies", "3");
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        Assert.Equal("3", new LiteAdapterStateStore(reopened).Get("discord:identifies"));
        Assert.Equal(ReadingBotDatabase.SchemaVersion, reopened.Database.UserVersion);
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused_while_the_first_holds_it()
    {
        using var first = ReadingBotDatabase.OpenFile(directory);

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("in use by another ReadingBot process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_file_is_refused_with_advice()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "readingbot.db"), Enumerable.Range(0, 16384).Select(i => (byte)(i * 7)).ToArray());

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
        // The lock is released, so a corrected start is possible at once.
        File.Delete(Path.Combine(directory, "readingbot.db"));
        using var ok = ReadingBotDatabase.OpenFile(directory);
    }

    [Fact]
    public void A_database_from_a_newer_schema_is_refused()
    {
        Directory.CreateDirectory(directory);
        using (var raw = new LiteDatabase(Path.Combine(directory, "readingbot.db")))
        {
            raw.UserVersion = ReadingBotDatabase.SchemaVersion + 1;
        }

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("newer ReadingBot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Posts_between_two_weeks_include_both_ends_and_no_other_group_or_year()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        var store = new LiteWayrStore(database);
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        foreach (var (group, week) in new[] { (mine, new WeekKey(2025, 47)), (mine, new WeekKey(2026, 1)), (mine, new WeekKey(2026, 9)), (mine, new WeekKey(2026, 10)), (mine, new WeekKey(2026, 11)), (theirs, new WeekKey(2026, 9)) })
        {
            store.AddPost(new WayrPost { Group = group, Week = week, Number = 0, Author = "u", At = at });
        }

        var weeks = store.PostsBetween(mine, new WeekKey(2026, 1), new WeekKey(2026, 10)).Select(p => p.Week.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(["2026-W01", "2026-W09", "2026-W10"], weeks);
    }

    [Fact]
    public void Finished_readings_between_two_instants_are_this_groups_done_passes_from_the_first_and_before_the_second()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        var store = new LiteProgressStore(database);
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        var from = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(7);
        store.Save(new ReadingProgress(mine, "early", "p1", ReadingPass.Done, from.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "first", "p1", ReadingPass.Done, from));
        store.Save(new ReadingProgress(mine, "second", "p2", ReadingPass.Done, to.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "late", "p1", ReadingPass.Done, to));
        store.Save(new ReadingProgress(mine, "skimming", "p1", ReadingPass.Pass1, from.AddDays(1)));
        store.Save(new ReadingProgress(theirs, "other", "p1", ReadingPass.Done, from.AddDays(1)));
        // A reading saved as done and then set back to a second pass leaves the index of finished readings.
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Done, from.AddDays(2)));
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Pass2, from.AddDays(3)));

        var finished = store.FinishedBetween(mine, from, to).Select(p => p.Member).Order(StringComparer.Ordinal);

        Assert.Equal(["first", "second"], finished);
    }

    [Fact]
    public void A_schema_1_database_gets_its_finished_readings_indexed_on_opening()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        Directory.CreateDirectory(directory);
        using (var raw = new LiteDatabase(Path.Combine(directory, "readingbot.db")))
        {
            // A reading as schema 1 stored it: no key in the index of finished readings.
            raw.GetCollection(Collections.Progress).Insert(new BsonDocument
            {
                ["_id"] = "slack:T1|alice|p1", ["group"] = "slack:T1", ["groupMember"] = "slack:T1|alice", ["groupPaper"] = "slack:T1|p1",
                ["member"] = "alice", ["paper"] = "p1", ["pass"] = "Done", ["at"] = at.UtcDateTime,
            });
            raw.UserVersion = 1;
        }

        using var db = ReadingBotDatabase.OpenFile(directory);

        var finished = new LiteProgressStore(db).FinishedBetween(new GroupId("slack:T1"), at.AddDays(-1), at.AddDays(1));
        Assert.Equal("alice", Assert.Single(finished).Member);
        Assert.Equal(ReadingBotDatabase.SchemaVersion, db.Database.UserVersion);
    }
}

/// <summary>
/// LiteDB 5.0.21 keeps a compiled expression for every distinct expression text in a process-wide cache that is never
/// emptied (LiteDB issue #2807); its own Query helpers write values into that text. The stores keep values as
/// parameters, so a long-running bot's reads do not grow that cache with every group, paper and instant. The cache is
/// the process's, so this test runs alone: other tests' first queries would add to it meanwhile.
/// </summary>
[Collection(ExpressionCacheTests.Alone)]
public sealed class ExpressionCacheTests
{
    public const string Alone = "LiteDB's process-wide expression cache";

    private static int CachedExpressions()
    {
        var count = 0;
        foreach (var name in new[] { "_cacheScalar", "_cacheEnumerable" })
        {
            var field = typeof(BsonExpression).GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
            Assert.True(field is not null, $"LiteDB's BsonExpression has no {name} any more: check whether issue #2807 is fixed and this test still means something");
            count += ((System.Collections.ICollection)field.GetValue(null)!).Count;
        }

        return count;
    }

    [Fact]
    public void Reads_with_a_new_value_each_time_add_no_compiled_expression_once_warm()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var library = new LiteLibraryStore(db);
        var wayr = new LiteWayrStore(db);
        var progress = new LiteProgressStore(db);
        var deliveries = new LiteDeliveryLog(db);
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        void Read(int i)
        {
            var group = new GroupAddress(Platforms.Slack, "T" + i).Id;
            _ = library.Count(group);
            _ = wayr.PostsBetween(group, new WeekKey(2026, 1 + (i % 40)), new WeekKey(2026, 50));
            _ = progress.FinishedBetween(group, at.AddSeconds(-i), at.AddSeconds(i));
            _ = deliveries.Purge(at.AddMilliseconds(i));
        }

        Read(0);
        var before = CachedExpressions();
        for (var i = 1; i <= 200; i++)
        {
            Read(i);
        }

        Assert.Equal(before, CachedExpressions());
    }
}

[CollectionDefinition(ExpressionCacheTests.Alone, DisableParallelization = true)]
public sealed class ExpressionCacheCollection;
