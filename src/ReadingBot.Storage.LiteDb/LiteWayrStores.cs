using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb;

public sealed class LiteWayrStore(ReadingBotDatabase db) : IWayrStore
{
    private ILiteCollection<BsonDocument> Weeks => db.Database.GetCollection(Collections.WayrWeeks);
    private ILiteCollection<BsonDocument> PostDocs => db.Database.GetCollection(Collections.WayrPosts);

    public WayrWeek? FindWeek(GroupId group, WeekKey week) => Weeks.FindById($"{group.Value}|{week}") is { } d ? ToWeek(d) : null;

    public WayrWeek EnsureWeek(GroupId group, WeekKey week) => db.InTransaction(() =>
    {
        if (FindWeek(group, week) is { } existing)
        {
            return existing;
        }

        // The group's own counter: one more than the highest number it has used.
        var number = Weeks.Find(Where.Equal("group", group.Value)).Select(d => d["number"].AsInt32).DefaultIfEmpty(0).Max() + 1;
        var created = new WayrWeek { Group = group, Week = week, Number = number };
        Weeks.Insert(FromWeek(created));
        return created;
    });

    public void SaveWeek(WayrWeek week) => Weeks.Upsert(FromWeek(week));

    public IReadOnlyList<WayrWeek> ClosedWeeks(GroupId group, int count) =>
        Weeks.Find(Where.Equal("group", group.Value)).Select(ToWeek).Where(w => w.Closed).OrderByDescending(w => w.Week).Take(count).ToList();

    public WayrPost? AddPost(WayrPost post) => db.InTransaction(() =>
    {
        if (FindWeek(post.Group, post.Week) is { Closed: true })
        {
            return null;
        }

        var number = PostDocs.Find(Where.Equal("groupWeek", $"{post.Group.Value}|{post.Week}")).Select(d => d["number"].AsInt32).DefaultIfEmpty(0).Max() + 1;
        var numbered = post with { Number = number };
        PostDocs.Insert(FromPost(numbered));
        return numbered;
    });

    public void SavePost(WayrPost post) => PostDocs.Upsert(FromPost(post));

    public bool DeletePost(GroupId group, WeekKey week, int number) => PostDocs.Delete($"{group.Value}|{week}|{number}");

    public IReadOnlyList<WayrPost> Posts(GroupId group, WeekKey week) =>
        PostDocs.Find(Where.Equal("groupWeek", $"{group.Value}|{week}")).Select(ToPost).OrderBy(p => p.Number).ToList();

    public IReadOnlyList<WayrPost> AllPosts(GroupId group) =>
        PostDocs.Find(Where.Equal("group", group.Value)).Select(ToPost).OrderBy(p => p.At).ToList();

    // "group|2026-W48" keys sort in week order (years and weeks are zero-padded), so a range of weeks is one index range.
    public IReadOnlyList<WayrPost> PostsBetween(GroupId group, WeekKey from, WeekKey to) =>
        PostDocs.Find(Where.Between("groupWeek", $"{group.Value}|{from}", $"{group.Value}|{to}")).Select(ToPost).OrderBy(p => p.At).ToList();

    public IReadOnlyList<WayrPost> PostsForPaper(GroupId group, string paperKey) =>
        PostDocs.Find(Where.Equal("groupPaper", $"{group.Value}|{paperKey}")).Select(ToPost).OrderBy(p => p.At).ToList();

    private static BsonDocument FromWeek(WayrWeek w) => new()
    {
        ["_id"] = $"{w.Group.Value}|{w.Week}",
        ["group"] = w.Group.Value,
        ["week"] = WeeklyDocuments.Week(w.Week),
        ["number"] = w.Number,
        ["closed"] = w.Closed,
        ["channel"] = Documents.Optional(w.ChannelId),
        ["thread"] = Documents.Optional(w.ThreadId),
        ["closedAt"] = Documents.Instant(w.ClosedAt),
    };

    private static WayrWeek ToWeek(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        Week = WeeklyDocuments.ReadWeek(d["week"]),
        Number = d["number"].AsInt32,
        Closed = d["closed"].AsBoolean,
        ChannelId = Documents.ReadOptionalString(d["channel"]),
        ThreadId = Documents.ReadOptionalString(d["thread"]),
        ClosedAt = Documents.ReadOptionalInstant(d["closedAt"]),
    };

    private static BsonDocument FromPost(WayrPost p) => new()
    {
        ["_id"] = $"{p.Group.Value}|{p.Week}|{p.Number}",
        ["group"] = p.Group.Value,
        ["groupWeek"] = $"{p.Group.Value}|{p.Week}",
        ["groupPaper"] = p.PaperKey is null ? BsonValue.Null : $"{p.Group.Value}|{p.PaperKey}",
        ["week"] = WeeklyDocuments.Week(p.Week),
        ["number"] = p.Number,
        ["author"] = p.Author,
        ["paper"] = Documents.Optional(p.PaperKey),
        ["status"] = p.Status.ToString(),
        ["note"] = p.Note,
        ["at"] = Documents.Instant(p.At),
        ["editedAt"] = Documents.Instant(p.EditedAt),
    };

    private static WayrPost ToPost(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        Week = WeeklyDocuments.ReadWeek(d["week"]),
        Number = d["number"].AsInt32,
        Author = d["author"].AsString,
        PaperKey = Documents.ReadOptionalString(d["paper"]),
        Status = Enum.Parse<ReadingStatus>(d["status"].AsString),
        Note = d["note"].AsString,
        At = Documents.ReadInstant(d["at"]),
        EditedAt = Documents.ReadOptionalInstant(d["editedAt"]),
    };
}

public sealed class LiteProgressStore(ReadingBotDatabase db) : IProgressStore
{
    private ILiteCollection<BsonDocument> Progress => db.Database.GetCollection(Collections.Progress);

    /// <summary>The index of finished readings by group and time: <c>group|yyyyMMddHHmmssfff</c> (UTC) sorts in time order.</summary>
    public const string FinishedIndex = "groupDone";

    public void Save(ReadingProgress progress)
    {
        var document = new BsonDocument
        {
            ["_id"] = $"{progress.Group.Value}|{progress.Member}|{progress.PaperKey}",
            ["group"] = progress.Group.Value,
            ["groupMember"] = $"{progress.Group.Value}|{progress.Member}",
            ["groupPaper"] = $"{progress.Group.Value}|{progress.PaperKey}",
            ["member"] = progress.Member,
            ["paper"] = progress.PaperKey,
            ["pass"] = progress.Pass.ToString(),
            ["at"] = Documents.Instant(progress.At),
        };
        MarkFinished(document);
        Progress.Upsert(document);
    }

    public IReadOnlyList<ReadingProgress> ForMember(GroupId group, string member) =>
        Progress.Find(Where.Equal("groupMember", $"{group.Value}|{member}")).Select(ToProgress).ToList();

    public IReadOnlyList<ReadingProgress> ForPaper(GroupId group, string paperKey) =>
        Progress.Find(Where.Equal("groupPaper", $"{group.Value}|{paperKey}")).Select(ToProgress).ToList();

    // One index range, so a chart of recent weeks does not read years of reading records.
    public IReadOnlyList<ReadingProgress> FinishedBetween(GroupId group, DateTimeOffset from, DateTimeOffset to) =>
        Progress.Find(Where.Between(FinishedIndex, FinishedKey(group.Value, from), FinishedKey(group.Value, to)))
            .Select(ToProgress).Where(p => p.Pass == ReadingPass.Done && p.At >= from && p.At < to).ToList();

    public IReadOnlyList<ReadingProgress> ForGroup(GroupId group) =>
        Progress.Find(Where.Equal("group", group.Value)).Select(ToProgress).ToList();

    /// <summary>Gives a finished reading its <see cref="FinishedIndex"/> key (other passes have none, so the index holds only finished ones).</summary>
    internal static void MarkFinished(BsonDocument document)
    {
        document.Remove(FinishedIndex);
        if (document["pass"].AsString == nameof(ReadingPass.Done))
        {
            document[FinishedIndex] = FinishedKey(document["group"].AsString, Documents.ReadInstant(document["at"]));
        }
    }

    private static string FinishedKey(string group, DateTimeOffset at) =>
        $"{group}|{at.UtcDateTime.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture)}";

    private static ReadingProgress ToProgress(BsonDocument d) => new(
        new GroupId(d["group"].AsString), d["member"].AsString, d["paper"].AsString, Enum.Parse<ReadingPass>(d["pass"].AsString), Documents.ReadInstant(d["at"]));
}

public sealed class LiteStreakStore(ReadingBotDatabase db) : IStreakStore, IDigestStore
{
    private ILiteCollection<BsonDocument> LedgerDocs => db.Database.GetCollection(Collections.Ledger);
    private ILiteCollection<BsonDocument> Streaks => db.Database.GetCollection(Collections.Streaks);
    private ILiteCollection<BsonDocument> StandingDocs => db.Database.GetCollection(Collections.Standings);
    private ILiteCollection<BsonDocument> Audits => db.Database.GetCollection(Collections.StreakAudit);
    private ILiteCollection<BsonDocument> Digests => db.Database.GetCollection(Collections.Digests);
    private ILiteCollection<BsonDocument> Weeks => db.Database.GetCollection(Collections.WayrWeeks);

    public bool CloseWeek(WeekClose close)
    {
        var closed = db.InTransaction(() =>
        {
            var id = $"{close.Week.Group.Value}|{close.Week.Week}";
            if (Weeks.FindById(id) is { } existing && existing["closed"].AsBoolean)
            {
                return false;
            }

            foreach (var entry in close.Entries)
            {
                // Keyed by group, member and week: a close replayed after a crash overwrites, never duplicates.
                LedgerDocs.Upsert(FromEntry(entry));
            }

            foreach (var streak in close.Streaks)
            {
                Streaks.Upsert(FromStreak(streak));
            }

            StandingDocs.Upsert(new BsonDocument
            {
                ["_id"] = close.Week.Group.Value,
                ["group"] = close.Week.Group.Value,
                ["week"] = WeeklyDocuments.Week(close.Week.Week),
                ["rows"] = new BsonArray(close.Standings.Select(r => new BsonDocument { ["member"] = r.Member, ["current"] = r.Current, ["longest"] = r.Longest, ["total"] = r.TotalKept })),
            });
            Digests.Upsert(FromDigest(close.Digest));
            Weeks.Upsert(new BsonDocument
            {
                ["_id"] = id,
                ["group"] = close.Week.Group.Value,
                ["week"] = WeeklyDocuments.Week(close.Week.Week),
                ["number"] = close.Week.Number,
                ["closed"] = true,
                ["channel"] = Documents.Optional(close.Week.ChannelId),
                ["thread"] = Documents.Optional(close.Week.ThreadId),
                ["closedAt"] = Documents.Instant(close.Week.ClosedAt),
            });
            return true;
        });
        if (closed)
        {
            // Streaks are what members care about most: make the close durable now, not at the next checkpoint.
            db.Checkpoint();
        }

        return closed;
    }

    public MemberStreak? Find(GroupId group, string member) =>
        Streaks.FindById($"{group.Value}|{member}") is { } d ? ToStreak(d) : null;

    public IReadOnlyList<LedgerEntry> Ledger(GroupId group, string member) =>
        LedgerDocs.Find(Where.Equal("groupMember", $"{group.Value}|{member}")).Select(ToEntry).OrderBy(e => e.Week).ToList();

    public IReadOnlyList<LedgerEntry> LedgerForWeek(GroupId group, WeekKey week) =>
        LedgerDocs.Find(Where.Equal("groupWeek", $"{group.Value}|{week}")).Select(ToEntry).ToList();

    public IReadOnlyList<LeaderboardRow> Standings(GroupId group, out WeekKey? asOf)
    {
        var d = StandingDocs.FindById(group.Value);
        asOf = d is null ? null : WeeklyDocuments.ReadWeek(d["week"]);
        return d is null ? [] : d["rows"].AsArray.Select(r => new LeaderboardRow(r["member"].AsString, r["current"].AsInt32, r["longest"].AsInt32, r["total"].AsInt32)).ToList();
    }

    public void Correct(StreakCorrection correction, LedgerEntry replacement, MemberStreak replayed, IReadOnlyList<LeaderboardRow> standings) => db.InTransaction(() =>
    {
        LedgerDocs.Upsert(FromEntry(replacement));
        Streaks.Upsert(FromStreak(replayed));
        var asOf = StandingDocs.FindById(correction.Group.Value)?["week"] ?? WeeklyDocuments.Week(correction.Week);
        StandingDocs.Upsert(new BsonDocument
        {
            ["_id"] = correction.Group.Value,
            ["group"] = correction.Group.Value,
            ["week"] = asOf,
            ["rows"] = new BsonArray(standings.Select(r => new BsonDocument { ["member"] = r.Member, ["current"] = r.Current, ["longest"] = r.Longest, ["total"] = r.TotalKept })),
        });
        Audits.Insert(new BsonDocument
        {
            ["_id"] = ObjectId.NewObjectId(),
            ["group"] = correction.Group.Value,
            ["member"] = correction.Member,
            ["week"] = WeeklyDocuments.Week(correction.Week),
            ["before"] = correction.Before?.ToString() ?? (BsonValue)BsonValue.Null,
            ["after"] = correction.After.ToString(),
            ["reason"] = correction.Reason,
            ["by"] = correction.CorrectedBy,
            ["at"] = Documents.Instant(correction.At),
        });
        return true;
    });

    public IReadOnlyList<StreakCorrection> Audit(GroupId group, int count) =>
        Audits.Find(Where.Equal("group", group.Value)).Select(d => new StreakCorrection(
                group, d["member"].AsString, WeeklyDocuments.ReadWeek(d["week"]),
                d["before"].IsNull ? null : Enum.Parse<WeekResult>(d["before"].AsString), Enum.Parse<WeekResult>(d["after"].AsString),
                d["reason"].AsString, d["by"].AsString, Documents.ReadInstant(d["at"])))
            .OrderByDescending(c => c.At).Take(count).ToList();

    Digest? IDigestStore.Find(GroupId group, WeekKey week) =>
        Digests.FindById($"{group.Value}|{week}") is { } d ? ToDigest(d) : null;

    public Digest? Latest(GroupId group) =>
        Digests.Find(Where.Equal("group", group.Value)).Select(ToDigest).OrderByDescending(d => d.Week).FirstOrDefault();

    private static BsonDocument FromEntry(LedgerEntry e) => new()
    {
        ["_id"] = $"{e.Group.Value}|{e.Member}|{e.Week}",
        ["group"] = e.Group.Value,
        ["groupMember"] = $"{e.Group.Value}|{e.Member}",
        ["groupWeek"] = $"{e.Group.Value}|{e.Week}",
        ["member"] = e.Member,
        ["week"] = WeeklyDocuments.Week(e.Week),
        ["result"] = e.Outcome.ToString(),
        ["reason"] = e.Reason,
        ["at"] = Documents.Instant(e.RecordedAt),
    };

    private static LedgerEntry ToEntry(BsonDocument d) => new(
        new GroupId(d["group"].AsString), d["member"].AsString, WeeklyDocuments.ReadWeek(d["week"]),
        Enum.Parse<WeekResult>(d["result"].AsString), d["reason"].AsString, Documents.ReadInstant(d["at"]));

    private static BsonDocument FromStreak(MemberStreak s) => new()
    {
        ["_id"] = $"{s.Group.Value}|{s.Member}",
        ["group"] = s.Group.Value,
        ["member"] = s.Member,
        ["current"] = s.Current,
        ["longest"] = s.Longest,
        ["total"] = s.TotalKept,
        ["freezes"] = s.Freezes,
        ["toward"] = s.KeptTowardFreeze,
        ["lastWeek"] = s.LastWeek is { } w ? WeeklyDocuments.Week(w) : BsonValue.Null,
    };

    private static MemberStreak ToStreak(BsonDocument d) => new(new GroupId(d["group"].AsString), d["member"].AsString)
    {
        Current = d["current"].AsInt32,
        Longest = d["longest"].AsInt32,
        TotalKept = d["total"].AsInt32,
        Freezes = d["freezes"].AsInt32,
        KeptTowardFreeze = d["toward"].AsInt32,
        LastWeek = d["lastWeek"].IsNull ? null : WeeklyDocuments.ReadWeek(d["lastWeek"]),
    };

    private static BsonDocument FromDigest(Digest g) => new()
    {
        ["_id"] = $"{g.Group.Value}|{g.Week}",
        ["group"] = g.Group.Value,
        ["week"] = WeeklyDocuments.Week(g.Week),
        ["number"] = g.Number,
        ["title"] = g.Title,
        ["sections"] = new BsonArray(g.Sections.Select(s => new BsonDocument { ["heading"] = s.Heading, ["lines"] = Documents.Strings(s.Lines) })),
        ["createdAt"] = Documents.Instant(g.CreatedAt),
    };

    private static Digest ToDigest(BsonDocument d) => new(
        new GroupId(d["group"].AsString), WeeklyDocuments.ReadWeek(d["week"]), d["number"].AsInt32, d["title"].AsString,
        d["sections"].AsArray.Select(s => new DigestSection(s["heading"].AsString, Documents.ReadStrings(s["lines"]))).ToList(),
        Documents.ReadInstant(d["createdAt"]));
}
