using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>DOIs through Crossref's REST API (<c>{BaseUrl}/works/{doi}</c>, JSON <c>{"message": {...}}</c>).</summary>
public sealed partial class CrossrefClient(SafeHttpClient http, PaperSourcesOptions options)
{
    private static readonly FetchRules Rules = new(Trusted: true, [], "application/json");

    [GeneratedRegex("<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    public async Task<MetadataResult> FetchAsync(string doi, CancellationToken cancellationToken)
    {
        var mailto = string.IsNullOrWhiteSpace(options.Crossref.Mailto) ? "" : "?mailto=" + Uri.EscapeDataString(options.Crossref.Mailto);
        var uri = new Uri($"{options.Crossref.BaseUrl.TrimEnd('/')}/works/{Uri.EscapeDataString(doi)}{mailto}");
        var response = await http.GetAsync(uri, Rules, cancellationToken);
        if (response.Failure != FetchFailure.None)
        {
            return new MetadataResult.Unavailable(response.Failure == FetchFailure.Unreachable
                ? "Crossref could not be reached: " + response.Problem
                : response.Problem ?? "Crossref could not be reached");
        }

        if (response.Status == HttpStatusCode.NotFound)
        {
            return new MetadataResult.NotFound($"Crossref knows no DOI {doi}");
        }

        if (!response.Ok)
        {
            return new MetadataResult.Unavailable($"Crossref answered HTTP {(int)response.Status}");
        }

        try
        {
            using var json = JsonDocument.Parse(response.Body);
            if (!json.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            {
                return new MetadataResult.Unavailable("Crossref's answer had no message");
            }

            return Read(message, doi) is { } paper
                ? new MetadataResult.Found(paper)
                : new MetadataResult.NotFound($"Crossref has no title for DOI {doi}");
        }
        catch (JsonException)
        {
            return new MetadataResult.Unavailable("Crossref's answer was not JSON");
        }
    }

    internal static Paper? Read(JsonElement m, string doi)
    {
        var title = First(m, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var authors = new List<string>();
        if (m.TryGetProperty("author", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in list.EnumerateArray())
            {
                var name = string.Join(' ', new[] { Text(a, "given"), Text(a, "family") }.Where(s => !string.IsNullOrWhiteSpace(s)));
                if (name.Length == 0)
                {
                    name = Text(a, "name") ?? "";
                }

                if (name.Length > 0)
                {
                    authors.Add(ArxivAtomParser.Collapse(name));
                }
            }
        }

        var year = Year(m, "issued") ?? Year(m, "published") ?? Year(m, "published-print") ?? Year(m, "published-online");
        string? pdf = null;
        if (m.TryGetProperty("link", out var links) && links.ValueKind == JsonValueKind.Array)
        {
            pdf = links.EnumerateArray().Where(l => Text(l, "content-type") == "application/pdf").Select(l => Text(l, "URL")).FirstOrDefault(u => u is not null);
        }

        var abstractText = Text(m, "abstract") is { } jats ? ArxivAtomParser.Collapse(WebUtility.HtmlDecode(Tags().Replace(jats, " "))) : null;
        return new Paper
        {
            Key = $"doi:{doi}",
            Source = PaperSource.Doi,
            Url = $"https://doi.org/{doi}",
            Title = ArxivAtomParser.Collapse(WebUtility.HtmlDecode(Tags().Replace(title, ""))),
            Authors = authors,
            Abstract = string.IsNullOrWhiteSpace(abstractText) ? null : abstractText,
            Year = year,
            Venue = First(m, "container-title") is { Length: > 0 } venue ? ArxivAtomParser.Collapse(venue) : null,
            PdfUrl = pdf,
            Doi = (Text(m, "DOI") ?? doi).ToLowerInvariant(),
            State = MetadataState.Resolved,
        };
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? First(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Array => v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()).FirstOrDefault(),
            JsonValueKind.String => v.GetString(),
            _ => null,
        } : null;

    private static int? Year(JsonElement e, string name) =>
        e.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("date-parts", out var parts)
            && parts.ValueKind == JsonValueKind.Array && parts.GetArrayLength() > 0 && parts[0].ValueKind == JsonValueKind.Array
            && parts[0].GetArrayLength() > 0 && parts[0][0].ValueKind == JsonValueKind.Number && parts[0][0].TryGetInt32(out var y)
            ? y
            : null;
}
