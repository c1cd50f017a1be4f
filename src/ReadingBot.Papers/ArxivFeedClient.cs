using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Papers;

/// <summary>
/// The newest papers in chosen arXiv categories: an <see cref="ArxivSearchClient"/> search for
/// <c>cat:cs.LG OR cat:cs.CL</c> (so the same base URL and process-wide request gate). One request per refresh; a
/// failure is reported, not retried here: the next refresh tries again.
/// </summary>
public sealed class ArxivFeedClient(ArxivSearchClient search, ILogger<ArxivFeedClient> logger) : IPaperFeed
{
    public async Task<(IReadOnlyList<Paper> Papers, string? Problem)> NewPapersAsync(IReadOnlyList<string> categories, int maxResults, CancellationToken cancellationToken)
    {
        var valid = categories.Where(c => c.Length is > 0 and <= 32 && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-')).ToList();
        if (valid.Count == 0)
        {
            return ([], "no valid arXiv category is configured");
        }

        var result = await search.SearchAsync(string.Join(" OR ", valid.Select(c => "cat:" + c)), 0, maxResults, cancellationToken);
        if (result.Problem is not null)
        {
            return ([], result.Problem);
        }

        logger.LogInformation("The arXiv feed brought {Count} papers from {Categories}", result.Papers.Count, string.Join(",", valid));
        return (result.Papers, null);
    }
}
