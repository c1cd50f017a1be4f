using LiteDB;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Follows (<c>_id</c> = group|owner|kind|key) and their matches (<c>_id</c> = group|owner|paper), so a repeat is a
/// key clash that changes nothing.
/// </summary>
public sealed class LiteFollowStore(ReadingBotDatabase db) : IFollowStore
{
    public const string FollowsCollection = "follows";
    public const string MatchesCollection = "followMatches";

    private ILiteCollection<BsonDocument> Follows => db.Database.GetCollection(FollowsCollection);

    private ILiteCollection<BsonDocument> MatchDocuments => db.Database.GetCollection(MatchesCollection);

    public bool Add(Follow follow)
    {
        var id = FollowId(follow.Group, follow.Owner, follow.Kind, follow.Key);
        return db.InTransaction(() =>
        {
            if (Follows.Exists(Query.EQ("_id", id)))
            {
                return false;
            }

            Follows.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["group"] = follow.Group.Value,
                ["groupOwner"] = Documents.MemberId(follow.Group, follow.Owner),
                ["owner"] = follow.Owner,
                ["kind"] = follow.Kind.ToString(),
                ["key"] = follow.Key,
                ["text"] = follow.Text,
                ["addedBy"] = follow.AddedBy,
                ["at"] = Documents.Instant(follow.At),
            });
            return true;
        });
    }

    public bool Remove(GroupId group, string owner, FollowKind kind, string key) => Follows.Delete(FollowId(group, owner, kind, key));

    public IReadOnlyList<Follow> ForOwner(GroupId group, string owner) =>
        Follows.Find(Query.EQ("groupOwner", Documents.MemberId(group, owner))).Select(ToFollow).OrderBy(f => f.At).ThenBy(f => f.Key, StringComparer.Ordinal).ToList();

    public int CountForGroup(GroupId group) => Follows.Count(Query.EQ("group", group.Value));

    public IReadOnlyList<Follow> All() => Follows.FindAll().Select(ToFollow).ToList();

    public bool AddMatch(FollowMatch match)
    {
        var id = $"{match.Group.Value}|{match.Owner}|{match.PaperKey}";
        return db.InTransaction(() =>
        {
            if (MatchDocuments.Exists(Query.EQ("_id", id)))
            {
                return false;
            }

            MatchDocuments.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["group"] = match.Group.Value,
                ["groupOwner"] = Documents.MemberId(match.Group, match.Owner),
                ["owner"] = match.Owner,
                ["paper"] = match.PaperKey,
                ["title"] = match.Title,
                ["url"] = match.Url,
                ["arxivId"] = match.ArxivId is null ? BsonValue.Null : match.ArxivId,
                ["why"] = match.Why,
                ["foundAt"] = Documents.Instant(match.FoundAt),
            });
            return true;
        });
    }

    public IReadOnlyList<FollowMatch> Matches(GroupId group, string owner, DateTimeOffset since) =>
        MatchDocuments.Find(Query.EQ("groupOwner", Documents.MemberId(group, owner)))
            .Select(d => new FollowMatch(group, d["owner"].AsString, d["paper"].AsString, d["title"].AsString, d["url"].AsString,
                d["arxivId"].IsNull ? null : d["arxivId"].AsString, d["why"].AsString, Documents.ReadInstant(d["foundAt"])))
            .Where(m => m.FoundAt >= since)
            .OrderByDescending(m => m.FoundAt).ThenBy(m => m.PaperKey, StringComparer.Ordinal)
            .ToList();

    private static string FollowId(GroupId group, string owner, FollowKind kind, string key) => $"{group.Value}|{owner}|{kind}|{key}";

    private static Follow ToFollow(BsonDocument d) =>
        new(new GroupId(d["group"].AsString), d["owner"].AsString, Enum.Parse<FollowKind>(d["kind"].AsString), d["key"].AsString, d["text"].AsString,
            d["addedBy"].AsString, Documents.ReadInstant(d["at"]));
}
