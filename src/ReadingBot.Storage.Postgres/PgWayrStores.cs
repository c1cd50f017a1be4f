using System.Text.Json;
using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Postgres;

public sealed class PgWayrStore(PostgresDatabase db) : IWayrStore
{
    internal const string WeekColumns = "group_id, week, number, closed, channel_id, thread_id, closed_at";
    private const string PostColumns = "group_id, week, number, author, paper_key, status, note, at, edited_at";

    internal const string UpsertWeek =
        $"""
        INSERT INTO wayr_weeks ({WeekColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (group_id, week) DO UPDATE SET number = excluded.number, closed = excluded.closed, channel_id = excluded.channel_id,
            thread_id = excluded.thread_id, closed_at = excluded.closed_at
        """;

    public WayrWeek? FindWeek(GroupId group, WeekKey week) =>
        db.QueryFirst($"SELECT {WeekColumns} FROM wayr_weeks WHERE group_id = $1 AND week = $2", ReadWeek, group.Value, week.ToString());

    public WayrWeek EnsureWeek(GroupId group, WeekKey week) => FindWeek(group, week) ?? db.InTransaction(session =>
    {
        // Weeks of one group are numbered one after another: processes creating two weeks at once take turns.
        session.LockFor("wayr-weeks|" + group.Value);
        return session.QueryFirst(
            $"""
            INSERT INTO wayr_weeks ({WeekColumns})
            SELECT $1, $2, coalesce(max(number), 0) + 1, false, NULL::text, NULL::text, NULL::timestamptz FROM wayr_weeks WHERE group_id = $1
            ON CONFLICT (group_id, week) DO UPDATE SET number = wayr_weeks.number
            RETURNING {WeekColumns}
            """,
            ReadWeek, group.Value, week.ToString())!;
    });

    public void SaveWeek(WayrWeek week) => db.Execute(UpsertWeek, WeekValues(week));

    public IReadOnlyList<WayrWeek> ClosedWeeks(GroupId group, int count) =>
        db.Query($"SELECT {WeekColumns} FROM wayr_weeks WHERE group_id = $1 AND closed ORDER BY week COLLATE \"C\" DESC LIMIT $2", ReadWeek, group.Value, count);

    public WayrPost? AddPost(WayrPost post)
    {
        var added = db.InTransaction(session => NumberPost(session, post));
        db.Forget(ReadKind.WayrPosts, post.Group.Value);
        return added;
    }

    public void SavePost(WayrPost post)
    {
        db.Execute(
            $"""
            INSERT INTO wayr_posts ({PostColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (group_id, week, number) DO UPDATE SET author = excluded.author, paper_key = excluded.paper_key, status = excluded.status,
                note = excluded.note, at = excluded.at, edited_at = excluded.edited_at
            """,
            post.Group.Value, post.Week.ToString(), post.Number, post.Author, post.PaperKey, post.Status.ToString(), post.Note, post.At, post.EditedAt);
        db.Forget(ReadKind.WayrPosts, post.Group.Value);
    }

    public bool DeletePost(GroupId group, WeekKey week, int number)
    {
        var deleted = db.Execute("DELETE FROM wayr_posts WHERE group_id = $1 AND week = $2 AND number = $3", group.Value, week.ToString(), number) == 1;
        db.Forget(ReadKind.WayrPosts, group.Value);
        return deleted;
    }

    private static WayrPost? NumberPost(PostgresSession session, WayrPost post)
    {
        // The week's row (or, before it exists, a lock on its key) orders the posts of one week.
        session.LockFor($"wayr-posts|{post.Group.Value}|{post.Week}");
        return session.QueryFirst(
            $"""
            INSERT INTO wayr_posts ({PostColumns})
            SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4::text, $5, $6, $7::timestamptz, $8::timestamptz FROM wayr_posts WHERE group_id = $1 AND week = $2
            HAVING NOT EXISTS (SELECT 1 FROM wayr_weeks WHERE group_id = $1 AND week = $2 AND closed)
            RETURNING {PostColumns}
            """,
            ReadPost, post.Group.Value, post.Week.ToString(), post.Author, post.PaperKey, post.Status.ToString(), post.Note, post.At, post.EditedAt);
    }

    public IReadOnlyList<WayrPost> Posts(GroupId group, WeekKey week) =>
        db.Query($"SELECT {PostColumns} FROM wayr_posts WHERE group_id = $1 AND week = $2 ORDER BY number", ReadPost, group.Value, week.ToString());

    public IReadOnlyList<WayrPost> AllPosts(GroupId group) =>
        db.Query($"SELECT {PostColumns} FROM wayr_posts WHERE group_id = $1 ORDER BY at, week, number", ReadPost, group.Value);

    // Week keys are zero-padded text: a range of weeks is one range of the primary key.
    public IReadOnlyList<WayrPost> PostsBetween(GroupId group, WeekKey from, WeekKey to) => db.Read<IReadOnlyList<WayrPost>>(ReadKind.WayrPosts, group.Value, $"between:{from}:{to}", () =>
        db.Query($"SELECT {PostColumns} FROM wayr_posts WHERE group_id = $1 AND week BETWEEN $2 AND $3 ORDER BY at, week, number", ReadPost, group.Value, from.ToString(), to.ToString()));

    public IReadOnlyList<WayrPost> PostsForPaper(GroupId group, string paperKey) =>
        db.Query($"SELECT {PostColumns} FROM wayr_posts WHERE group_id = $1 AND paper_key = $2 ORDER BY at, week, number", ReadPost, group.Value, paperKey);

    internal static object?[] WeekValues(WayrWeek w) =>
        [w.Group.Value, w.Week.ToString(), w.Number, w.Closed, w.ChannelId, w.ThreadId, w.ClosedAt];

    private static WayrWeek ReadWeek(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        Week = r.Week(1),
        Number = r.GetInt32(2),
        Closed = r.GetBoolean(3),
        ChannelId = r.OptionalString(4),
        ThreadId = r.OptionalString(5),
        ClosedAt = r.OptionalInstant(6),
    };

    private static WayrPost ReadPost(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        Week = r.Week(1),
        Number = r.GetInt32(2),
        Author = r.GetString(3),
        PaperKey = r.OptionalString(4),
        Status = r.Enum<ReadingStatus>(5),
        Note = r.GetString(6),
        At = r.Instant(7),
        EditedAt = r.OptionalInstant(8),
    };
}

public sealed class PgProgressStore(PostgresDatabase db) : IProgressStore
{
    private const string Columns = "group_id, member, paper_key, pass, at";

    public void Save(ReadingProgress progress)
    {
        db.Execute(
            $"INSERT INTO progress ({Columns}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, member, paper_key) DO UPDATE SET pass = excluded.pass, at = excluded.at",
            progress.Group.Value, progress.Member, progress.PaperKey, progress.Pass.ToString(), progress.At);
        db.Forget(ReadKind.Progress, progress.Group.Value);
    }

    public IReadOnlyList<ReadingProgress> ForMember(GroupId group, string member) =>
        db.Query($"SELECT {Columns} FROM progress WHERE group_id = $1 AND member = $2 ORDER BY paper_key", Read, group.Value, member);

    public IReadOnlyList<ReadingProgress> ForPaper(GroupId group, string paperKey) =>
        db.Query($"SELECT {Columns} FROM progress WHERE group_id = $1 AND paper_key = $2 ORDER BY member", Read, group.Value, paperKey);

    // The partial index of finished readings: a chart of recent weeks does not read years of records.
    // The queue's "Rising" line asks from a moment that moves on with the clock: a kept window that covers the one asked
    // for answers it, filtered here as the server would.
    public IReadOnlyList<ReadingProgress> FinishedBetween(GroupId group, DateTimeOffset from, DateTimeOffset to)
    {
        var kept = db.Cache.Reads.Read(
            (ReadKind.Progress, group.Value),
            view => view.Answers.Values.OfType<FinishedWindow>().FirstOrDefault(window => window.From <= from && window.To >= to),
            () => new FinishedWindow(from, to, db.Query($"SELECT {Columns} FROM progress WHERE group_id = $1 AND pass = 'Done' AND at >= $2 AND at < $3 ORDER BY at", Read, group.Value, from, to)),
            (view, window) => (view ?? QueryAnswers.Empty).With($"finished:{from.UtcTicks}:{to.UtcTicks}", window));
        return kept.From == from && kept.To == to ? kept.Rows : kept.Rows.Where(p => p.At >= Microseconds(from) && p.At < Microseconds(to)).ToList();
    }

    /// <summary>The instant as the server compares it: timestamptz keeps microseconds, and Npgsql drops the rest.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    public IReadOnlyList<ReadingProgress> ForGroup(GroupId group) =>
        db.Query($"SELECT {Columns} FROM progress WHERE group_id = $1 ORDER BY member, paper_key", Read, group.Value);

    private static ReadingProgress Read(NpgsqlDataReader r) =>
        new(new GroupId(r.GetString(0)), r.GetString(1), r.GetString(2), r.Enum<ReadingPass>(3), r.Instant(4));
}

/// <summary>The ledger, streaks, standings, audit and digests: a week's close and a correction are each one transaction and one round trip.</summary>
public sealed class PgStreakStore(PostgresDatabase db) : IStreakStore, IDigestStore
{
    private const string LedgerColumns = "group_id, member, week, result, reason, at";
    private const string DigestColumns = "group_id, week, number, title, sections::text, created_at";

    private const string UpsertLedger =
        $"INSERT INTO ledger ({LedgerColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, member, week) DO UPDATE SET result = excluded.result, reason = excluded.reason, at = excluded.at";

    private const string UpsertStreak =
        """
        INSERT INTO streaks (group_id, member, current, longest, total, freezes, toward, last_week) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (group_id, member) DO UPDATE SET current = excluded.current, longest = excluded.longest, total = excluded.total,
            freezes = excluded.freezes, toward = excluded.toward, last_week = excluded.last_week
        """;

    public bool CloseWeek(WeekClose close)
    {
        var group = close.Week.Group.Value;
        var week = close.Week.Week.ToString();
        return db.InTransaction(session =>
        {
            // Two processes closing one week take turns; the second finds it closed and writes nothing.
            session.LockFor($"wayr-posts|{group}|{week}");
            if (session.Query("SELECT 1 FROM wayr_weeks WHERE group_id = $1 AND week = $2 AND closed", r => r.GetInt32(0), group, week).Count > 0)
            {
                return false;
            }

            var statements = new List<(string, object?[])>();
            // Keyed by group, member and week: a close replayed after a crash overwrites, never duplicates.
            statements.AddRange(close.Entries.Select(e => (UpsertLedger, LedgerValues(e))));
            statements.AddRange(close.Streaks.Select(s => (UpsertStreak, StreakValues(s))));
            statements.Add((
                "INSERT INTO standings (group_id, week, rows) VALUES ($1, $2, $3) ON CONFLICT (group_id) DO UPDATE SET week = excluded.week, rows = excluded.rows",
                [group, week, Rows(close.Standings)]));
            statements.Add((
                $"""
                INSERT INTO digests (group_id, week, number, title, sections, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (group_id, week) DO UPDATE SET number = excluded.number, title = excluded.title, sections = excluded.sections, created_at = excluded.created_at
                """,
                [close.Digest.Group.Value, close.Digest.Week.ToString(), close.Digest.Number, close.Digest.Title,
                    new Jsonb(JsonSerializer.Serialize(close.Digest.Sections.Select(s => new SectionJson(s.Heading, s.Lines.ToList())))), close.Digest.CreatedAt]));
            statements.Add((PgWayrStore.UpsertWeek, PgWayrStore.WeekValues(close.Week with { Closed = true })));
            session.ExecuteBatch(statements);
            return true;
        });
    }

    public MemberStreak? Find(GroupId group, string member) => db.QueryFirst(
        "SELECT member, current, longest, total, freezes, toward, last_week FROM streaks WHERE group_id = $1 AND member = $2",
        r => new MemberStreak(group, r.GetString(0))
        {
            Current = r.GetInt32(1),
            Longest = r.GetInt32(2),
            TotalKept = r.GetInt32(3),
            Freezes = r.GetInt32(4),
            KeptTowardFreeze = r.GetInt32(5),
            LastWeek = r.OptionalWeek(6),
        },
        group.Value, member);

    public IReadOnlyList<LedgerEntry> Ledger(GroupId group, string member) =>
        db.Query($"SELECT {LedgerColumns} FROM ledger WHERE group_id = $1 AND member = $2 ORDER BY week COLLATE \"C\"", ReadEntry, group.Value, member);

    public IReadOnlyList<LedgerEntry> LedgerForWeek(GroupId group, WeekKey week) =>
        db.Query($"SELECT {LedgerColumns} FROM ledger WHERE group_id = $1 AND week = $2 ORDER BY member", ReadEntry, group.Value, week.ToString());

    public IReadOnlyList<LeaderboardRow> Standings(GroupId group, out WeekKey? asOf)
    {
        var row = db.QueryFirst("SELECT week, rows::text FROM standings WHERE group_id = $1", r => new { Week = r.Week(0), Rows = r.GetString(1) }, group.Value);
        asOf = row?.Week;
        return row is null ? [] : (JsonSerializer.Deserialize<List<RowJson>>(row.Rows) ?? []).Select(r => new LeaderboardRow(r.member, r.current, r.longest, r.total)).ToList();
    }

    public void Correct(StreakCorrection correction, LedgerEntry replacement, MemberStreak replayed, IReadOnlyList<LeaderboardRow> standings) => db.InTransaction(session => session.ExecuteBatch(
    [
        (UpsertLedger, LedgerValues(replacement)),
        (UpsertStreak, StreakValues(replayed)),
        // The rows change; the week they are as of stays the last close's.
        ("INSERT INTO standings (group_id, week, rows) VALUES ($1, $2, $3) ON CONFLICT (group_id) DO UPDATE SET rows = excluded.rows",
            [correction.Group.Value, correction.Week.ToString(), Rows(standings)]),
        ("INSERT INTO streak_audit (group_id, member, week, before, after, reason, corrected_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [correction.Group.Value, correction.Member, correction.Week.ToString(), correction.Before?.ToString(), correction.After.ToString(), correction.Reason, correction.CorrectedBy, correction.At]),
    ]));

    public IReadOnlyList<StreakCorrection> Audit(GroupId group, int count) => db.Query(
        "SELECT member, week, before, after, reason, corrected_by, at FROM streak_audit WHERE group_id = $1 ORDER BY at DESC, audit_id DESC LIMIT $2",
        r => new StreakCorrection(group, r.GetString(0), r.Week(1), r.IsDBNull(2) ? null : r.Enum<WeekResult>(2), r.Enum<WeekResult>(3), r.GetString(4), r.GetString(5), r.Instant(6)),
        group.Value, count);

    Digest? IDigestStore.Find(GroupId group, WeekKey week) =>
        db.QueryFirst($"SELECT {DigestColumns} FROM digests WHERE group_id = $1 AND week = $2", ReadDigest, group.Value, week.ToString());

    public Digest? Latest(GroupId group) =>
        db.QueryFirst($"SELECT {DigestColumns} FROM digests WHERE group_id = $1 ORDER BY week COLLATE \"C\" DESC LIMIT 1", ReadDigest, group.Value);

    private static object?[] LedgerValues(LedgerEntry e) =>
        [e.Group.Value, e.Member, e.Week.ToString(), e.Outcome.ToString(), e.Reason, e.RecordedAt];

    private static object?[] StreakValues(MemberStreak s) =>
        [s.Group.Value, s.Member, s.Current, s.Longest, s.TotalKept, s.Freezes, s.KeptTowardFreeze, s.LastWeek?.ToString()];

    private static Jsonb Rows(IEnumerable<LeaderboardRow> rows) =>
        new(JsonSerializer.Serialize(rows.Select(r => new RowJson(r.Member, r.Current, r.Longest, r.TotalKept))));

    private static LedgerEntry ReadEntry(NpgsqlDataReader r) =>
        new(new GroupId(r.GetString(0)), r.GetString(1), r.Week(2), r.Enum<WeekResult>(3), r.GetString(4), r.Instant(5));

    private static Digest ReadDigest(NpgsqlDataReader r) => new(
        new GroupId(r.GetString(0)), r.Week(1), r.GetInt32(2), r.GetString(3),
        (JsonSerializer.Deserialize<List<SectionJson>>(r.GetString(4)) ?? []).Select(s => new DigestSection(s.heading, s.lines)).ToList(),
        r.Instant(5));

    // The stored shapes: the LiteDB documents' field names.
#pragma warning disable IDE1006, CA1812 // JSON field names; instantiated by the serializer
    private sealed record RowJson(string member, int current, int longest, int total);

    private sealed record SectionJson(string heading, List<string> lines);
#pragma warning restore IDE1006, CA1812
}

/// <summary>The finished readings of a group from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), by time.</summary>
internal sealed record FinishedWindow(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReadingProgress> Rows);
