using Microsoft.Extensions.Logging;

namespace ReadingBot.Core.Papers;

/// <summary>
/// Fills in papers stored as pending (the source was offline when a member added them): asks the source again for
/// the ones that are due, in one batch, and backs off exponentially for those still unavailable. The host runs it
/// on a timer; tests call <see cref="RefreshDueAsync"/> or drive the timer with a fake clock.
/// </summary>
public sealed class PendingPaperRefresher(
    IPaperStore papers,
    IPaperMetadataSource metadata,
    PaperSearchIndex index,
    PaperIdentity identity,
    TimeProvider time,
    ILogger<PendingPaperRefresher> logger)
{
    /// <summary>Tries the due pending papers (at most <paramref name="limit"/>); returns how many got resolved.</summary>
    public async Task<int> RefreshDueAsync(int limit, CancellationToken cancellationToken)
    {
        var due = papers.FindDue(time.GetUtcNow(), limit);
        if (due.Count == 0)
        {
            return 0;
        }

        var references = due.Select(p => PaperRef.FromKey(p.Key)).ToList();
        var results = await MetadataSources.FetchManyAsync(metadata, references, cancellationToken);
        var resolved = 0;
        var now = time.GetUtcNow();
        foreach (var (paper, reference) in due.Zip(references))
        {
            // Read again: an add may have resolved it, or merged it into another record, while we waited.
            if (papers.Find(paper.Key) is not { } current || current.State != MetadataState.Pending || !results.TryGetValue(reference.Key, out var result))
            {
                continue;
            }

            Paper updated;
            switch (result)
            {
                case MetadataResult.Found found:
                    updated = MetadataSources.Resolved(found.Paper, reference, current, now);
                    resolved++;
                    break;
                case MetadataResult.NotFound notFound:
                    updated = current with { State = MetadataState.NotFound, LastError = notFound.Reason, NextAttemptAt = null, Attempts = current.Attempts + 1 };
                    break;
                case MetadataResult.Unavailable unavailable:
                    var attempts = current.Attempts + 1;
                    updated = current with { Attempts = attempts, LastError = unavailable.Reason, NextAttemptAt = now + MetadataSources.Backoff(attempts) };
                    break;
                default:
                    continue;
            }

            papers.Save(updated);
            if (updated.State == MetadataState.Resolved)
            {
                // The metadata may show that another record is the same paper: merge them.
                updated = identity.Reconcile(updated);
            }

            index.PaperUpdated(updated);
        }

        if (resolved > 0)
        {
            logger.LogInformation("Filled in metadata for {Resolved} of {Due} pending papers", resolved, due.Count);
        }

        return resolved;
    }
}
