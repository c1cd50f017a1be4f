using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Papers;

/// <summary>
/// The newest papers in chosen arXiv categories, through the same API, base URL and process-wide request gate as
/// <see cref="ArxivClient"/> (<c>search_query=cat:cs.LG OR cat:cs.CL</c>, newest submissions first). One request
/// per refresh; a failure is reported, not retried here: the next refresh tries again.
/// </summary>
public sealed class ArxivFeedClient(SafeHttpClient http, ArxivRequestGate gate, PaperSourcesOptions options, ILogger<ArxivFeedClient> logger) : IPaperFeed
{
    private static readonly FetchRules Rules = new(Trusted: true, [], "application/atom+xml, application/xml;q=0.9, */*;q=0.5");

    public async Task<(IReadOnlyList<Paper> Papers, string? Problem)> NewPapersAsync(IReadOnlyList<string> categories, int maxResults, CancellationToken cancellationToken)
    {
        var valid = categories.Where(c => c.Length is > 0 and <= 32 && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-')).ToList();
        if (valid.Count == 0)
        {
            return ([], "no valid arXiv category is configured");
        }

        var query = Uri.EscapeDataString(string.Join(" OR ", valid.Select(c => "cat:" + c)));
        var max = Math.Clamp(maxResults, 1, 2000).ToString(CultureInfo.InvariantCulture);
        var uri = new Uri($"{options.Arxiv.BaseUrl.TrimEnd('/')}/api/query?search_query={query}&sortBy=submittedDate&sortOrder=descending&start=0&max_results={max}");
        var response = await gate.RunAsync(ct => http.GetAsync(uri, Rules, ct), cancellationToken);
        if (!response.Ok)
        {
            if (response.Status == System.Net.HttpStatusCode.TooManyRequests)
            {
                gate.Defer(response.RetryAfter ?? TimeSpan.FromSeconds(options.Arxiv.RetryBaseSeconds));
            }

            return ([], response.Problem ?? $"arXiv answered HTTP {(int)response.Status}");
        }

        try
        {
            var feed = ArxivAtomParser.Parse(response.Body);
            if (feed.Error is not null)
            {
                return ([], $"arXiv refused the listing ({feed.Error})");
            }

            logger.LogInformation("The arXiv feed brought {Count} papers from {Categories}", feed.Papers.Count, string.Join(",", valid));
            return (feed.Papers, null);
        }
        catch (XmlException)
        {
            return ([], "arXiv answered without a feed");
        }
    }
}
