using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Members' likes: one small document per group, member and paper (<c>_id</c> = group|member|paper).</summary>
public sealed class LiteLikeStore(ReadingBotDatabase db) : ILikeStore
{
    public const string Likes = "likes";

    private ILiteCollection<BsonDocument> Collection => db.Database.GetCollection(Likes);

    public bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at)
    {
        var id = $"{group.Value}|{userId}|{paperKey}";
        // Synchronous by design: LiteDB transactions are bound to the calling thread.
        return db.InTransaction(() =>
        {
            if (Collection.Delete(id))
            {
                return false;
            }

            Collection.Insert(new BsonDocument
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

    public IReadOnlyList<PaperLike> ForMember(GroupId group, string userId) =>
        Collection.Find(Where.Equal("groupMember", Documents.MemberId(group, userId))).Select(d => ToLike(group, d)).OrderBy(l => l.At).ToList();

    public IReadOnlyList<PaperLike> ForGroup(GroupId group) =>
        Collection.Find(Where.Equal("group", group.Value)).Select(d => ToLike(group, d)).OrderBy(l => l.At).ToList();

    private static PaperLike ToLike(GroupId group, BsonDocument d) =>
        new(group, d["member"].AsString, d["paper"].AsString, Documents.ReadInstant(d["at"]));
}
