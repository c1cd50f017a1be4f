using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Papers;

/// <summary>
/// Semantic Scholar's Graph API v1 as the paper-sources emulator plays it: <c>GET /paper/{id}</c> for
/// <c>arXiv:</c>, <c>DOI:</c> or a Semantic Scholar paper id, and <c>POST /paper/batch</c> with <c>{"ids":[…]}</c>
/// (at most 500, <c>null</c> in place of each unknown one), both with <c>?fields=</c> (only the fields asked for,
/// plus <c>paperId</c>). A missing TLDR is <c>"tldr": null</c>; a missing PDF is the current shape with an empty
/// <c>url</c> and a disclaimer. 404 for unknown ids, 400 for unknown fields, and 429 when a request comes sooner than
/// <see cref="SemanticScholarMinInterval"/> after the previous one (its real rate limit) or when queued.
/// </summary>
public sealed partial class PaperSourcesEmulator
{
    private static readonly HashSet<string> SemanticScholarFields = new(StringComparer.Ordinal)
    {
        "paperId", "externalIds", "title", "tldr", "citationCount", "influentialCitationCount", "venue", "year", "openAccessPdf", "url", "abstract",
    };

    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> semanticScholarFailures = new();
    private readonly List<string?> semanticScholarKeys = [];
    private long lastSemanticScholarArrival;

    public string SemanticScholarBaseUrl => BaseUrl + "/s2/graph/v1";

    /// <summary>Papers by Semantic Scholar paper id.</summary>
    public ConcurrentDictionary<string, SemanticScholarFixture> SemanticScholar { get; } = new(StringComparer.Ordinal);

    /// <summary>A request that arrives sooner than this after the previous one gets 429 (zero: no limit).</summary>
    public TimeSpan SemanticScholarMinInterval { get; set; }

    public IReadOnlyList<RecordedRequest> SemanticScholarRequests
    {
        get
        {
            lock (Requests)
            {
                return Requests.Where(r => r.Path.StartsWith("/s2/", StringComparison.Ordinal)).ToList();
            }
        }
    }

    /// <summary>The <c>x-api-key</c> header of each Semantic Scholar request (null where none was sent), in order.</summary>
    public IReadOnlyList<string?> SemanticScholarApiKeys
    {
        get
        {
            lock (Requests)
            {
                return semanticScholarKeys.ToList();
            }
        }
    }

    /// <summary>The next Semantic Scholar answers fail with these statuses (and Retry-After values), in order.</summary>
    public void FailSemanticScholar(int status, string? retryAfter = null) => semanticScholarFailures.Enqueue((status, retryAfter));

    private void AddSemanticScholarData()
    {
        foreach (var f in SemanticScholarFixture.Standard)
        {
            SemanticScholar[f.PaperId] = f;
        }
    }

    private void MapSemanticScholar()
    {
        app.MapPost("/s2/graph/v1/paper/batch", SemanticScholarBatchAsync);
        app.MapGet("/s2/graph/v1/paper/{**id}", (string id, HttpContext context) => SemanticScholarPaperAsync(id, context));
    }

    private async Task SemanticScholarPaperAsync(string id, HttpContext context)
    {
        if (await RefusedBySemanticScholarAsync(context) || await UnknownFieldsAsync(context) is not { } fields)
        {
            return;
        }

        var paper = FindSemanticScholar(Uri.UnescapeDataString(id));
        if (paper is null)
        {
            await SemanticScholarJsonAsync(context, 404, new JsonObject { ["error"] = $"Paper with id {Uri.UnescapeDataString(id)} not found" });
            return;
        }

        await SemanticScholarJsonAsync(context, 200, SemanticScholarJson(paper, fields));
    }

    private async Task SemanticScholarBatchAsync(HttpContext context)
    {
        if (await RefusedBySemanticScholarAsync(context) || await UnknownFieldsAsync(context) is not { } fields)
        {
            return;
        }

        string[]? ids;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            ids = body.RootElement.TryGetProperty("ids", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
                : null;
        }
        catch (JsonException)
        {
            ids = null;
        }

        if (ids is null)
        {
            await SemanticScholarJsonAsync(context, 400, new JsonObject { ["error"] = "Body must be a JSON object with an ids array" });
            return;
        }

        if (ids.Length > 500)
        {
            await SemanticScholarJsonAsync(context, 400, new JsonObject { ["error"] = "Cannot process more than 500 paper ids" });
            return;
        }

        var answer = new JsonArray(ids.Select(i => FindSemanticScholar(i) is { } p ? (JsonNode)SemanticScholarJson(p, fields) : null).ToArray());
        await SemanticScholarJsonAsync(context, 200, answer);
    }

    // Records the key, then answers 429 for a queued failure or a request that came too soon after the previous one.
    private async Task<bool> RefusedBySemanticScholarAsync(HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        bool tooSoon;
        lock (Requests)
        {
            semanticScholarKeys.Add(context.Request.Headers.TryGetValue("x-api-key", out var key) ? key.ToString() : null);
            tooSoon = SemanticScholarMinInterval > TimeSpan.Zero && lastSemanticScholarArrival != 0
                && Stopwatch.GetElapsedTime(lastSemanticScholarArrival, now) < SemanticScholarMinInterval;
            lastSemanticScholarArrival = now;
        }

        (int Status, string? RetryAfter) failure;
        if (semanticScholarFailures.TryDequeue(out var queued))
        {
            failure = queued;
        }
        else if (tooSoon)
        {
            failure = (429, null);
        }
        else
        {
            return false;
        }

        if (failure.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = failure.RetryAfter;
        }

        var message = failure.Status == 429
            ? "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. https://www.semanticscholar.org/product/api#api-key-form"
            : "Internal Server Error";
        await SemanticScholarJsonAsync(context, failure.Status, new JsonObject { ["message"] = message, ["code"] = failure.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return true;
    }

    private static async Task<string[]?> UnknownFieldsAsync(HttpContext context)
    {
        var asked = context.Request.Query["fields"].ToString();
        var fields = string.IsNullOrEmpty(asked) ? ["title"] : asked.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = fields.Where(f => !SemanticScholarFields.Contains(f)).ToList();
        if (unknown.Count == 0)
        {
            return fields;
        }

        await SemanticScholarJsonAsync(context, 400, new JsonObject { ["error"] = $"Unrecognized or unsupported fields: [{string.Join(", ", unknown)}]" });
        return null;
    }

    private SemanticScholarFixture? FindSemanticScholar(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? id[..colon] : "";
        var value = colon > 0 ? id[(colon + 1)..] : id;
        return scheme.ToUpperInvariant() switch
        {
            "ARXIV" => SemanticScholar.Values.FirstOrDefault(p => string.Equals(p.ArxivId, value, StringComparison.Ordinal)),
            "DOI" => SemanticScholar.Values.FirstOrDefault(p => string.Equals(p.Doi, value, StringComparison.OrdinalIgnoreCase)),
            "" => SemanticScholar.GetValueOrDefault(value),
            _ => null,
        };
    }

    private static JsonObject SemanticScholarJson(SemanticScholarFixture p, string[] fields)
    {
        var json = new JsonObject { ["paperId"] = p.PaperId };
        foreach (var field in fields.Where(f => f != "paperId"))
        {
            json[field] = field switch
            {
                "title" => p.Title,
                "url" => $"https://www.semanticscholar.org/paper/{p.PaperId}",
                "abstract" => null,
                "year" => p.Year,
                "venue" => p.Venue,
                "citationCount" => p.CitationCount,
                "influentialCitationCount" => p.InfluentialCitationCount,
                "tldr" => p.Tldr is null ? null : new JsonObject { ["model"] = "tldr@v2.0.0", ["text"] = p.Tldr },
                "externalIds" => ExternalIds(p),
                _ => p.OpenAccessPdf is { } pdf
                    ? new JsonObject { ["url"] = pdf.Url, ["status"] = pdf.Status, ["license"] = pdf.License }
                    : new JsonObject { ["url"] = "", ["status"] = null, ["license"] = null, ["disclaimer"] = "Notice: This paper's open access status could not be determined." },
            };
        }

        return json;
    }

    private static JsonObject ExternalIds(SemanticScholarFixture p)
    {
        var ids = new JsonObject();
        if (p.ArxivId is not null)
        {
            ids["ArXiv"] = p.ArxivId;
        }

        if (p.Doi is not null)
        {
            ids["DOI"] = p.Doi;
        }

        ids["CorpusId"] = Math.Abs(p.PaperId.GetHashCode(StringComparison.Ordinal)) % 100_000_000;
        return ids;
    }

    private static async Task SemanticScholarJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
