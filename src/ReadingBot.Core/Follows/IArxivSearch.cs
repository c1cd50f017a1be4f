using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Follows;

/// <summary>One page of an arXiv search: the papers, arXiv's count of all matches, and what went wrong if anything.</summary>
public sealed record ArxivSearchResult(IReadOnlyList<Paper> Papers, int? TotalResults, string? Problem);

/// <summary>
/// arXiv's <c>search_query</c>, newest submissions first, through the one process-wide arXiv request gate (one
/// request at a time, 3 s apart, for lookups, the category feed and follows together).
/// </summary>
public interface IArxivSearch
{
    /// <summary>Never throws for network trouble: the problem is in the result.</summary>
    Task<ArxivSearchResult> SearchAsync(string searchQuery, int start, int maxResults, CancellationToken cancellationToken);
}

/// <summary>The search used when no network source is configured.</summary>
public sealed class NoArxivSearch : IArxivSearch
{
    public Task<ArxivSearchResult> SearchAsync(string searchQuery, int start, int maxResults, CancellationToken cancellationToken) =>
        Task.FromResult(new ArxivSearchResult([], null, "the bot has no network sources configured"));
}
