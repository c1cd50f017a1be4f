using System.Globalization;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Papers;

/// <summary>Builds the cards and list lines that show papers, the same on every platform.</summary>
public static class PaperCards
{
    public const int SummaryAbstractLength = 400;
    public const int FullAbstractLength = 1500;

    public static string Line(LibraryItem item)
    {
        var year = item.Paper.Year is { } y ? $" ({y})" : "";
        // An untitled paper's title already is its arXiv id or DOI: do not say it twice.
        var source = item.Untitled ? "" : item.Paper.ArxivId is { } a ? $" — arXiv:{a}" : item.Paper.Doi is { } d ? $" — doi:{d}" : "";
        var pending = item.Paper.State == MetadataState.Pending ? " [metadata pending]" : "";
        return $"{item.Label} {item.Title}{year}{source}{pending}";
    }

    public static Card Summary(LibraryItem item, string addedBy) => new($"{item.Label} {item.Title}", item.Paper.Url)
    {
        Subtitle = Byline(item.Paper),
        Body = Excerpt(item.Paper.Abstract, SummaryAbstractLength),
        Fields = [new CardField("Added by", addedBy)],
    };

    public static Card Full(LibraryItem item, string addedBy, TimeZoneInfo zone)
    {
        var p = item.Paper;
        var fields = new List<CardField>();
        if (p.ArxivId is not null)
        {
            fields.Add(new CardField("arXiv", p.ArxivId + (item.Entry.VersionRead ?? "") + (p.LatestVersion is { } v ? $" (latest {v})" : "")));
        }

        if (p.Doi is not null)
        {
            fields.Add(new CardField("DOI", p.Doi));
        }

        if (p.PdfUrl is not null)
        {
            fields.Add(new CardField("PDF", p.PdfUrl));
        }

        if (p.Categories.Count > 0)
        {
            fields.Add(new CardField("Categories", string.Join(", ", p.Categories)));
        }

        if (p.JournalRef is not null)
        {
            fields.Add(new CardField("Journal", p.JournalRef));
        }

        if (p.CodeUrl is not null)
        {
            fields.Add(new CardField("Code", p.CodeUrl));
        }

        var added = TimeZoneInfo.ConvertTime(item.Entry.AddedAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        fields.Add(new CardField("Added", $"{added} by {addedBy}"));
        return new Card($"{item.Label} {item.Title}", p.Url)
        {
            Subtitle = Byline(p),
            Fields = fields,
            Body = Excerpt(p.Abstract, FullAbstractLength),
            Footer = p.State switch
            {
                MetadataState.Pending => "Metadata pending: it will be filled in when the source answers.",
                MetadataState.NotFound => "The source does not know this paper; only what was given is shown.",
                _ => null,
            },
        };
    }

    public static string? Byline(Paper paper)
    {
        var parts = new List<string>();
        if (paper.Authors.Count > 0)
        {
            parts.Add(paper.Authors.Count <= 4 ? string.Join(", ", paper.Authors) : string.Join(", ", paper.Authors.Take(3)) + $" and {paper.Authors.Count - 3} more");
        }

        var venueYear = string.Join(" ", new[] { paper.Venue, paper.Year?.ToString(CultureInfo.InvariantCulture) }.Where(s => !string.IsNullOrEmpty(s)));
        if (venueYear.Length > 0)
        {
            parts.Add(venueYear);
        }

        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    public static string? Excerpt(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        if (t.Length <= max)
        {
            return t;
        }

        var cut = t.LastIndexOf(' ', max - 1);
        return t[..(cut > max / 2 ? cut : max - 1)] + "…";
    }
}
