using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// Semantic Scholar's Graph API: <c>POST /paper/batch</c> with up to 500 <c>arXiv:</c> or <c>DOI:</c> ids and the
/// fields the cards show, one request at a time and <see cref="SemanticScholarOptions.MinInterval"/> apart (its rate
/// limit: 1 a second with a key), the key in <c>x-api-key</c> when configured. A 429 holds the gate back (its
/// Retry-After, else a doubling back-off) and is retried a few times; anything else is a problem for the next pass.
/// </summary>
public sealed class SemanticScholarClient(SafeHttpClient http, PaperSourcesOptions options, TimeProvider time) : IPaperEnrichmentSource, IDisposable
{
    public const string Fields = "tldr,citationCount,influentialCitationCount,venue,year,externalIds,openAccessPdf";
    private const int MaxRetries = 3;
    private static readonly FetchRules Rules = new(Trusted: true, ["application/json"], "application/json");
    private readonly ArxivRequestGate gate = new(time, options.SemanticScholar.MinInterval);

    public async Task<(IReadOnlyList<PaperEnrichment> Enrichments, string? Problem)> FetchAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        var asked = papers.Select(p => (Paper: p, Id: IdOf(p))).Where(p => p.Id is not null).Take(500).ToList();
        if (asked.Count == 0)
        {
            return ([], null);
        }

        var uri = new Uri($"{options.SemanticScholar.BaseUrl.TrimEnd('/')}/paper/batch?fields={Fields}");
        var body = new JsonObject { ["ids"] = new JsonArray([.. asked.Select(a => (JsonNode)a.Id!)]) }.ToJsonString();
        var headers = string.IsNullOrEmpty(options.SemanticScholar.ApiKey) ? null : new Dictionary<string, string> { ["x-api-key"] = options.SemanticScholar.ApiKey };
        for (var attempt = 0; ; attempt++)
        {
            var response = await gate.RunAsync(ct => http.SendAsync(HttpMethod.Post, uri, Rules, () => new StringContent(body, Encoding.UTF8, "application/json"), headers, ct), cancellationToken);
            if (response.Status == System.Net.HttpStatusCode.TooManyRequests)
            {
                gate.Defer(response.RetryAfter ?? TimeSpan.FromSeconds(options.SemanticScholar.RetryBaseSeconds * Math.Pow(2, attempt)));
                if (attempt < MaxRetries)
                {
                    continue;
                }

                return ([], "Semantic Scholar kept answering 429 (too many requests)");
            }

            if (!response.Ok)
            {
                return ([], response.Problem ?? $"Semantic Scholar answered HTTP {(int)response.Status}");
            }

            return Read(response.Body, asked.Select(a => a.Paper).ToList());
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>The id Semantic Scholar knows a paper by: <c>arXiv:</c> first (version-less), else <c>DOI:</c>.</summary>
    public static string? IdOf(Paper paper) =>
        paper.ArxivId is { Length: > 0 } arxiv ? "arXiv:" + arxiv : paper.Doi is { Length: > 0 } doi ? "DOI:" + doi : null;

    private (IReadOnlyList<PaperEnrichment>, string?) Read(string json, IReadOnlyList<Paper> papers)
    {
        JsonArray? answers;
        try
        {
            answers = JsonNode.Parse(json) as JsonArray;
        }
        catch (JsonException)
        {
            answers = null;
        }

        if (answers is null || answers.Count != papers.Count)
        {
            return ([], "Semantic Scholar answered the batch with something other than one entry per id");
        }

        var now = time.GetUtcNow();
        var result = new List<PaperEnrichment>(papers.Count);
        for (var i = 0; i < papers.Count; i++)
        {
            result.Add(answers[i] is JsonObject a
                ? new PaperEnrichment(papers[i].Key, now, Found: true)
                {
                    Tldr = Text(a["tldr"]?["text"]),
                    Citations = Int(a["citationCount"]),
                    InfluentialCitations = Int(a["influentialCitationCount"]),
                    Venue = Text(a["venue"]),
                    OpenAccessPdf = Text(a["openAccessPdf"]?["url"]) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var pdf) && pdf.Scheme is "http" or "https" ? url : null,
                }
                : new PaperEnrichment(papers[i].Key, now, Found: false));
        }

        return (result, null);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
