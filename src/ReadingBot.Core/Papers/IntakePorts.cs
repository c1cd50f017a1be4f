namespace ReadingBot.Core.Papers;

/// <summary>
/// A metadata source that can answer many references in one go (arXiv's <c>id_list</c>), so a roadmap import or
/// the background refresh sends one request for many papers instead of one each.
/// </summary>
public interface IPaperBatchMetadataSource
{
    /// <summary>Answers for every reference, keyed by <see cref="PaperRef.Key"/>. Never throws for network trouble.</summary>
    Task<IReadOnlyDictionary<string, MetadataResult>> FetchManyAsync(IReadOnlyList<PaperRef> references, CancellationToken cancellationToken);
}

/// <summary>A text document fetched from a link (a Markdown reading list), or why it could not be.</summary>
public sealed record DocumentFetch(string? Text, string? Error)
{
    public static DocumentFetch Ok(string text) => new(text, null);

    public static DocumentFetch Fail(string error) => new(null, error);
}

/// <summary>Fetches text documents members link to (roadmap imports, library imports), with the same safety rules as page scraping.</summary>
public interface IDocumentFetcher
{
    /// <summary>A Markdown or plain-text document (a reading list).</summary>
    Task<DocumentFetch> FetchTextAsync(string url, CancellationToken cancellationToken);

    /// <summary>A ReadingBot JSON export (a <c>/export json</c> file or a group's <c>library.json</c> feed), which may be larger.</summary>
    Task<DocumentFetch> FetchExportAsync(string url, CancellationToken cancellationToken);
}

/// <summary>
/// Lets an expensive action (an import that fetches a document and many papers) run in a group at most once per
/// <paramref name="period"/>.
/// </summary>
internal sealed class GroupCooldown(TimeProvider time, TimeSpan period)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Groups.GroupId, DateTimeOffset> last = new();

    /// <summary>True, noting the time, when the group may act now; false when it acted less than the period ago.</summary>
    public bool TryEnter(Groups.GroupId group)
    {
        var now = time.GetUtcNow();
        if (last.TryGetValue(group, out var at) && now - at < period)
        {
            return false;
        }

        last[group] = now;
        return true;
    }

    /// <summary>Gives back an entry whose action was refused (a bad link, a file that is not an export), so it does not count against the period.</summary>
    public void Release(Groups.GroupId group) => last.TryRemove(group, out _);
}

/// <summary>The fetcher used when no network source is configured.</summary>
public sealed class OfflineDocumentFetcher : IDocumentFetcher
{
    public Task<DocumentFetch> FetchTextAsync(string url, CancellationToken cancellationToken) =>
        Task.FromResult(DocumentFetch.Fail("the bot has no network sources configured"));

    public Task<DocumentFetch> FetchExportAsync(string url, CancellationToken cancellationToken) => FetchTextAsync(url, cancellationToken);
}

/// <summary>Helpers shared by every source and by the batch path.</summary>
internal static class MetadataSources
{
    /// <summary>Asks <paramref name="source"/> for many references: in one batch where it can, else one by one.</summary>
    public static async Task<IReadOnlyDictionary<string, MetadataResult>> FetchManyAsync(
        IPaperMetadataSource source, IReadOnlyList<PaperRef> references, CancellationToken cancellationToken)
    {
        if (source is IPaperBatchMetadataSource batch)
        {
            return await batch.FetchManyAsync(references, cancellationToken);
        }

        var results = new Dictionary<string, MetadataResult>(StringComparer.Ordinal);
        foreach (var reference in references.DistinctBy(r => r.Key))
        {
            results[reference.Key] = await source.FetchAsync(reference, cancellationToken);
        }

        return results;
    }

    /// <summary>How long a pending paper waits before the next attempt: one minute, doubling, at most six hours.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var minutes = Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return TimeSpan.FromMinutes(Math.Min(minutes, 360));
    }

    /// <summary>A found paper as stored: the asked key and source kept, facts from the source, state resolved.</summary>
    public static Paper Resolved(Paper found, PaperRef reference, Paper? previous, DateTimeOffset now) => found with
    {
        Key = reference.Key,
        Source = reference.Source,
        State = MetadataState.Resolved,
        FetchedAt = now,
        NextAttemptAt = null,
        LastError = null,
        Attempts = (previous?.Attempts ?? 0) + 1,
    };
}
