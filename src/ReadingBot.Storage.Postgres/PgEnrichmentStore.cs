using Npgsql;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.Postgres;

/// <summary>Semantic Scholar's facts about the shared paper records, one row per paper key.</summary>
public sealed class PgEnrichmentStore(PostgresDatabase db) : IEnrichmentStore
{
    public PaperEnrichment? Find(string paperKey) => db.QueryFirst(
        "SELECT paper_key, read_at, found, tldr, citations, influential, venue, open_access_pdf FROM enrichments WHERE paper_key = $1", Read, paperKey);

    public void Save(PaperEnrichment enrichment) => db.Execute(
        """
        INSERT INTO enrichments (paper_key, read_at, found, tldr, citations, influential, venue, open_access_pdf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (paper_key) DO UPDATE SET read_at = excluded.read_at, found = excluded.found, tldr = excluded.tldr, citations = excluded.citations,
            influential = excluded.influential, venue = excluded.venue, open_access_pdf = excluded.open_access_pdf
        """,
        enrichment.PaperKey, enrichment.ReadAt, enrichment.Found, enrichment.Tldr, enrichment.Citations, enrichment.InfluentialCitations, enrichment.Venue, enrichment.OpenAccessPdf);

    public IReadOnlyList<Paper> Stale(DateTimeOffset readBefore, int limit) => db.Query(
        $"""
        SELECT {string.Join(", ", PgPaperStore.Columns.Split(", ").Select(c => "p." + c))} FROM papers p LEFT JOIN enrichments e ON e.paper_key = p.paper_key
        WHERE (p.arxiv_id IS NOT NULL OR p.doi IS NOT NULL) AND (e.paper_key IS NULL OR e.read_at < $1)
        ORDER BY e.read_at NULLS FIRST, p.paper_key LIMIT $2
        """,
        PgPaperStore.Read, readBefore, limit);

    private static PaperEnrichment Read(NpgsqlDataReader r) => new(r.GetString(0), r.Instant(1), r.GetBoolean(2))
    {
        Tldr = r.OptionalString(3),
        Citations = r.OptionalInt(4),
        InfluentialCitations = r.OptionalInt(5),
        Venue = r.OptionalString(6),
        OpenAccessPdf = r.OptionalString(7),
    };
}
