using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Exports;

/// <summary>The JSON export and its reader (<c>/paper import</c> reads it back; tests call both directly).</summary>
public static class JsonExport
{
    public const string JsonFormat = "readingbot-library";
    public const int JsonVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    /// <summary>
    /// The library, entries and paper records, in a shape <see cref="ReadJson"/> reads back, plus (under
    /// <c>archive</c>) every stored record of the group, collection by collection, as stored.
    /// </summary>
    public static string Json(GroupId group, IReadOnlyList<LibraryItem> items, DateTimeOffset now, IReadOnlyDictionary<string, string>? archive = null)
    {
        JsonObject? collections = null;
        if (archive is not null)
        {
            collections = [];
            foreach (var (name, json) in archive.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                collections[name] = JsonNode.Parse(json);
            }
        }

        var document = new LibraryExport(JsonFormat, JsonVersion, group.Value, now, items.Select(i => new LibraryExportEntry(
            i.Entry.Number, i.Entry.AddedBy, i.Entry.AddedAt, i.Entry.GivenTitle, i.Entry.VersionRead, ExportPaper.From(i.Paper))).ToList())
        {
            Archive = collections,
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    /// <summary>Reads a JSON export back into library entries and paper records.</summary>
    public static IReadOnlyList<LibraryItem> ReadJson(string json)
    {
        var document = JsonSerializer.Deserialize<LibraryExport>(json, JsonOptions) ?? throw new JsonException("empty document");
        if (document.Format != JsonFormat || document.Version > JsonVersion)
        {
            throw new JsonException($"not a {JsonFormat} document of version {JsonVersion} or older");
        }

        if (document.Group is null || document.Papers is null || document.Papers.Any(e => e?.Paper is null))
        {
            throw new JsonException("an export names its group and holds a paper in every entry");
        }

        var group = new GroupId(document.Group);
        return document.Papers.Select(e =>
        {
            var paper = e.Paper.ToPaper();
            return new LibraryItem(new LibraryEntry { Group = group, Number = e.Number, PaperKey = paper.Key, AddedBy = e.AddedBy, AddedAt = e.AddedAt, GivenTitle = e.GivenTitle, VersionRead = e.VersionRead }, paper);
        }).ToList();
    }

    public sealed record LibraryExport(string Format, int Version, string Group, DateTimeOffset ExportedAt, IReadOnlyList<LibraryExportEntry> Papers)
    {
        /// <summary>Every stored record of the group by collection (JSON as stored), so the export holds everything.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public JsonObject? Archive { get; init; }
    }

    public sealed record LibraryExportEntry(int Number, string AddedBy, DateTimeOffset AddedAt, string? GivenTitle, string? VersionRead, ExportPaper Paper);

    public sealed record ExportPaper(
        string Key, string Source, string Url, string? Title, IReadOnlyList<string> Authors, string? Abstract, int? Year, string? Venue,
        DateTimeOffset? Published, DateTimeOffset? Updated, IReadOnlyList<string> Categories, string? PdfUrl, string? Doi, string? ArxivId,
        string? JournalRef, string? LatestVersion, string State, string? CodeUrl = null)
    {
        public static ExportPaper From(Paper p) => new(p.Key, p.Source.ToString(), p.Url, p.Title, p.Authors, p.Abstract, p.Year, p.Venue, p.Published, p.Updated,
            p.Categories, p.PdfUrl, p.Doi, p.ArxivId, p.JournalRef, p.LatestVersion, p.State.ToString(), p.CodeUrl);

        public Paper ToPaper() => new()
        {
            Key = Key, Source = Enum.Parse<PaperSource>(Source), Url = Url, Title = Title, Authors = Authors ?? [], Abstract = Abstract, Year = Year, Venue = Venue,
            Published = Published, Updated = Updated, Categories = Categories ?? [], PdfUrl = PdfUrl, Doi = Doi, ArxivId = ArxivId, JournalRef = JournalRef,
            LatestVersion = LatestVersion, State = Enum.Parse<MetadataState>(State), CodeUrl = CodeUrl,
        };
    }
}
