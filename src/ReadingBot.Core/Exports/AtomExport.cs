using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Exports;

/// <summary>The Atom feed export (<c>/export rss</c>).</summary>
internal static class AtomExport
{
    private static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";

    /// <summary>An Atom 1.0 feed of library additions (newest first), plus any entries other features contribute.</summary>
    public static string Atom(GroupId group, IReadOnlyList<LibraryItem> items, IReadOnlyList<FeedEntry> extra, Func<string, string> adder, DateTimeOffset now)
    {
        var entries = items.Select(i => new FeedEntry(
                $"tag:readingbot,2026:{Uri.EscapeDataString(group.Value)}/library/{i.Entry.Number.ToString(CultureInfo.InvariantCulture)}",
                $"#{i.Entry.Number.ToString(CultureInfo.InvariantCulture)} {i.Title}", i.Entry.AddedAt, i.Paper.Url,
                PaperCards.Excerpt(i.Paper.Abstract, PaperCards.SummaryAbstractLength) ?? PaperCards.Byline(i.Paper), adder(i.Entry.AddedBy)))
            .Concat(extra)
            .OrderByDescending(e => e.Updated)
            .ToList();
        var updated = entries.Count > 0 ? entries[0].Updated : now;
        var feed = new XElement(AtomNs + "feed",
            new XElement(AtomNs + "id", $"tag:readingbot,2026:{Uri.EscapeDataString(group.Value)}/library"),
            new XElement(AtomNs + "title", "Reading group library"),
            new XElement(AtomNs + "updated", Rfc3339(updated)),
            new XElement(AtomNs + "author", new XElement(AtomNs + "name", "ReadingBot")),
            new XElement(AtomNs + "generator", "ReadingBot"),
            entries.Select(e => new XElement(AtomNs + "entry",
                new XElement(AtomNs + "id", e.Id),
                new XElement(AtomNs + "title", e.Title),
                new XElement(AtomNs + "updated", Rfc3339(e.Updated)),
                e.Url is null ? null : new XElement(AtomNs + "link", new XAttribute("rel", "alternate"), new XAttribute("href", e.Url)),
                e.Author is null ? null : new XElement(AtomNs + "author", new XElement(AtomNs + "name", e.Author)),
                e.Summary is null ? null : new XElement(AtomNs + "summary", e.Summary))));
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(sb, CultureInfo.InvariantCulture), new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Save(writer);
        }

        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
