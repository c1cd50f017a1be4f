using System.Text.Json;
using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;

namespace ReadingBot.Storage.Postgres;

/// <summary>The delivery log: one <c>INSERT … ON CONFLICT</c> decides, so of two processes racing on one key one wins.</summary>
public sealed class PgDeliveryLog(PostgresDatabase db) : IDeliveryLog
{
    // A key is (re)recorded when it is new or its record has expired; RETURNING names the keys that were.
    private const string Record =
        """
        INSERT INTO deliveries AS d (delivery_key, expires_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
        ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at WHERE d.expires_at <= $3
        RETURNING delivery_key
        """;

    public bool TryRecord(string key, DateTimeOffset now, DateTimeOffset expiresAt) => TryRecordAll([new DeliveryKey(key, expiresAt)], now)[0];

    /// <summary>Every key in one statement (so one commit); a key given twice is new at most once, as it would be one by one.</summary>
    public IReadOnlyList<bool> TryRecordAll(IReadOnlyList<DeliveryKey> keys, DateTimeOffset now)
    {
        var firsts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            firsts.TryAdd(keys[i].Key, i);
        }

        var distinct = firsts.Values.Select(i => keys[i]).ToList();
        var recorded = distinct.Count == 0
            ? []
            : db.Query(Record, r => r.GetString(0), distinct.Select(k => k.Key).ToArray(), distinct.Select(k => k.ExpiresAt.ToUniversalTime()).ToArray(), now).ToHashSet(StringComparer.Ordinal);
        return [.. keys.Select((k, i) => firsts[k.Key] == i && recorded.Contains(k.Key))];
    }

    public int Purge(DateTimeOffset now) => db.Execute("DELETE FROM deliveries WHERE expires_at < $1", now);
}

public sealed class PgAdapterStateStore(PostgresDatabase db) : IAdapterStateStore
{
    private const string ValueRead = "value";

    // Not kept: scheduled jobs and the adapters read a key and then act on it (a message sent, a session resumed); a
    // kept copy could miss another process's change of the last moment. GetMany, which commands use, is kept.
    public string? Get(string key) => db.QueryFirst("SELECT value FROM adapter_state WHERE state_key = $1", r => r.GetString(0), key);

    /// <summary>The kept keys from memory, the others in one read; a key that is not there is kept as not there.</summary>
    public IReadOnlyDictionary<string, string> GetMany(IReadOnlyCollection<string> keys)
    {
        var known = db.Cache.Reads.ReadMany(
            keys.Distinct().Select(k => (ReadKind.AdapterState, k)),
            missing =>
            {
                var found = db.Query("SELECT state_key, value FROM adapter_state WHERE state_key = ANY($1)", r => (Key: r.GetString(0), Value: r.GetString(1)), (object)missing.Select(k => k.Item2).ToArray())
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                return missing.Select(k => (k, QueryAnswers.Empty.With(ValueRead, new Maybe<string>(found.GetValueOrDefault(k.Item2)))));
            });
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ((_, key), answers) in known)
        {
            if (answers.Answers.TryGetValue(ValueRead, out var answer) && answer is Maybe<string> { Value: { } value })
            {
                values[key] = value;
            }
        }

        return values;
    }

    public void Set(string key, string value)
    {
        db.Execute("INSERT INTO adapter_state (state_key, value) VALUES ($1, $2) ON CONFLICT (state_key) DO UPDATE SET value = excluded.value", key, value);
        db.Forget(ReadKind.AdapterState, key);
    }

    public string GetOrAdd(string key, string value)
    {
        while (true)
        {
            // The insert returns the value it wrote; on a conflict the existing row answers. A row committed by another
            // process while this statement ran is outside its snapshot, so the next round reads it.
            var kept = db.QueryFirst(
                """
                WITH added AS (INSERT INTO adapter_state (state_key, value) VALUES ($1, $2) ON CONFLICT (state_key) DO NOTHING RETURNING value)
                SELECT value FROM added UNION ALL SELECT value FROM adapter_state WHERE state_key = $1 LIMIT 1
                """,
                r => r.GetString(0),
                key,
                value);
            if (kept is not null)
            {
                db.Forget(ReadKind.AdapterState, key);
                return kept;
            }
        }
    }
}

public sealed class PgThreadLinkStore(PostgresDatabase db) : IThreadLinkStore
{
    public void Save(ThreadLink link) => db.Execute(
        """
        INSERT INTO threads (group_id, thread_id, purpose, subject, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (group_id, thread_id) DO UPDATE SET purpose = excluded.purpose, subject = excluded.subject, created_at = excluded.created_at
        """,
        link.Group.Value, link.ThreadId, link.Purpose.ToString(), link.Subject, link.CreatedAt);

    public ThreadLink? Find(GroupId group, string threadId) => db.QueryFirst(
        "SELECT purpose, subject, created_at FROM threads WHERE group_id = $1 AND thread_id = $2",
        r => new ThreadLink(group, threadId, r.Enum<ThreadPurpose>(0), r.GetString(1), r.Instant(2)), group.Value, threadId);
}

/// <summary>Likes: one row per group, member and paper.</summary>
public sealed class PgLikeStore(PostgresDatabase db) : ILikeStore
{
    // Insert first: of two racing toggles the second waits for the first's row, finds it and removes it, so two
    // toggles always cancel out.
    public bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at)
    {
        var liked = MemberPaperMarks.Toggle(db, "likes", group, userId, paperKey, at);
        db.Forget(ReadKind.Likes, group.Value);
        return liked;
    }

    public IReadOnlyList<PaperLike> ForMember(GroupId group, string userId) => db.Read<IReadOnlyList<PaperLike>>(ReadKind.Likes, group.Value, "member:" + userId, () =>
        db.Query("SELECT member, paper_key, at FROM likes WHERE group_id = $1 AND member = $2 ORDER BY at", r => Read(group, r), group.Value, userId));

    public IReadOnlyList<PaperLike> ForGroup(GroupId group) => db.Read<IReadOnlyList<PaperLike>>(ReadKind.Likes, group.Value, "group", () =>
        db.Query("SELECT member, paper_key, at FROM likes WHERE group_id = $1 ORDER BY at", r => Read(group, r), group.Value));

    private static PaperLike Read(GroupId group, NpgsqlDataReader r) => new(group, r.GetString(0), r.GetString(1), r.Instant(2));
}

/// <summary>Members' dislikes, toggled like likes.</summary>
public sealed class PgDislikeStore(PostgresDatabase db) : IDislikeStore
{
    public bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at) => MemberPaperMarks.Toggle(db, "dislikes", group, userId, paperKey, at);

    public IReadOnlyList<string> ForMember(GroupId group, string userId) =>
        db.Query("SELECT paper_key FROM dislikes WHERE group_id = $1 AND member = $2 ORDER BY at", r => r.GetString(0), group.Value, userId);
}

/// <summary>Each group's roadmap (its sections as jsonb) and members' progress on it.</summary>
public sealed class PgRoadmapStore(PostgresDatabase db) : IRoadmapStore
{
    public Roadmap? Find(GroupId group) => db.QueryFirst(
        "SELECT title, source, imported_at, imported_by, sections::text FROM roadmaps WHERE group_id = $1",
        r => new Roadmap
        {
            Group = group,
            Title = r.GetString(0),
            Source = r.GetString(1),
            ImportedAt = r.OptionalInstant(2),
            ImportedBy = r.OptionalString(3),
            Sections = (JsonSerializer.Deserialize<List<SectionJson>>(r.GetString(4)) ?? [])
                .Select(s => new RoadmapSection(s.title, s.items.Select(i => new RoadmapItem(i.paper, i.title, i.note)).ToList())).ToList(),
        },
        group.Value);

    public void Save(Roadmap roadmap) => db.Execute(
        """
        INSERT INTO roadmaps (group_id, title, source, imported_at, imported_by, sections) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (group_id) DO UPDATE SET title = excluded.title, source = excluded.source, imported_at = excluded.imported_at,
            imported_by = excluded.imported_by, sections = excluded.sections
        """,
        roadmap.Group.Value, roadmap.Title, roadmap.Source, roadmap.ImportedAt, roadmap.ImportedBy,
        new Jsonb(JsonSerializer.Serialize(roadmap.Sections.Select(s => new SectionJson(s.Title, s.Items.Select(i => new ItemJson(i.PaperKey, i.Title, i.Note)).ToList())))));

    public RoadmapProgress? FindProgress(GroupId group, string memberId) => db.QueryFirst(
        "SELECT done, updated_at FROM roadmap_progress WHERE group_id = $1 AND member = $2",
        r => new RoadmapProgress { Group = group, MemberId = memberId, Done = r.Strings(0), UpdatedAt = r.Instant(1) }, group.Value, memberId);

    public void SaveProgress(RoadmapProgress progress) => db.Execute(
        """
        INSERT INTO roadmap_progress (group_id, member, done, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (group_id, member) DO UPDATE SET done = excluded.done, updated_at = excluded.updated_at
        """,
        progress.Group.Value, progress.MemberId, progress.Done.ToArray(), progress.UpdatedAt);

    // The stored shape: the LiteDB document's field names, so the paper merge can rename "paper" in place.
#pragma warning disable IDE1006, CA1812 // JSON field names; instantiated by the serializer
    private sealed record SectionJson(string title, List<ItemJson> items);

    private sealed record ItemJson(string paper, string title, string? note);
#pragma warning restore IDE1006, CA1812
}

/// <summary>
/// Session starts: a transaction-scoped advisory lock on the ledger serialises the count and the insert, so processes
/// racing for the last starts of the day never take more than the cap between them.
/// </summary>
public sealed class PgSessionStartLedger(PostgresDatabase db) : ISessionStartLedger
{
    public bool TryTake(string ledger, int shardId, DateTimeOffset at, int dailyCap) => db.InTransaction(session =>
    {
        session.LockFor("session_starts:" + ledger);
        // Starts older than the window never count again; dropping them here keeps the table a day long.
        session.Execute("DELETE FROM session_starts WHERE ledger_key = $1 AND started_at <= $2", ledger, at - ISessionStartLedger.Window);
        var taken = session.Query("SELECT count(*) FROM session_starts WHERE ledger_key = $1", r => r.GetInt64(0), ledger)[0];
        if (taken >= dailyCap)
        {
            return false;
        }

        session.Execute("INSERT INTO session_starts (ledger_key, started_at, shard_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", ledger, at, shardId);
        return true;
    });

    public IReadOnlyList<SessionStart> Recent(string ledger, DateTimeOffset now) => db.Query(
        "SELECT shard_id, started_at FROM session_starts WHERE ledger_key = $1 AND started_at > $2 ORDER BY started_at, shard_id",
        r => new SessionStart(r.GetInt32(0), r.Instant(1)), ledger, now - ISessionStartLedger.Window);
}

/// <summary>A member's mark on a paper (likes, dislikes: tables keyed group, member, paper), toggled.</summary>
internal static class MemberPaperMarks
{
    /// <summary>Migration 0014's function: the insert, and the delete when the row was there, in one round trip.</summary>
    public static bool Toggle(PostgresDatabase db, string table, GroupId group, string userId, string paperKey, DateTimeOffset at) =>
        db.Query("SELECT readingbot_toggle_mark($1, $2, $3, $4, $5)", r => r.GetBoolean(0), table, group.Value, userId, paperKey, at)[0];
}
