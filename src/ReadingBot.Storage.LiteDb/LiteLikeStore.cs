using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Members' likes: one small document per group, member and paper (<c>_id</c> = group|member|paper).</summary>
public sealed class LiteLikeStore(ReadingBotDatabase db) : ILikeStore
{
    public const string Likes = "likes";

    private ILiteCollection<BsonDocument> Collection => db.Database.GetCollection(Likes);

    public bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at) => MemberPaperMarks.Toggle(db, Likes, group, userId, paperKey, at);

    public IReadOnlyList<PaperLike> ForMember(GroupId group, string userId) =>
        Collection.Find(Where.Equal("groupMember", Documents.MemberId(group, userId))).Select(d => ToLike(group, d)).OrderBy(l => l.At).ToList();

    public IReadOnlyList<PaperLike> ForGroup(GroupId group) =>
        Collection.Find(Where.Equal("group", group.Value)).Select(d => ToLike(group, d)).OrderBy(l => l.At).ToList();

    private static PaperLike ToLike(GroupId group, BsonDocument d) =>
        new(group, d["member"].AsString, d["paper"].AsString, Documents.ReadInstant(d["at"]));
}

/// <summary>
/// A member's mark on a paper (a like, a dislike): one document per group, member and paper, toggled in a transaction
/// (LiteDB transactions are bound to the calling thread, so this is synchronous).
/// </summary>
internal static class MemberPaperMarks
{
    public static bool Toggle(ReadingBotDatabase db, string collection, GroupId group, string userId, string paperKey, DateTimeOffset at)
    {
        var id = $"{group.Value}|{userId}|{paperKey}";
        var marks = db.Database.GetCollection(collection);
        return db.InTransaction(() =>
        {
            if (marks.Delete(id))
            {
                return false;
            }

            marks.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["group"] = group.Value,
                ["groupMember"] = Documents.MemberId(group, userId),
                ["member"] = userId,
                ["paper"] = paperKey,
                ["at"] = Documents.Instant(at),
            });
            return true;
        });
    }
}
