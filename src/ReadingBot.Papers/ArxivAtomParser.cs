using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>What one arXiv API answer held.</summary>
/// <param name="Papers">The entries read, one per paper.</param>
/// <param name="TotalResults">opensearch:totalResults, when given.</param>
/// <param name="Error">arXiv's message when the feed is its error feed (one entry titled "Error").</param>
public sealed record ArxivFeed(IReadOnlyList<Paper> Papers, int? TotalResults, string? Error);

/// <summary>
/// Reads arXiv's Atom answers by namespace and element name (never by position or text matching): whitespace
/// collapsed, entities decoded by the XML reader, the version taken from the entry id, the PDF link with a fallback.
/// </summary>
public static partial class ArxivAtomParser
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";
    public static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";

    [GeneratedRegex(@"^(?<id>.+?)(?<v>v\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Versioned();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    /// <summary>Parses a feed; throws <see cref="XmlException"/> when the body is not XML at all.</summary>
    public static ArxivFeed Parse(string body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(body), settings);
        var document = XDocument.Load(reader);
        var feed = document.Root;
        if (feed is null || feed.Name != Atom + "feed")
        {
            throw new XmlException("the answer is not an Atom feed");
        }

        int? total = int.TryParse((string?)feed.Element(OpenSearch + "totalResults"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : null;
        var papers = new List<Paper>();
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            var entryId = Collapse((string?)entry.Element(Atom + "id"));
            var title = Collapse((string?)entry.Element(Atom + "title"));
            // arXiv's error entry: its id points at /api/errors and its title is "Error" (a paper may be titled that).
            if (entryId.Contains("/api/errors", StringComparison.Ordinal) || (title == "Error" && !entryId.Contains("/abs/", StringComparison.Ordinal)))
            {
                return new ArxivFeed([], total, Collapse((string?)entry.Element(Atom + "summary")) is { Length: > 0 } message ? message : "arXiv refused the request");
            }

            if (ToPaper(entry, entryId, title) is { } paper)
            {
                papers.Add(paper);
            }
        }

        return new ArxivFeed(papers, total, null);
    }

    private static Paper? ToPaper(XElement entry, string entryId, string title)
    {
        var abs = entryId.IndexOf("/abs/", StringComparison.Ordinal);
        if (abs < 0)
        {
            return null;
        }

        var match = Versioned().Match(entryId[(abs + 5)..]);
        var id = match.Groups["id"].Value;
        var version = match.Groups["v"].Success ? match.Groups["v"].Value : null;
        var published = Instant((string?)entry.Element(Atom + "published"));
        var categories = new List<string>();
        if ((string?)entry.Element(Arxiv + "primary_category")?.Attribute("term") is { Length: > 0 } primary)
        {
            categories.Add(primary);
        }

        foreach (var term in entry.Elements(Atom + "category").Select(c => (string?)c.Attribute("term")))
        {
            if (!string.IsNullOrWhiteSpace(term) && !categories.Contains(term))
            {
                categories.Add(term);
            }
        }

        var links = entry.Elements(Atom + "link").ToList();
        var pdf = links.FirstOrDefault(l => (string?)l.Attribute("title") == "pdf" || (string?)l.Attribute("type") == "application/pdf");
        var journal = Collapse((string?)entry.Element(Arxiv + "journal_ref"));
        var doi = Collapse((string?)entry.Element(Arxiv + "doi"));
        return new Paper
        {
            Key = $"arxiv:{id}",
            Source = PaperSource.Arxiv,
            Url = $"https://arxiv.org/abs/{id}",
            Title = title.Length > 0 ? title : null,
            Abstract = Collapse((string?)entry.Element(Atom + "summary")) is { Length: > 0 } s ? s : null,
            Authors = entry.Elements(Atom + "author").Select(a => Collapse((string?)a.Element(Atom + "name"))).Where(n => n.Length > 0).ToList(),
            Published = published,
            Updated = Instant((string?)entry.Element(Atom + "updated")),
            Year = published?.Year,
            Venue = journal.Length > 0 ? journal : "arXiv",
            Categories = categories,
            PdfUrl = (string?)pdf?.Attribute("href") is { Length: > 0 } href ? href.Replace("http://", "https://", StringComparison.Ordinal) : $"https://arxiv.org/pdf/{id}",
            Doi = doi.Length > 0 ? doi.ToLowerInvariant() : null,
            JournalRef = journal.Length > 0 ? journal : null,
            CodeUrl = CodeLinks.Find((string?)entry.Element(Arxiv + "comment")),
            ArxivId = id,
            LatestVersion = version,
            State = MetadataState.Resolved,
        };
    }

    /// <summary>Collapses runs of whitespace (arXiv wraps titles and abstracts) and trims.</summary>
    public static string Collapse(string? text) => text is null ? "" : Whitespace().Replace(text, " ").Trim();

    private static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUniversalTime() : null;
}
