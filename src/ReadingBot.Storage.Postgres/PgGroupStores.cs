using System.Text.Json;
using Npgsql;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.Postgres;

/// <summary>
/// Groups. Every command reads its group, so <see cref="Find"/> is served from <see cref="PgReadCache"/>; other
/// processes' writes reach it by NOTIFY, this one's forget the copy when they commit.
/// </summary>
public sealed class PgGroupStore(PostgresDatabase db) : IGroupStore
{
    private const string Columns = "group_id, platform, workspace, scope, created_at, next_paper_number, settings, platform_name";

    public Group? Find(GroupId id) =>
        db.Cache.Groups.Read(id.Value, () => db.QueryFirst($"SELECT {Columns} FROM groups WHERE group_id = $1", Read, id.Value));

    public void SetPlatformName(GroupId id, string name)
    {
        db.Execute("UPDATE groups SET platform_name = $2 WHERE group_id = $1", id.Value, name);
        db.Cache.Groups.Forget(id.Value);
    }

    public Group GetOrAdd(GroupId id, Func<Group> create)
    {
        if (Find(id) is { } existing)
        {
            return existing;
        }

        var group = create();
        // Two first commands of a new group may race: the insert that loses changes nothing, and both read the winner.
        db.Execute($"INSERT INTO groups ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (group_id) DO NOTHING", Values(group));
        db.Cache.Groups.Forget(id.Value);
        return Find(id) ?? group;
    }

    /// <summary>
    /// Saves the group's settings and names. The paper counter is the library's (it moves inside the add's
    /// transaction), so a copy read before an add never winds it back.
    /// </summary>
    public void Save(Group group)
    {
        db.Execute(
            $"""
            INSERT INTO groups ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (group_id) DO UPDATE SET platform = excluded.platform, workspace = excluded.workspace, scope = excluded.scope,
                created_at = excluded.created_at, settings = excluded.settings, platform_name = excluded.platform_name,
                next_paper_number = GREATEST(groups.next_paper_number, excluded.next_paper_number)
            """,
            Values(group));
        db.Cache.Groups.Forget(group.Id.Value);
    }

    public IReadOnlyList<Group> All() => db.Query($"SELECT {Columns} FROM groups ORDER BY group_id", Read);

    private static object?[] Values(Group g) =>
        [g.Id.Value, g.Platform, g.Workspace, g.Scope, g.CreatedAt, g.NextPaperNumber, Maps.Write(g.Settings), g.PlatformName];

    private static Group Read(NpgsqlDataReader r) => new()
    {
        Id = new GroupId(r.GetString(0)),
        Platform = r.GetString(1),
        Workspace = r.GetString(2),
        Scope = r.GetString(3),
        CreatedAt = r.Instant(4),
        NextPaperNumber = r.GetInt32(5),
        Settings = Maps.Read(r.GetString(6)),
        PlatformName = r.GetString(7),
    };
}

public sealed class PgMemberStore(PostgresDatabase db) : IMemberStore
{
    private const string Columns = "group_id, user_id, display_name, joined_at, last_seen_at, settings";

    public Member? Find(GroupId group, string userId) =>
        db.Cache.Members.Read((group.Value, userId), () => db.QueryFirst($"SELECT {Columns} FROM members WHERE group_id = $1 AND user_id = $2", Read, group.Value, userId));

    public Member? FindByIdOrName(GroupId group, string idOrName)
    {
        var text = idOrName.Trim().TrimStart('@');
        // One query: the member with that id, else the earliest to join with that name (ignoring case).
        return db.QueryFirst(
            $"""
            SELECT {Columns} FROM members WHERE group_id = $1 AND (user_id = $2 OR lower(display_name) = lower($2))
            ORDER BY user_id = $2 DESC, joined_at LIMIT 1
            """,
            Read, group.Value, text);
    }

    public void Save(Member member)
    {
        db.Execute(
            $"""
            INSERT INTO members ({Columns}) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (group_id, user_id) DO UPDATE SET display_name = excluded.display_name, joined_at = excluded.joined_at,
                last_seen_at = excluded.last_seen_at, settings = excluded.settings
            """,
            member.Group.Value, member.UserId, member.DisplayName, member.JoinedAt, member.LastSeenAt, Maps.Write(member.Settings));
        db.Cache.Members.Forget((member.Group.Value, member.UserId));
    }

    public IReadOnlyList<Member> List(GroupId group) =>
        db.Query($"SELECT {Columns} FROM members WHERE group_id = $1 ORDER BY joined_at, user_id", Read, group.Value);

    private static Member Read(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        UserId = r.GetString(1),
        DisplayName = r.GetString(2),
        JoinedAt = r.Instant(3),
        LastSeenAt = r.Instant(4),
        Settings = Maps.Read(r.GetString(5)),
    };
}

public sealed class PgTenantDataStore(PostgresDatabase db) : ITenantDataStore
{
    public int RemoveWorkspace(string platform, string workspace)
    {
        var prefix = GroupAddress.WorkspacePrefix(platform, workspace);
        // starts_with, not LIKE: a workspace id with '_' or '%' must not match others.
        var removed = db.InTransaction(session => session.ExecuteBatch(
            Tables.GroupOwned.Select(t => t.Table).Append("groups")
                .Select(table => ($"DELETE FROM {table} WHERE group_id = $1 OR starts_with(group_id, $2)", new object?[] { prefix, prefix + ":" }))));
        db.Cache.Clear();
        return removed;
    }
}

/// <summary>Every row of one group, table by table, as JSON arrays under the LiteDB store's collection names.</summary>
public sealed class PgGroupDataArchive(PostgresDatabase db) : IGroupDataArchive
{
    public IReadOnlyDictionary<string, string> Collections(GroupId group)
    {
        // One statement for every table: a row of (collection, json) per table.
        var sql = string.Join("\nUNION ALL\n", Tables.GroupOwned.Prepend(new("groups", "groups")).Select((t, i) =>
            $"SELECT {i} AS i, coalesce((SELECT jsonb_agg(to_jsonb(t)) FROM {t.Table} t WHERE group_id = $1), '[]'::jsonb)::text"));
        var rows = db.Query(sql, r => (Index: r.GetInt32(0), Json: r.GetString(1)), group.Value);
        var names = Tables.GroupOwned.Prepend(new("groups", "groups")).ToList();
        return rows.ToDictionary(r => names[r.Index].Collection, r => r.Json, StringComparer.Ordinal);
    }
}

/// <summary>The group-owned tables and the LiteDB collection each corresponds to (the archive's names and the data move's).</summary>
public static class Tables
{
    public sealed record GroupTable(string Collection, string Table);

    public static IReadOnlyList<GroupTable> GroupOwned { get; } =
    [
        new("members", "members"),
        new("library", "library"),
        new("threads", "threads"),
        new("suggestions", "suggestions"),
        new("weekPlans", "week_plans"),
        new("discussion", "discussion"),
        new("presenters", "presenters"),
        new("scheduledPosts", "scheduled_posts"),
        new("wayrWeeks", "wayr_weeks"),
        new("wayrPosts", "wayr_posts"),
        new("progress", "progress"),
        new("digests", "digests"),
        new("ledger", "ledger"),
        new("streaks", "streaks"),
        new("standings", "standings"),
        new("streakAudit", "streak_audit"),
        new("likes", "likes"),
        new("dislikes", "dislikes"),
        new("rsvps", "rsvps"),
        new("roadmaps", "roadmaps"),
        new("roadmapProgress", "roadmap_progress"),
        new("follows", "follows"),
        new("followMatches", "follow_matches"),
    ];
}

/// <summary>String maps (settings) as jsonb objects.</summary>
internal static class Maps
{
    public static Jsonb Write(IReadOnlyDictionary<string, string> values) => new(JsonSerializer.Serialize(values));

    public static Dictionary<string, string> Read(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], StringComparer.Ordinal);
}
