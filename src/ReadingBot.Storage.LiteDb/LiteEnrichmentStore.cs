using LiteDB;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Semantic Scholar's facts about the shared paper records, one document per paper key.</summary>
public sealed class LiteEnrichmentStore(ReadingBotDatabase db) : IEnrichmentStore
{
    public const string Enrichments = "enrichments";

    private ILiteCollection<BsonDocument> Collection => db.Database.GetCollection(Enrichments);

    public PaperEnrichment? Find(string paperKey) => Collection.FindById(paperKey) is { } d ? Read(d) : null;

    public void Save(PaperEnrichment enrichment) => Collection.Upsert(new BsonDocument
    {
        ["_id"] = enrichment.PaperKey,
        ["readAt"] = Documents.Instant(enrichment.ReadAt),
        ["found"] = enrichment.Found,
        ["tldr"] = enrichment.Tldr,
        ["citations"] = enrichment.Citations is { } c ? new BsonValue(c) : BsonValue.Null,
        ["influential"] = enrichment.InfluentialCitations is { } n ? new BsonValue(n) : BsonValue.Null,
        ["venue"] = enrichment.Venue,
        ["openAccessPdf"] = enrichment.OpenAccessPdf,
    });

    public IReadOnlyList<Paper> Stale(DateTimeOffset readBefore, int limit)
    {
        // Read times of every enrichment (small documents), then one pass over the papers with an id Semantic Scholar
        // knows: never-read ones first, then the oldest reads.
        var readAt = Collection.FindAll().ToDictionary(d => d["_id"].AsString, d => Documents.ReadInstant(d["readAt"]), StringComparer.Ordinal);
        return db.Database.GetCollection(Collections.Papers).FindAll()
            .Where(d => !d["arxivId"].IsNull || !d["doi"].IsNull)
            .Select(d => (Paper: d, ReadAt: readAt.TryGetValue(d["_id"].AsString, out var at) ? at : (DateTimeOffset?)null))
            .Where(p => p.ReadAt is null || p.ReadAt < readBefore)
            .OrderBy(p => p.ReadAt ?? DateTimeOffset.MinValue).ThenBy(p => p.Paper["_id"].AsString, StringComparer.Ordinal)
            .Take(limit)
            .Select(p => Documents.ToPaper(p.Paper))
            .ToList();
    }

    private static PaperEnrichment Read(BsonDocument d) => new(d["_id"].AsString, Documents.ReadInstant(d["readAt"]), d["found"].AsBoolean)
    {
        Tldr = d["tldr"].IsNull ? null : d["tldr"].AsString,
        Citations = d["citations"].IsNull ? null : d["citations"].AsInt32,
        InfluentialCitations = d["influential"].IsNull ? null : d["influential"].AsInt32,
        Venue = d["venue"].IsNull ? null : d["venue"].AsString,
        OpenAccessPdf = d["openAccessPdf"].IsNull ? null : d["openAccessPdf"].AsString,
    };
}
