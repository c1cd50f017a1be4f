using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb;

/// <summary>RSVPs: one small document per group, week and member (<c>_id</c> = group|week|member), so a new answer replaces the old.</summary>
public sealed class LiteRsvpStore(ReadingBotDatabase db) : IRsvpStore
{
    public const string Rsvps = "rsvps";

    private ILiteCollection<BsonDocument> Collection => db.Database.GetCollection(Rsvps);

    public void Save(Rsvp rsvp) => Collection.Upsert(new BsonDocument
    {
        ["_id"] = IdOf(rsvp.Group, rsvp.Week, rsvp.UserId),
        ["group"] = rsvp.Group.Value,
        ["groupWeek"] = GroupWeek(rsvp.Group, rsvp.Week),
        ["week"] = WeeklyDocuments.Week(rsvp.Week),
        ["member"] = rsvp.UserId,
        ["answer"] = rsvp.Answer.ToString(),
        ["at"] = Documents.Instant(rsvp.At),
    });

    public Rsvp? Find(GroupId group, WeekKey week, string userId) =>
        Collection.FindById(IdOf(group, week, userId)) is { } d ? ToRsvp(group, d) : null;

    public IReadOnlyList<Rsvp> ForWeek(GroupId group, WeekKey week) =>
        Collection.Find(Where.Equal("groupWeek", GroupWeek(group, week))).Select(d => ToRsvp(group, d))
            .OrderBy(r => r.At).ThenBy(r => r.UserId, StringComparer.Ordinal).ToList();

    private static string IdOf(GroupId group, WeekKey week, string userId) => $"{group.Value}|{week}|{userId}";

    private static string GroupWeek(GroupId group, WeekKey week) => $"{group.Value}|{week}";

    private static Rsvp ToRsvp(GroupId group, BsonDocument d) =>
        new(group, WeeklyDocuments.ReadWeek(d["week"]), d["member"].AsString, Enum.Parse<RsvpAnswer>(d["answer"].AsString), Documents.ReadInstant(d["at"]));
}
