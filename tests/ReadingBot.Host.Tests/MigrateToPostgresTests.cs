using ReadingBot.Host.Hosting;
using ReadingBot.Storage.Contract;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

/// <summary><c>migrate --to-postgres</c> as a process: a LiteDB data directory written by the bot, copied twice.</summary>
public sealed class MigrateToPostgresTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-migrate-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Every_collection_litedb_declares_is_copied()
    {
        Assert.Equal(Collections.Declarations.Select(d => d.Name).Order(StringComparer.Ordinal), MigrateToPostgres.CopiedCollections.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_copy_carries_the_data_over_and_a_second_copy_changes_nothing()
    {
        using var schema = TestServer.CreateSchema();
        var written = await BotProcess.RunAsync(data,
        [
            "/paper add 1706.03762 Attention Is All You Need", "/paper add 1512.03385 Deep Residual Learning", "/paper suggest #1 a classic",
            "/paper vote #1", "/week pick #1", "/wayr post #1 reading a note", "/read #1 pass1", "/like #1",
        ]);
        Assert.Equal(0, written.ExitCode);

        var first = await BotProcess.RunAsync(data, [], null, "migrate", "--to-postgres", schema.ConnectionString);
        var second = await BotProcess.RunAsync(data, [], null, "migrate", "--to-postgres", schema.ConnectionString);
        var onPostgres = await BotProcess.RunAsync(data, ["/paper list"], new Dictionary<string, string>
        {
            ["READINGBOT_Storage__Provider"] = "Postgres",
            ["READINGBOT_Storage__ConnectionString"] = schema.ConnectionString,
        });

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("  library: 2 read, 2 copied, 0 already there", first.Lines);
        Assert.Contains("  suggestions: 1 read, 1 copied, 0 already there", first.Lines);
        Assert.Contains("  likes: 1 read, 1 copied, 0 already there", first.Lines);
        Assert.Contains("  weekPlans: 1 read, 1 copied, 0 already there", first.Lines);
        Assert.Contains("  progress: 1 read, 1 copied, 0 already there", first.Lines);
        Assert.Contains("  wayrPosts: 1 read, 1 copied, 0 already there", first.Lines);
        Assert.Contains("Web link secret: copied (or already there), so links made before the move still open.", first.Lines);
        using (var postgres = Storage.Postgres.PostgresDatabase.Open(schema.ConnectionString))
        {
            var file = File.ReadAllBytes(Path.Combine(data, ReadingBot.Host.Web.WebSecret.FileName));
            Assert.Equal(Convert.ToBase64String(file), new Storage.Postgres.PgAdapterStateStore(postgres).Get(ReadingBot.Host.Web.WebSecret.StateKey));
        }

        Assert.DoesNotContain(schema.Name, first.Output + first.Errors, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.StartsWith("Done: 0 copied", second.Lines[^1], StringComparison.Ordinal);
        Assert.Contains("  library: 2 read, 0 copied, 2 already there", second.Lines);
        Assert.Equal(0, onPostgres.ExitCode);
        Assert.Contains("Library (2 papers)", onPostgres.Output, StringComparison.Ordinal);
        Assert.Contains("Deep Residual Learning", onPostgres.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_without_a_database_is_refused_in_one_line()
    {
        var result = await BotProcess.RunAsync(data, [], null, "migrate", "--to-postgres", "Host=127.0.0.1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("ReadingBot cannot migrate: there is no LiteDB database in", result.Errors, StringComparison.Ordinal);
    }
}

/// <summary>The copy in process, over a LiteDB file with a record in every collection.</summary>
public sealed class MigrateEveryCollectionTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly Core.Weeks.WeekKey Week = new(2026, 48);
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-migrate-all-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Every_collection_is_copied_once_and_reads_back_through_the_postgres_stores()
    {
        var group = FillEveryCollection();
        using var schema = TestServer.CreateSchema();

        var first = await Migrate(schema);
        var second = await Migrate(schema);

        var lines = first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Collections.Declarations.Count, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^  \w+: ([1-9]\d*) read, \1 copied, 0 already there$", l));
        Assert.EndsWith("Done: 0 copied, " + lines.Sum(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)) + " already there.", second.TrimEnd(), StringComparison.Ordinal);

        using var postgres = Storage.Postgres.PostgresDatabase.Open(schema.ConnectionString);
        Assert.Equal("the ReLU part", Assert.Single(new Storage.Postgres.PgDiscussionStore(postgres).ForPaper(group, "arxiv:1706.03762")).Text);
        Assert.Equal("was away", Assert.Single(new Storage.Postgres.PgStreakStore(postgres).Audit(group, 5)).Reason);
        Assert.Equal("AlexNet", new Storage.Postgres.PgRoadmapStore(postgres).Find(group)!.Sections[0].Items[0].Title);
        Assert.Equal(Core.Ports.ThreadPurpose.Wayr, new Storage.Postgres.PgThreadLinkStore(postgres).Find(group, "t1")!.Purpose);
        Assert.Equal("Europe/Berlin", new Storage.Postgres.PgGroupStore(postgres).Find(group)!.Settings["timezone"]);
        Assert.Equal(2, new Storage.Postgres.PgGroupStore(postgres).Find(group)!.NextPaperNumber);
        Assert.Equal(1, new Storage.Postgres.PgWeekPlanStore(postgres).Find(group, Week)!.Revision);
        Assert.Equal("arxiv:1706.03762", new Storage.Postgres.PgPaperIdentityStore(postgres).Canonical("url:https://example.org/attention"));
        Assert.Equal(Core.Weeks.RsvpAnswer.Going, new Storage.Postgres.PgRsvpStore(postgres).Find(group, Week, "alice")!.Answer);
        Assert.Equal(10, new Storage.Postgres.PgEnrichmentStore(postgres).Find("arxiv:1706.03762")!.Citations);
        Assert.Equal("Yann LeCun", Assert.Single(new Storage.Postgres.PgFollowStore(postgres).ForOwner(group, "alice")).Text);
        Assert.Equal("1706.03762", Assert.Single(new Storage.Postgres.PgFollowStore(postgres).Matches(group, "alice", At)).ArxivId);
        Assert.Equal([new Core.Ports.SessionStart(3, At)], new Storage.Postgres.PgSessionStartLedger(postgres).Recent("discord:app", At.AddHours(1)));
    }

    private async Task<string> Migrate(TestSchema schema)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await MigrateToPostgres.RunAsync(["migrate", "--to-postgres", schema.ConnectionString, "--data", data], output, errors);
        Assert.True(code == 0, errors.ToString());
        return output.ToString();
    }

    private Core.Groups.GroupId FillEveryCollection()
    {
        using var db = ReadingBotDatabase.OpenFile(data);
        var group = new Core.Groups.GroupId("discord:1");
        new LiteGroupStore(db).GetOrAdd(group, () => new Core.Groups.Group
        {
            Id = group, Platform = "discord", Workspace = "1", CreatedAt = At, Settings = new Dictionary<string, string> { ["timezone"] = "Europe/Berlin" },
        });
        new LiteMemberStore(db).Save(new Core.Groups.Member { Group = group, UserId = "alice", DisplayName = "Alice", JoinedAt = At });
        var paper = Core.Papers.Paper.Pending(Core.Papers.PaperRefParser.Parse("1706.03762").Reference!);
        new LiteLibraryStore(db).Add(group, paper, "alice", "Attention", null, At);
        var link = Core.Papers.Paper.Pending(Core.Papers.PaperRefParser.Parse("https://example.org/attention").Reference!);
        new LitePaperStore(db).Save(link);
        new LitePaperIdentityStore(db).Merge(paper, link.Key);
        new LiteDeliveryLog(db).TryRecord("slack:Ev1", At, At.AddDays(1));
        new LiteAdapterStateStore(db).Set("discord:identifies", "1");
        new LiteSessionStartLedger(db).TryTake("discord:app", 3, At, 900);
        new LiteThreadLinkStore(db).Save(new Core.Ports.ThreadLink(group, "t1", Core.Ports.ThreadPurpose.Wayr, Week.ToString(), At));
        var suggestion = new Core.Weeks.Suggestion { Group = group, PaperKey = paper.Key, SuggestedBy = "alice", SuggestedAt = At, Voters = ["alice"] };
        new LiteSuggestionStore(db).TryAdd(suggestion);
        new LiteWeekPlanStore(db).SavePick(new Core.Weeks.WeekPlan { Group = group, Week = Week, PaperKey = paper.Key, PickedBy = "alice", PickedAt = At }, suggestion with { State = Core.Weeks.SuggestionState.Picked });
        new LiteWeekPlanStore(db).Touch(group, [Week]);
        new LiteDiscussionStore(db).Add(new Core.Weeks.DiscussionNote { Group = group, PaperKey = paper.Key, Week = Week, Author = "alice", Text = "the ReLU part", At = At });
        new LitePresenterStore(db).Save(new Core.Weeks.PresenterVolunteer(group, "alice", At, null));
        var claim = new Core.Weeks.ScheduledPostRecord($"{group.Value}|{Week}|announce", group, Week, "announce", Core.Weeks.ScheduledPostState.Claimed, At, null);
        new LiteScheduledPostStore(db).TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
        var wayr = new LiteWayrStore(db);
        var week = wayr.EnsureWeek(group, Week);
        wayr.AddPost(new Core.Wayr.WayrPost { Group = group, Week = Week, Number = 0, Author = "alice", PaperKey = paper.Key, Note = "reading", At = At });
        new LiteProgressStore(db).Save(new Core.Wayr.ReadingProgress(group, "alice", paper.Key, Core.Wayr.ReadingPass.Done, At));
        var streaks = new LiteStreakStore(db);
        streaks.CloseWeek(new Core.Streaks.WeekClose(week with { ClosedAt = At }, [new Core.Streaks.LedgerEntry(group, "alice", Week, Core.Streaks.WeekResult.Kept, "posted", At)],
            [new Core.Streaks.MemberStreak(group, "alice") { Current = 1, Longest = 1, TotalKept = 1, LastWeek = Week }], [new Core.Streaks.LeaderboardRow("alice", 1, 1, 1)],
            new Core.Wayr.Digest(group, Week, 1, "Week 48", [new Core.Wayr.DigestSection("Read", ["alice"])], At)));
        streaks.Correct(new Core.Streaks.StreakCorrection(group, "alice", Week, Core.Streaks.WeekResult.Kept, Core.Streaks.WeekResult.Kept, "was away", "mod", At),
            new Core.Streaks.LedgerEntry(group, "alice", Week, Core.Streaks.WeekResult.Kept, "corrected", At), new Core.Streaks.MemberStreak(group, "alice") { Current = 1 }, [new Core.Streaks.LeaderboardRow("alice", 1, 1, 1)]);
        new LiteLikeStore(db).Toggle(group, "alice", paper.Key, At);
        new LiteDislikeStore(db).Toggle(group, "bob", paper.Key, At);
        new LiteRsvpStore(db).Save(new Core.Weeks.Rsvp(group, Week, "alice", Core.Weeks.RsvpAnswer.Going, At));
        var roadmaps = new LiteRoadmapStore(db);
        roadmaps.Save(new Core.Roadmaps.Roadmap { Group = group, Title = "Vision", Source = "starter", Sections = [new Core.Roadmaps.RoadmapSection("CNNs", [new Core.Roadmaps.RoadmapItem(paper.Key, "AlexNet")])] });
        roadmaps.SaveProgress(new Core.Roadmaps.RoadmapProgress { Group = group, MemberId = "alice", Done = [paper.Key], UpdatedAt = At });
        new LiteEnrichmentStore(db).Save(new Core.Papers.PaperEnrichment(paper.Key, At, true) { Tldr = "A TLDR", Citations = 10 });
        var follows = new LiteFollowStore(db);
        follows.Add(new Core.Follows.Follow(group, "alice", Core.Follows.FollowKind.Author, "yann|lecun", "Yann LeCun", "alice", At));
        follows.AddMatch(new Core.Follows.FollowMatch(group, "alice", paper.Key, "Attention", paper.Url, "1706.03762", "by Yann LeCun", At));
        return group;
    }
}
