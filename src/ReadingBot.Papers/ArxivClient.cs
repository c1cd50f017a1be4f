using System.Globalization;
using System.Net;
using System.Xml;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// arXiv's Atom API (<c>{BaseUrl}/api/query?id_list=…</c>). Every request goes through the process-wide
/// <see cref="ArxivRequestGate"/>; many ids share one request; 429, 5xx and timeouts are retried a bounded number of
/// times with exponential back-off (Retry-After wins when longer). A name that does not resolve or a refused
/// connection is not retried: it answers Unavailable at once with the reason, and the background refresh tries later. An id arXiv does not know is NotFound; a feed
/// that is arXiv's error feed is NotFound too and is never stored as a paper.
/// </summary>
public sealed class ArxivClient(SafeHttpClient http, ArxivRequestGate gate, PaperSourcesOptions options, ILogger<ArxivClient> logger)
{
    private static readonly FetchRules Rules = new(Trusted: true, [], "application/atom+xml, application/xml;q=0.9, */*;q=0.5");

    /// <summary>Looks up arXiv ids without version; answers keyed by id.</summary>
    public async Task<IReadOnlyDictionary<string, MetadataResult>> FetchManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, MetadataResult>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(Math.Clamp(options.Arxiv.BatchSize, 1, 200)))
        {
            foreach (var (id, result) in await FetchBatchAsync(chunk, cancellationToken))
            {
                results[id] = result;
            }
        }

        return results;
    }

    public async Task<MetadataResult> FetchAsync(string id, CancellationToken cancellationToken) =>
        (await FetchBatchAsync([id], cancellationToken))[id];

    private async Task<Dictionary<string, MetadataResult>> FetchBatchAsync(string[] ids, CancellationToken cancellationToken)
    {
        var baseUrl = options.Arxiv.BaseUrl.TrimEnd('/');
        var idList = string.Join(",", ids.Select(Uri.EscapeDataString));
        var uri = new Uri($"{baseUrl}/api/query?id_list={idList}&max_results={ids.Length.ToString(CultureInfo.InvariantCulture)}");
        var problem = "arXiv did not answer";
        for (var attempt = 0; attempt <= options.Arxiv.MaxRetries; attempt++)
        {
            var attemptNumber = attempt;
            var response = await gate.RunAsync(async ct =>
            {
                var r = await http.GetAsync(uri, Rules, ct);
                if (IsRetryable(r))
                {
                    gate.Defer(Backoff(attemptNumber, r.RetryAfter));
                }

                return r;
            }, cancellationToken);

            if (IsRetryable(response))
            {
                problem = Describe(response);
                logger.LogInformation("arXiv attempt {Attempt} for {Count} id(s) failed: {Problem}", attempt + 1, ids.Length, problem);
                continue;
            }

            return Classify(ids, response);
        }

        return ids.ToDictionary(id => id, _ => (MetadataResult)new MetadataResult.Unavailable(problem), StringComparer.Ordinal);
    }

    private Dictionary<string, MetadataResult> Classify(string[] ids, FetchResponse response)
    {
        Dictionary<string, MetadataResult> All(MetadataResult result) => ids.ToDictionary(id => id, _ => result, StringComparer.Ordinal);
        if (response.Failure != FetchFailure.None)
        {
            return All(new MetadataResult.Unavailable(response.Failure == FetchFailure.Unreachable
                ? "arXiv could not be reached: " + response.Problem
                : response.Problem ?? "arXiv could not be reached"));
        }

        ArxivFeed feed;
        try
        {
            feed = ArxivAtomParser.Parse(response.Body);
        }
        catch (XmlException)
        {
            return All(new MetadataResult.Unavailable($"arXiv answered {(int)response.Status} without a feed"));
        }

        if (feed.Error is not null)
        {
            // arXiv's error feed (HTTP 400, sometimes 200): the request named something that is not an id.
            return All(new MetadataResult.NotFound($"arXiv refused it ({feed.Error})"));
        }

        if (!response.Ok)
        {
            return All(new MetadataResult.Unavailable($"arXiv answered HTTP {(int)response.Status}"));
        }

        var byId = feed.Papers.GroupBy(p => p.ArxivId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return ids.ToDictionary(
            id => id,
            id => byId.TryGetValue(id, out var paper)
                ? new MetadataResult.Found(paper)
                : (MetadataResult)new MetadataResult.NotFound($"arXiv has no paper {id}"),
            StringComparer.Ordinal);
    }

    private static bool IsRetryable(FetchResponse r) =>
        r.Failure is FetchFailure.Timeout or FetchFailure.Network
        || (r.Failure == FetchFailure.None && (r.Status == HttpStatusCode.TooManyRequests || (int)r.Status >= 500
            || (r.Ok && !r.Body.TrimStart().StartsWith('<'))));

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromSeconds(options.Arxiv.RetryBaseSeconds * Math.Pow(2, attempt));
        return retryAfter is { } ra && ra > backoff ? ra : backoff;
    }

    private static string Describe(FetchResponse r) => r.Failure switch
    {
        FetchFailure.None when r.Status == HttpStatusCode.TooManyRequests => "arXiv asked us to slow down (429)",
        FetchFailure.None when (int)r.Status >= 500 => $"arXiv answered HTTP {(int)r.Status}",
        FetchFailure.None => "arXiv answered without a feed",
        _ => r.Problem ?? "arXiv could not be reached",
    };
}
