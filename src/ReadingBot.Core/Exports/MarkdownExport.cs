using System.Globalization;
using System.Text;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Exports;

/// <summary>The Markdown export: a numbered list of the library with links and who added each paper.</summary>
internal static class MarkdownExport
{
    public static string Markdown(IReadOnlyList<LibraryItem> items, Func<string, string> adder)
    {
        var sb = new StringBuilder("# Reading group library\n\n");
        if (items.Count == 0)
        {
            sb.Append("The library is empty.\n");
        }

        foreach (var i in items)
        {
            var p = i.Paper;
            sb.Append(CultureInfo.InvariantCulture, $"{i.Entry.Number}. **[{MdEscape(i.Title)}]({p.Url})**");
            if (PaperCards.Byline(p) is { } byline)
            {
                sb.Append(" — ").Append(MdEscape(byline));
            }

            var links = new List<string>();
            if (p.ArxivId is not null)
            {
                links.Add($"arXiv:{p.ArxivId}");
            }

            if (p.Doi is not null)
            {
                links.Add($"[doi:{p.Doi}](https://doi.org/{p.Doi})");
            }

            if (p.PdfUrl is not null)
            {
                links.Add($"[PDF]({p.PdfUrl})");
            }

            if (links.Count > 0)
            {
                sb.Append(" · ").Append(string.Join(" · ", links));
            }

            sb.Append(CultureInfo.InvariantCulture, $" — added by {MdEscape(adder(i.Entry.AddedBy))} on {i.Entry.AddedAt.UtcDateTime:yyyy-MM-dd}\n");
        }

        return sb.ToString();
    }

    private static string MdEscape(string text) => text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal);
}
