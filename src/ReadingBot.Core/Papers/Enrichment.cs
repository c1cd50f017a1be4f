using System.Globalization;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Papers;

/// <summary>
/// What Semantic Scholar says about a paper, with when it was read: its one-sentence TLDR, citation counts (they change:
/// shown with their date), the venue and an open-access PDF. <see cref="Found"/> is false when Semantic Scholar does
/// not know the paper (kept too, so it is not asked again before the next refresh).
/// </summary>
public sealed record PaperEnrichment(string PaperKey, DateTimeOffset ReadAt, bool Found)
{
    public string? Tldr { get; init; }
    public int? Citations { get; init; }
    public int? InfluentialCitations { get; init; }
    public string? Venue { get; init; }
    public string? OpenAccessPdf { get; init; }
}

/// <summary>Enrichments of the shared paper records (not group-owned: a paper's citation count is the same for all).</summary>
public interface IEnrichmentStore
{
    PaperEnrichment? Find(string paperKey);

    void Save(PaperEnrichment enrichment);

    /// <summary>
    /// Papers with an arXiv id or a DOI that have no enrichment, or one read before <paramref name="readBefore"/>:
    /// the refresh's work, never-read ones first.
    /// </summary>
    IReadOnlyList<Paper> Stale(DateTimeOffset readBefore, int limit);
}

/// <summary>A source of enrichments (Semantic Scholar's Graph API in the Papers project).</summary>
public interface IPaperEnrichmentSource
{
    /// <summary>
    /// Enrichments for the papers it could ask about (Found false for papers it does not know); never throws for
    /// network trouble: the problem is returned, with whatever was read before it.
    /// </summary>
    Task<(IReadOnlyList<PaperEnrichment> Enrichments, string? Problem)> FetchAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken);
}

/// <summary>The source used when no network source is configured: cards look as they do without one.</summary>
public sealed class NoEnrichmentSource : IPaperEnrichmentSource
{
    public Task<(IReadOnlyList<PaperEnrichment> Enrichments, string? Problem)> FetchAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken) =>
        Task.FromResult<(IReadOnlyList<PaperEnrichment>, string?)>(([], "the bot has no network sources configured"));
}

/// <summary>How an enrichment shows on a card: labelled as Semantic Scholar's, counts with their date.</summary>
public static class EnrichmentFields
{
    public static IReadOnlyList<CardField> For(PaperEnrichment? enrichment, Paper paper)
    {
        if (enrichment is not { Found: true } e)
        {
            return [];
        }

        var fields = new List<CardField>();
        if (!string.IsNullOrWhiteSpace(e.Tldr))
        {
            fields.Add(new CardField("TLDR (Semantic Scholar)", PaperCards.Excerpt(e.Tldr, 400)!));
        }

        if (e.Citations is { } citations)
        {
            var influential = e.InfluentialCitations is { } n && n > 0 ? $" ({n.ToString("N0", CultureInfo.InvariantCulture)} influential)" : "";
            fields.Add(new CardField("Citations", $"{citations.ToString("N0", CultureInfo.InvariantCulture)}{influential}, Semantic Scholar, {e.ReadAt:yyyy-MM-dd}"));
        }

        if (!string.IsNullOrWhiteSpace(e.Venue) && !string.Equals(e.Venue, paper.Venue, StringComparison.OrdinalIgnoreCase))
        {
            fields.Add(new CardField("Venue", e.Venue));
        }

        if (!string.IsNullOrWhiteSpace(e.OpenAccessPdf) && e.OpenAccessPdf != paper.PdfUrl)
        {
            fields.Add(new CardField("Open-access PDF", e.OpenAccessPdf));
        }

        return fields;
    }
}

/// <summary>Adds the Semantic Scholar fields to a paper's full card.</summary>
public sealed class EnrichmentCardFields(IEnrichmentStore store) : IPaperCardContributor
{
    public IEnumerable<CardField> Fields(GroupId group, LibraryItem item) => EnrichmentFields.For(store.Find(item.Paper.Key), item.Paper);
}

/// <summary>
/// Enriches the libraries' papers: each pass takes up to a batch of papers never enriched or last read more than
/// <see cref="RefreshAfter"/> ago (citation counts move slowly: at most weekly), asks the source, and keeps what it
/// answered. When the source is unreachable or refuses, nothing changes and the next pass tries again.
/// </summary>
public sealed class EnrichmentRefresher(IEnrichmentStore store, IPaperEnrichmentSource source, TimeProvider time, ILogger<EnrichmentRefresher> logger)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(7);

    /// <summary>Semantic Scholar's batch endpoint takes up to 500 ids.</summary>
    public const int BatchSize = 500;

    /// <summary>One pass; returns how many papers were enriched (found or not) and the problem, if any.</summary>
    public async Task<(int Saved, string? Problem)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = store.Stale(time.GetUtcNow() - RefreshAfter, BatchSize);
        if (due.Count == 0)
        {
            return (0, null);
        }

        var (enrichments, problem) = await source.FetchAsync(due, cancellationToken);
        foreach (var enrichment in enrichments)
        {
            store.Save(enrichment);
        }

        if (problem is not null)
        {
            logger.LogInformation("Paper enrichment: {Saved} of {Due} read; {Problem}", enrichments.Count, due.Count, problem);
        }

        return (enrichments.Count, problem);
    }
}
