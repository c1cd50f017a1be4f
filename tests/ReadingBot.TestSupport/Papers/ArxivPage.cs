using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Papers;

/// <summary>
/// The arXiv API's paging and sorting parameters: <c>start</c> (0-based, default 0), <c>max_results</c> (default 10,
/// at most 2,000 returned per call, more than 30,000 refused), <c>sortBy</c> (relevance, the default,
/// lastUpdatedDate or submittedDate) and <c>sortOrder</c> (descending, the default, or ascending).
/// </summary>
public sealed record ArxivPage(int Start, int Max, string SortBy, bool Ascending, string? Error = null)
{
    public static ArxivPage Read(IQueryCollection query)
    {
        var start = 0;
        var max = 10;
        if (query.TryGetValue("start", out var s) && !int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return Refused("start must be a non-negative integer");
        }

        if (query.TryGetValue("max_results", out var m) && !int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out max))
        {
            return Refused("max_results must be a non-negative integer");
        }

        if (max > 30000)
        {
            return Refused("max_results must be less than 30000");
        }

        var sortBy = query.TryGetValue("sortBy", out var by) ? by.ToString() : "relevance";
        if (sortBy is not ("relevance" or "lastUpdatedDate" or "submittedDate"))
        {
            return Refused($"unknown sortBy {sortBy}");
        }

        var order = query.TryGetValue("sortOrder", out var o) ? o.ToString() : "descending";
        if (order is not ("ascending" or "descending"))
        {
            return Refused($"unknown sortOrder {order}");
        }

        return new ArxivPage(start, Math.Min(max, 2000), sortBy, order == "ascending");
    }

    /// <summary>Orders matches as arXiv would: by the chosen key, ties by id so pages never overlap.</summary>
    public IReadOnlyList<ArxivFixture> Sort(IEnumerable<(ArxivFixture Paper, int Score)> matches)
    {
        var keyed = SortBy switch
        {
            "submittedDate" => matches.Select(m => (m.Paper, Key: (double)m.Paper.Published.UtcTicks)),
            "lastUpdatedDate" => matches.Select(m => (m.Paper, Key: (double)m.Paper.Updated.UtcTicks)),
            _ => matches.Select(m => (m.Paper, Key: (double)m.Score)),
        };
        var ordered = Ascending ? keyed.OrderBy(k => k.Key) : keyed.OrderByDescending(k => k.Key);
        return ordered.ThenBy(k => k.Paper.Id, StringComparer.Ordinal).Select(k => k.Paper).ToList();
    }

    private static ArxivPage Refused(string error) => new(0, 0, "relevance", false, error);
}
