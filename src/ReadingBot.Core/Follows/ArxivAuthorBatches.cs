using System.Text;

namespace ReadingBot.Core.Follows;

/// <summary>
/// Followed authors as few arXiv <c>search_query</c>s as possible: their surname terms OR-ed together in
/// parentheses, each surname once however many follow it, at most <c>maxTerms</c> terms and <c>maxChars</c>
/// characters a query (arXiv answers a request line of a few kilobytes; one request per 3 s is the real cost).
/// arXiv matches words, not people, so the answers are filtered with <see cref="AuthorName.SamePersonAs"/> after.
/// </summary>
public static class ArxivAuthorBatches
{
    public static IReadOnlyList<string> Queries(IEnumerable<AuthorName> authors, int maxTerms = 60, int maxChars = 1500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTerms, 1);
        var terms = authors.SelectMany(a => a.ArxivTerms()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var queries = new List<string>();
        var current = new StringBuilder();
        var count = 0;
        foreach (var term in terms)
        {
            if (count > 0 && (count == maxTerms || current.Length + term.Length + 6 > maxChars))
            {
                queries.Add(Close(current));
                current.Clear();
                count = 0;
            }

            current.Append(count == 0 ? "(" : " OR ").Append(term);
            count++;
        }

        if (count > 0)
        {
            queries.Add(Close(current));
        }

        return queries;
    }

    /// <summary>The followed authors among a paper's authors (each at most once).</summary>
    public static IReadOnlyList<AuthorName> Matching(IEnumerable<string> paperAuthors, IReadOnlyCollection<AuthorName> followed)
    {
        var names = paperAuthors.Select(AuthorName.Parse).Where(n => n is not null).Select(n => n!).ToList();
        return followed.Where(f => names.Any(f.SamePersonAs)).ToList();
    }

    private static string Close(StringBuilder query) => query.Append(')').ToString();
}
