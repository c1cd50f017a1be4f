using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Members' dislikes: one small document per group, member and paper (<c>_id</c> = group|member|paper).</summary>
public sealed class LiteDislikeStore(ReadingBotDatabase db) : IDislikeStore
{
    public const string Dislikes = "dislikes";

    private ILiteCollection<BsonDocument> Collection => db.Database.GetCollection(Dislikes);

    public bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at) => MemberPaperMarks.Toggle(db, Dislikes, group, userId, paperKey, at);

    public IReadOnlyList<string> ForMember(GroupId group, string userId) =>
        Collection.Find(Where.Equal("groupMember", Documents.MemberId(group, userId))).OrderBy(d => d["at"].AsDateTime).Select(d => d["paper"].AsString).ToList();
}
