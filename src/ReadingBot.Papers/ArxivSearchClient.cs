using System.Globalization;
using System.Xml;
using ReadingBot.Core.Follows;

namespace ReadingBot.Papers;

/// <summary>
/// arXiv's <c>search_query</c> through the same base URL and process-wide <see cref="ArxivRequestGate"/> as
/// <see cref="ArxivClient"/>, sorted by submission date, newest first. One request per call; a failure is reported,
/// not retried here (callers run on a schedule and try again), but a 429 holds every arXiv request back.
/// </summary>
public sealed class ArxivSearchClient(SafeHttpClient http, ArxivRequestGate gate, PaperSourcesOptions options) : IArxivSearch
{
    private static readonly FetchRules Rules = new(Trusted: true, [], "application/atom+xml, application/xml;q=0.9, */*;q=0.5");

    public async Task<ArxivSearchResult> SearchAsync(string searchQuery, int start, int maxResults, CancellationToken cancellationToken)
    {
        var query = Uri.EscapeDataString(searchQuery);
        var first = Math.Max(0, start).ToString(CultureInfo.InvariantCulture);
        // arXiv returns at most 2,000 entries a call.
        var max = Math.Clamp(maxResults, 1, 2000).ToString(CultureInfo.InvariantCulture);
        var uri = new Uri($"{options.Arxiv.BaseUrl.TrimEnd('/')}/api/query?search_query={query}&sortBy=submittedDate&sortOrder=descending&start={first}&max_results={max}");
        var response = await gate.RunAsync(ct => http.GetAsync(uri, Rules, ct), cancellationToken);
        if (!response.Ok)
        {
            if (response.Status == System.Net.HttpStatusCode.TooManyRequests)
            {
                gate.Defer(response.RetryAfter ?? TimeSpan.FromSeconds(options.Arxiv.RetryBaseSeconds));
            }

            return new ArxivSearchResult([], null, response.Problem ?? $"arXiv answered HTTP {(int)response.Status}");
        }

        try
        {
            var feed = ArxivAtomParser.Parse(response.Body);
            return feed.Error is not null
                ? new ArxivSearchResult([], null, $"arXiv refused the search ({feed.Error})")
                : new ArxivSearchResult(feed.Papers, feed.TotalResults, null);
        }
        catch (XmlException)
        {
            return new ArxivSearchResult([], null, "arXiv answered without a feed");
        }
    }
}
