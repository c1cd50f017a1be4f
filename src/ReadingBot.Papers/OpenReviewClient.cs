using System.Net;
using System.Text.Json;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// OpenReview forums through its API (<c>{BaseUrl}/notes?id={forum}</c>). API v2 wraps each content field as
/// <c>{"value": …}</c>; API v1 gives plain values: both are read.
/// </summary>
public sealed class OpenReviewClient(SafeHttpClient http, PaperSourcesOptions options)
{
    private static readonly FetchRules Rules = new(Trusted: true, [], "application/json");

    public async Task<MetadataResult> FetchAsync(string forumId, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{options.OpenReview.BaseUrl.TrimEnd('/')}/notes?id={Uri.EscapeDataString(forumId)}");
        var response = await http.GetAsync(uri, Rules, cancellationToken);
        if (response.Failure != FetchFailure.None)
        {
            return new MetadataResult.Unavailable(response.Failure == FetchFailure.Unreachable
                ? "OpenReview could not be reached: " + response.Problem
                : response.Problem ?? "OpenReview could not be reached");
        }

        if (response.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
        {
            return new MetadataResult.NotFound($"OpenReview has no public paper {forumId}");
        }

        if (!response.Ok)
        {
            return new MetadataResult.Unavailable($"OpenReview answered HTTP {(int)response.Status}");
        }

        try
        {
            using var json = JsonDocument.Parse(response.Body);
            if (!json.RootElement.TryGetProperty("notes", out var notes) || notes.ValueKind != JsonValueKind.Array)
            {
                return new MetadataResult.Unavailable("OpenReview's answer had no notes");
            }

            var note = notes.EnumerateArray().FirstOrDefault(n => Str(n, "id") == forumId);
            if (note.ValueKind != JsonValueKind.Object || !note.TryGetProperty("content", out var content))
            {
                return new MetadataResult.NotFound($"OpenReview has no public paper {forumId}");
            }

            var title = Field(content, "title");
            if (string.IsNullOrWhiteSpace(title))
            {
                return new MetadataResult.NotFound($"OpenReview's note {forumId} has no title");
            }

            var authors = Fields(content, "authors");
            var venue = Field(content, "venue");
            var millis = Number(note, "pdate") ?? Number(note, "odate") ?? Number(note, "cdate") ?? Number(note, "tcdate");
            DateTimeOffset? published = millis is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return new MetadataResult.Found(new Paper
            {
                Key = $"openreview:{forumId}",
                Source = PaperSource.OpenReview,
                Url = $"https://openreview.net/forum?id={Uri.EscapeDataString(forumId)}",
                Title = ArxivAtomParser.Collapse(title),
                Authors = authors.Select(ArxivAtomParser.Collapse).ToList(),
                Abstract = Field(content, "abstract") is { Length: > 0 } a ? ArxivAtomParser.Collapse(a) : null,
                Venue = string.IsNullOrWhiteSpace(venue) ? "OpenReview" : ArxivAtomParser.Collapse(venue),
                Published = published,
                Year = YearOf(venue) ?? published?.Year,
                PdfUrl = Field(content, "pdf") is { Length: > 0 } ? $"https://openreview.net/pdf?id={Uri.EscapeDataString(forumId)}" : null,
                State = MetadataState.Resolved,
            });
        }
        catch (JsonException)
        {
            return new MetadataResult.Unavailable("OpenReview's answer was not JSON");
        }
    }

    private static JsonElement Unwrap(JsonElement content, string name)
    {
        if (!content.TryGetProperty(name, out var v))
        {
            return default;
        }

        return v.ValueKind == JsonValueKind.Object && v.TryGetProperty("value", out var inner) ? inner : v;
    }

    private static string? Field(JsonElement content, string name) =>
        Unwrap(content, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static List<string> Fields(JsonElement content, string name) =>
        Unwrap(content, name) is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static int? YearOf(string? venue)
    {
        if (venue is null)
        {
            return null;
        }

        foreach (var word in venue.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length == 4 && int.TryParse(word, System.Globalization.CultureInfo.InvariantCulture, out var y) && y is > 1950 and < 2200)
            {
                return y;
            }
        }

        return null;
    }
}
