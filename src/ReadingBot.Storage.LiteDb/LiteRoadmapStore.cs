using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Roadmaps;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Each group's imported roadmap (one document, <c>_id</c> = group) and members' progress on it.</summary>
public sealed class LiteRoadmapStore(ReadingBotDatabase db) : IRoadmapStore
{
    public const string Roadmaps = "roadmaps";
    public const string Progress = "roadmapProgress";

    private ILiteCollection<BsonDocument> RoadmapCollection => db.Database.GetCollection(Roadmaps);
    private ILiteCollection<BsonDocument> ProgressCollection => db.Database.GetCollection(Progress);

    public Roadmap? Find(GroupId group) => RoadmapCollection.FindById(group.Value) is { } d ? ToRoadmap(d) : null;

    public void Save(Roadmap roadmap) => RoadmapCollection.Upsert(new BsonDocument
    {
        ["_id"] = roadmap.Group.Value,
        ["group"] = roadmap.Group.Value,
        ["title"] = roadmap.Title,
        ["source"] = roadmap.Source,
        ["importedAt"] = Documents.Instant(roadmap.ImportedAt),
        ["importedBy"] = Documents.Optional(roadmap.ImportedBy),
        ["sections"] = new BsonArray(roadmap.Sections.Select(s => (BsonValue)new BsonDocument
        {
            ["title"] = s.Title,
            ["items"] = new BsonArray(s.Items.Select(i => (BsonValue)new BsonDocument
            {
                ["paper"] = i.PaperKey,
                ["title"] = i.Title,
                ["note"] = Documents.Optional(i.Note),
            })),
        })),
    });

    public RoadmapProgress? FindProgress(GroupId group, string memberId) =>
        ProgressCollection.FindById($"{group.Value}|{memberId}") is { } d
            ? new RoadmapProgress { Group = group, MemberId = memberId, Done = Documents.ReadStrings(d["done"]), UpdatedAt = Documents.ReadInstant(d["updatedAt"]) }
            : null;

    public void SaveProgress(RoadmapProgress progress) => ProgressCollection.Upsert(new BsonDocument
    {
        ["_id"] = $"{progress.Group.Value}|{progress.MemberId}",
        ["group"] = progress.Group.Value,
        ["member"] = progress.MemberId,
        ["done"] = Documents.Strings(progress.Done),
        ["updatedAt"] = Documents.Instant(progress.UpdatedAt),
    });

    private static Roadmap ToRoadmap(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        Title = d["title"].AsString,
        Source = d["source"].AsString,
        ImportedAt = Documents.ReadOptionalInstant(d["importedAt"]),
        ImportedBy = Documents.ReadOptionalString(d["importedBy"]),
        Sections = d["sections"].AsArray.Select(s => new RoadmapSection(
            s["title"].AsString,
            s["items"].AsArray.Select(i => new RoadmapItem(i["paper"].AsString, i["title"].AsString, Documents.ReadOptionalString(i["note"]))).ToList())).ToList(),
    };
}
