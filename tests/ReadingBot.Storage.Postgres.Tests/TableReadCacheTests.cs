using Npgsql;
using ReadingBot.Storage.Contract;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Postgres.Tests;

/// <summary>
/// The reads kept by migration 0014's triggers (suggestions, week plans, likes, WAYR posts, progress, RSVPs, scheduled
/// posts, adapter state), with two pools on one schema standing for two bot processes: a kept read costs no round trip,
/// another process's write is seen once its notify arrives, and a process's own write at once. Each test seeds its
/// rows before either process listens, so no late notify of the seed forgets what a test has just read.
/// </summary>
public sealed class TableReadCacheTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly GroupId Group = new("discord:5");
    private static readonly WeekKey Week = new(2026, 10);
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TestSchema schema = TestServer.CreateSchema();
    private PostgresDatabase? first;
    private PostgresDatabase? second;

    public static TheoryData<string> Reads => [.. Cases.Keys];

    /// <summary>Each kept read: its kind letter and key, the read, a seed, the n-th change, and what the read shows after n changes.</summary>
    private static Dictionary<string, ReadCase> Cases { get; } = new()
    {
        ["open suggestions"] = new(ReadKind.Suggestions, Group.Value,
            db => string.Join(",", new PgSuggestionStore(db).ListOpen(Group).Select(s => $"{s.PaperKey}:{s.Voters.Count}")),
            db => new PgSuggestionStore(db).TryAdd(new Suggestion { Group = Group, PaperKey = "p1", SuggestedBy = "u0", SuggestedAt = T0 }),
            (db, n) => new PgSuggestionStore(db).ToggleVote(Group, "p1", $"u{n}"),
            n => $"p1:{n}"),
        ["a suggestion"] = new(ReadKind.Suggestions, Group.Value,
            db => $"{new PgSuggestionStore(db).Find(Group, "p1")?.Voters.Count}",
            db => new PgSuggestionStore(db).TryAdd(new Suggestion { Group = Group, PaperKey = "p1", SuggestedBy = "u0", SuggestedAt = T0 }),
            (db, n) => new PgSuggestionStore(db).ToggleVote(Group, "p1", $"u{n}"),
            n => $"{n}"),
        ["week plans"] = new(ReadKind.WeekPlans, Group.Value,
            db => string.Join(",", new PgWeekPlanStore(db).Range(Group, Week, new WeekKey(2026, 20)).Select(p => p.PaperKey)),
            _ => { },
            (db, n) => new PgWeekPlanStore(db).Save(new WeekPlan { Group = Group, Week = new WeekKey(2026, 10 + n), PaperKey = $"p{n}" }),
            n => string.Join(",", Enumerable.Range(1, n).Select(i => $"p{i}"))),
        ["group likes"] = new(ReadKind.Likes, Group.Value,
            db => string.Join(",", new PgLikeStore(db).ForGroup(Group).Select(l => l.UserId)),
            _ => { },
            (db, n) => new PgLikeStore(db).Toggle(Group, $"u{n}", "p1", T0.AddMinutes(n)),
            n => string.Join(",", Enumerable.Range(1, n).Select(i => $"u{i}"))),
        ["a member's likes"] = new(ReadKind.Likes, Group.Value,
            db => $"{new PgLikeStore(db).ForMember(Group, "u1").Count}",
            db => new PgLikeStore(db).Toggle(Group, "u1", "p0", T0),
            (db, n) => new PgLikeStore(db).Toggle(Group, "u1", $"p{n}", T0.AddMinutes(n)),
            n => $"{n + 1}"),
        ["WAYR posts"] = new(ReadKind.WayrPosts, Group.Value,
            db => $"{new PgWayrStore(db).PostsBetween(Group, Week, new WeekKey(9999, 1)).Count}",
            _ => { },
            (db, n) => new PgWayrStore(db).AddPost(new WayrPost { Group = Group, Week = Week, Number = 0, Author = $"u{n}", PaperKey = "p1", At = T0 }),
            n => $"{n}"),
        ["finished readings"] = new(ReadKind.Progress, Group.Value,
            db => $"{new PgProgressStore(db).FinishedBetween(Group, T0, DateTimeOffset.MaxValue).Count}",
            db => new PgProgressStore(db).Save(new ReadingProgress(Group, "u0", "p0", ReadingPass.Pass1, T0)),
            (db, n) => new PgProgressStore(db).Save(new ReadingProgress(Group, $"u{n}", "p1", ReadingPass.Done, T0.AddHours(n))),
            n => $"{n}"),
        ["a week's RSVPs"] = new(ReadKind.Rsvps, Group.Value,
            db => string.Join(",", new PgRsvpStore(db).ForWeek(Group, Week).Select(r => $"{r.UserId}:{r.Answer}")),
            db => new PgRsvpStore(db).Save(new Rsvp(Group, Week, "u0", RsvpAnswer.Going, T0)),
            (db, n) => new PgRsvpStore(db).Save(new Rsvp(Group, Week, "u0", n % 2 == 1 ? RsvpAnswer.NotGoing : RsvpAnswer.Going, T0.AddMinutes(n))),
            n => n % 2 == 1 ? "u0:NotGoing" : "u0:Going"),
        ["recent scheduled posts"] = new(ReadKind.ScheduledPosts, Group.Value,
            db => string.Join(",", new PgScheduledPostStore(db).Recent(Group, 10).Select(p => $"{p.Key}:{p.State}")),
            _ => { },
            (db, n) =>
            {
                var posts = new PgScheduledPostStore(db);
                if (n == 1)
                {
                    posts.TryClaim(new ScheduledPostRecord("k1", Group, Week, "announce", ScheduledPostState.Claimed, T0, null), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
                }
                else
                {
                    posts.Complete("k1", ScheduledPostState.Posted, T0.AddMinutes(n), null);
                }
            },
            n => n == 0 ? "" : n == 1 ? "k1:Claimed" : "k1:Posted"),
        ["adapter state keys"] = new(ReadKind.AdapterState, "y",
            db => string.Join(",", new PgAdapterStateStore(db).GetMany(["x", "y"]).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            db => new PgAdapterStateStore(db).Set("x", "v0"),
            (db, n) => new PgAdapterStateStore(db).Set("y", $"v{n}"),
            n => n == 0 ? "x=v0" : $"x=v0,y=v{n}"),
    };

    public void Dispose()
    {
        first?.Dispose();
        second?.Dispose();
        schema.Dispose();
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_read_kept_by_one_process_costs_no_round_trip_and_shows_the_other_process_write_after_the_notify(string read)
    {
        var c = Cases[read];
        var (mine, theirs) = await Processes(c.Seed);
        Assert.Equal(c.Expected(0), c.Read(mine));
        var before = mine.RoundTrips;
        Assert.Equal(c.Expected(0), c.Read(mine));
        Assert.Equal(before, mine.RoundTrips);

        c.Change(theirs, 1);

        Assert.True(await mine.Cache.WaitUntilAsync(() => !mine.Cache.Reads.Holds((c.Kind, c.Key)), Patience));
        Assert.Equal(c.Expected(1), c.Read(mine));
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_process_reads_its_own_write_at_once_without_waiting_for_the_notify(string read)
    {
        var c = Cases[read];
        var (mine, _) = await Processes(c.Seed);
        Assert.Equal(c.Expected(0), c.Read(mine));

        c.Change(mine, 1);
        Assert.Equal(c.Expected(1), c.Read(mine));
        c.Change(mine, 2);
        Assert.Equal(c.Expected(2), c.Read(mine));
    }

    [Fact]
    public async Task A_weeks_plan_and_a_single_state_key_are_read_from_the_server_every_time_because_jobs_act_on_them()
    {
        var (mine, _) = await Processes(_ => { });
        var plans = new PgWeekPlanStore(mine);
        var state = new PgAdapterStateStore(mine);
        plans.Find(Group, Week);
        state.Get("x");

        var before = mine.RoundTrips;
        plans.Find(Group, Week);
        state.Get("x");

        Assert.Equal(before + 2, mine.RoundTrips);
    }

    [Fact]
    public async Task Week_show_read_again_makes_no_round_trip()
    {
        var (mine, _) = await Processes(_ => { });
        var plans = new PgWeekPlanStore(mine);
        var state = new PgAdapterStateStore(mine);
        var rsvps = new PgRsvpStore(mine);
        var posts = new PgScheduledPostStore(mine);
        void Show()
        {
            plans.Range(Group, Week, new WeekKey(2026, 14));
            state.GetMany(["native:problem", "presenter:answer:2026-W10", "presenter:answer:2026-W11"]);
            rsvps.ForWeek(Group, Week);
            posts.Recent(Group, 5);
        }

        Show();
        var before = mine.RoundTrips;
        Show();

        Assert.Equal(before, mine.RoundTrips);
    }

    [Fact]
    public async Task The_queues_rising_signals_read_again_a_minute_later_make_no_round_trip_and_keep_the_same_answer()
    {
        var (mine, _) = await Processes(db =>
        {
            new PgSuggestionStore(db).TryAdd(new Suggestion { Group = Group, PaperKey = "p1", SuggestedBy = "u1", SuggestedAt = T0, Voters = ["u2"] });
            new PgLikeStore(db).Toggle(Group, "u3", "p2", T0);
            new PgWayrStore(db).AddPost(new WayrPost { Group = Group, Week = Week, Number = 0, Author = "u4", PaperKey = "p3", At = T0 });
            new PgProgressStore(db).Save(new ReadingProgress(Group, "u5", "p4", ReadingPass.Done, T0.AddSeconds(30)));
            new PgProgressStore(db).Save(new ReadingProgress(Group, "u6", "p5", ReadingPass.Done, T0.AddMinutes(5)));
        });
        var signals = new ReadingSignals(new PgLikeStore(mine), new PgSuggestionStore(mine), new PgWeekPlanStore(mine), [new WayrReadingSignals(new PgWayrStore(mine), new PgProgressStore(mine))]);
        string Rising(DateTimeOffset since) => string.Join(",", signals.ForGroupSince(Group, since).Select(s => $"{s.Kind}:{s.PaperKey}").Order(StringComparer.Ordinal));
        Assert.Equal("FinishedReading:p4,FinishedReading:p5,Liked:p2,PostedInWayr:p3,Suggested:p1,Voted:p1", Rising(T0.AddSeconds(-60)));

        var before = mine.RoundTrips;
        var later = Rising(T0.AddSeconds(60));

        // The later window leaves out the reading finished in the first minute, as the server would.
        Assert.Equal((before, "FinishedReading:p5"), (mine.RoundTrips, later));
    }

    [Fact]
    public async Task Finished_readings_of_a_window_inside_a_kept_one_come_from_memory_as_the_server_would_answer()
    {
        var (mine, theirs) = await Processes(db =>
        {
            foreach (var minutes in new[] { 30, 90, 150 })
            {
                new PgProgressStore(db).Save(new ReadingProgress(Group, $"u{minutes}", "p1", ReadingPass.Done, T0.AddMinutes(minutes)));
            }
        });
        var progress = new PgProgressStore(mine);
        string Finished(PgProgressStore store, DateTimeOffset from, DateTimeOffset to) => string.Join(",", store.FinishedBetween(Group, from, to).Select(p => p.Member));
        Assert.Equal("u30,u90,u150", Finished(progress, T0, DateTimeOffset.MaxValue));

        var before = mine.RoundTrips;
        var inside = Finished(progress, T0.AddMinutes(90), T0.AddMinutes(150));

        Assert.Equal((before, "u90"), (mine.RoundTrips, inside));
        Assert.Equal(Finished(new PgProgressStore(theirs), T0.AddMinutes(90), T0.AddMinutes(150)), inside);
    }

    [Fact]
    public async Task Two_processes_toggling_one_like_at_once_cancel_out_and_one_of_them_says_liked()
    {
        var (mine, theirs) = await Processes(_ => { });
        var stores = new[] { new PgLikeStore(mine), new PgLikeStore(theirs) };
        for (var round = 0; round < 8; round++)
        {
            using var start = new Barrier(2);
            var toggles = await Task.WhenAll(stores.Select(s => Task.Run(() =>
            {
                start.SignalAndWait();
                return s.Toggle(Group, "u1", "p1", T0);
            })));

            Assert.Equal(new[] { false, true }, toggles.Order());
            Assert.Equal(0, CountLikes());
        }
    }

    private long CountLikes()
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM likes", connection);
        return (long)command.ExecuteScalar()!;
    }

    private async Task<(PostgresDatabase Mine, PostgresDatabase Theirs)> Processes(Action<PostgresDatabase> seed)
    {
        // A notify of a write that committed before LISTEN is never delivered.
        using (var setup = PostgresDatabase.Open(schema.ConnectionString))
        {
            seed(setup);
        }

        first = PostgresDatabase.Open(schema.ConnectionString);
        second = PostgresDatabase.Open(schema.ConnectionString);
        foreach (var db in new[] { first, second })
        {
            Assert.True(await db.Cache.WaitUntilAsync(() => db.Cache.IsListening, Patience), "the cache's listener did not start");
        }

        return (first, second);
    }

    private sealed record ReadCase(char Kind, string Key, Func<PostgresDatabase, string> Read, Action<PostgresDatabase> Seed, Action<PostgresDatabase, int> Change, Func<int, string> Expected);
}
