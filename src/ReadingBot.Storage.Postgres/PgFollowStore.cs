using Npgsql;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.Postgres;

/// <summary>Follows and their matches; a repeat is a primary-key conflict that inserts nothing.</summary>
public sealed class PgFollowStore(PostgresDatabase db) : IFollowStore
{
    private const string FollowColumns = "group_id, owner, kind, follow_key, text, added_by, at";

    public bool Add(Follow follow) => db.Execute(
        $"INSERT INTO follows ({FollowColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        follow.Group.Value, follow.Owner, follow.Kind.ToString(), follow.Key, follow.Text, follow.AddedBy, follow.At) == 1;

    public bool Remove(GroupId group, string owner, FollowKind kind, string key) =>
        db.Execute("DELETE FROM follows WHERE group_id = $1 AND owner = $2 AND kind = $3 AND follow_key = $4", group.Value, owner, kind.ToString(), key) == 1;

    public IReadOnlyList<Follow> ForOwner(GroupId group, string owner) =>
        db.Query($"SELECT {FollowColumns} FROM follows WHERE group_id = $1 AND owner = $2 ORDER BY at, follow_key", ReadFollow, group.Value, owner);

    public int CountForGroup(GroupId group) =>
        db.Query("SELECT count(*)::int FROM follows WHERE group_id = $1", r => r.GetInt32(0), group.Value)[0];

    public IReadOnlyList<Follow> All() => db.Query($"SELECT {FollowColumns} FROM follows ORDER BY group_id, owner, at", ReadFollow);

    public bool AddMatch(FollowMatch match) => db.Execute(
        """
        INSERT INTO follow_matches (group_id, owner, paper_key, title, url, arxiv_id, why, found_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT DO NOTHING
        """,
        match.Group.Value, match.Owner, match.PaperKey, match.Title, match.Url, match.ArxivId, match.Why, match.FoundAt) == 1;

    public IReadOnlyList<FollowMatch> Matches(GroupId group, string owner, DateTimeOffset since) => db.Query(
        """
        SELECT owner, paper_key, title, url, arxiv_id, why, found_at FROM follow_matches
        WHERE group_id = $1 AND owner = $2 AND found_at >= $3 ORDER BY found_at DESC, paper_key
        """,
        r => new FollowMatch(group, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.OptionalString(4), r.GetString(5), r.Instant(6)),
        group.Value, owner, since);

    private static Follow ReadFollow(NpgsqlDataReader r) =>
        new(new GroupId(r.GetString(0)), r.GetString(1), r.Enum<FollowKind>(2), r.GetString(3), r.GetString(4), r.GetString(5), r.Instant(6));
}
