using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Follows;

/// <summary>A paper by followed authors, with which of them wrote it.</summary>
public sealed record AuthorMatch(Paper Paper, IReadOnlyList<AuthorName> Authors);

/// <summary>
/// Finds followed authors' papers on arXiv: the batched <c>au:</c> queries of <see cref="ArxivAuthorBatches"/>,
/// newest submissions first, paged back only as far as the refresh needs, then kept only where an author is the same
/// person (not a namesake's initials). Each paper comes once by its version-less key, whichever batch or page
/// brought it (arXiv lists a cross-listed paper once, its latest version).
/// </summary>
public sealed class FollowedAuthorFinder(IArxivSearch search, ILogger<FollowedAuthorFinder> logger)
{
    /// <summary>The latest papers by this person, for a member to tell a namesake apart before following.</summary>
    public async Task<(IReadOnlyList<Paper> Papers, string? Problem)> PreviewAsync(AuthorName name, int count, CancellationToken cancellationToken)
    {
        var result = await search.SearchAsync("(" + string.Join(" OR ", name.ArxivTerms()) + ")", 0, 50, cancellationToken);
        var papers = result.Papers.Where(p => p.Authors.Select(AuthorName.Parse).Any(a => a is not null && name.SamePersonAs(a))).Take(count).ToList();
        return (papers, result.Problem);
    }

    /// <summary>
    /// Every followed author's papers submitted at or after <paramref name="since"/>, newest first. Problems are
    /// reported per query; the other queries still run (the next refresh tries again).
    /// </summary>
    public async Task<(IReadOnlyList<AuthorMatch> Matches, IReadOnlyList<string> Problems)> NewPapersAsync(
        IReadOnlyCollection<AuthorName> followed, DateTimeOffset since, int pageSize, int maxPages, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, AuthorMatch>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var query in ArxivAuthorBatches.Queries(followed))
        {
            for (var page = 0; page < maxPages; page++)
            {
                var result = await search.SearchAsync(query, page * pageSize, pageSize, cancellationToken);
                if (result.Problem is not null)
                {
                    problems.Add(result.Problem);
                    break;
                }

                foreach (var paper in result.Papers.Where(p => p.Published >= since && !found.ContainsKey(p.Key)))
                {
                    var authors = ArxivAuthorBatches.Matching(paper.Authors, followed);
                    if (authors.Count > 0)
                    {
                        found[paper.Key] = new AuthorMatch(paper, authors);
                    }
                }

                // Sorted newest first: a short page, or one that reaches back before `since`, is the last needed.
                if (result.Papers.Count < pageSize || result.Papers[^1].Published < since)
                {
                    break;
                }
            }
        }

        logger.LogInformation("Followed authors: {Count} new papers since {Since:u}", found.Count, since);
        return (found.Values.OrderByDescending(m => m.Paper.Published).ThenBy(m => m.Paper.Key, StringComparer.Ordinal).ToList(), problems);
    }
}
