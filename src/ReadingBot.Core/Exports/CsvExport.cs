using System.Globalization;
using System.Text;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Exports;

/// <summary>The CSV export, as a pure function of the library (tests call it directly).</summary>
public static class CsvExport
{
    public static readonly string[] CsvColumns = ["number", "title", "authors", "year", "venue", "arxiv_id", "doi", "url", "pdf_url", "added_by", "added_at", "state"];

    /// <summary>RFC 4180 CSV: CRLF rows, fields quoted when they hold a comma, quote or line break.</summary>
    public static string Csv(IReadOnlyList<LibraryItem> items, Func<string, string> adder)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var i in items)
        {
            var p = i.Paper;
            string[] row =
            [
                i.Entry.Number.ToString(CultureInfo.InvariantCulture), i.Title, string.Join("; ", p.Authors), p.Year?.ToString(CultureInfo.InvariantCulture) ?? "",
                p.Venue ?? "", p.ArxivId ?? "", p.Doi ?? "", p.Url, p.PdfUrl ?? "", adder(i.Entry.AddedBy),
                i.Entry.AddedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), p.State.ToString(),
            ];
            sb.Append(string.Join(',', row.Select(CsvField))).Append("\r\n");
        }

        return sb.ToString();
    }

    private static string CsvField(string value)
    {
        // A leading = + - @ would run as a formula in spreadsheets: prefix a quote so it stays text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
