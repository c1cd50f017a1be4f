using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// The metadata port the bot uses: routes each reference by its source (arXiv, Crossref, OpenReview, page meta
/// tags), batches arXiv ids, and turns any unexpected failure into Unavailable so the caller keeps the paper pending.
/// </summary>
public sealed class CompositeMetadataSource(ArxivClient arxiv, CrossrefClient crossref, OpenReviewClient openReview, PageMetadataClient pages)
    : IPaperMetadataSource, IPaperBatchMetadataSource
{
    public async Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        try
        {
            return reference.Source switch
            {
                PaperSource.Arxiv => await arxiv.FetchAsync(reference.Id, cancellationToken),
                PaperSource.Doi => await crossref.FetchAsync(reference.Id, cancellationToken),
                PaperSource.OpenReview => await openReview.FetchAsync(reference.Id, cancellationToken),
                _ => await pages.FetchAsync(reference.Id, cancellationToken),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new MetadataResult.Unavailable("the source gave an answer we could not read");
        }
    }

    public async Task<IReadOnlyDictionary<string, MetadataResult>> FetchManyAsync(IReadOnlyList<PaperRef> references, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, MetadataResult>(StringComparer.Ordinal);
        var arxivRefs = references.Where(r => r.Source == PaperSource.Arxiv).DistinctBy(r => r.Key).ToList();
        if (arxivRefs.Count > 0)
        {
            IReadOnlyDictionary<string, MetadataResult> byId;
            try
            {
                byId = await arxiv.FetchManyAsync(arxivRefs.Select(r => r.Id).ToList(), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                byId = arxivRefs.ToDictionary(r => r.Id, _ => (MetadataResult)new MetadataResult.Unavailable("arXiv gave an answer we could not read"));
            }

            foreach (var r in arxivRefs)
            {
                results[r.Key] = byId[r.Id];
            }
        }

        // Other sources are different hosts with no shared limit: a few at a time, so a long reading list finishes.
        var others = references.Where(r => r.Source != PaperSource.Arxiv).DistinctBy(r => r.Key).ToList();
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, MetadataResult>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(others, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (r, ct) =>
            answers[r.Key] = await FetchAsync(r, ct));
        foreach (var (key, answer) in answers)
        {
            results[key] = answer;
        }

        return results;
    }
}
