using System.Globalization;
using System.Text;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Exports;

/// <summary>The BibTeX export, as a pure function of the library (tests call it directly).</summary>
public static class BibTexExport
{
    /// <summary>
    /// BibTeX with stable keys: first author's family name, year, first significant title word (a, b… on clashes, in
    /// library order); a paper with no authors yet (pending) is keyed by its id (<c>arXiv:2101.00001</c>,
    /// <c>doi:10.1145-3065386</c>), so its key is readable and the same in every export.
    /// </summary>
    public static string BibTex(IReadOnlyList<LibraryItem> items)
    {
        var sb = new StringBuilder();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            var p = i.Paper;
            var key = p.Authors.Count == 0 ? IdKey(p.Key) : CitationKey(p, i.Title);
            var unique = key;
            for (var n = 0; !used.Add(unique); n++)
            {
                unique = key + (char)('a' + (n % 26)) + (n >= 26 ? (n / 26).ToString(CultureInfo.InvariantCulture) : "");
            }

            var fields = new List<(string, string)> { ("title", "{" + BibTitle(i.Title) + "}") };
            if (p.Authors.Count > 0)
            {
                fields.Add(("author", "{" + string.Join(" and ", p.Authors.Select(BibName)) + "}"));
            }

            if (p.Year is { } y)
            {
                fields.Add(("year", "{" + y.ToString(CultureInfo.InvariantCulture) + "}"));
            }

            var type = "misc";
            if (p.ArxivId is not null && (p.Venue is null or "arXiv"))
            {
                fields.Add(("eprint", "{" + p.ArxivId + "}"));
                fields.Add(("archiveprefix", "{arXiv}"));
                if (p.Categories.Count > 0)
                {
                    fields.Add(("primaryclass", "{" + p.Categories[0] + "}"));
                }
            }
            else if (p.Venue is not null)
            {
                type = p.Source == PaperSource.Doi || p.JournalRef is not null ? "article" : "inproceedings";
                fields.Add((type == "article" ? "journal" : "booktitle", "{" + BibEscape(p.Venue) + "}"));
                if (p.ArxivId is not null)
                {
                    fields.Add(("eprint", "{" + p.ArxivId + "}"));
                    fields.Add(("archiveprefix", "{arXiv}"));
                }
            }

            if (p.Doi is not null)
            {
                fields.Add(("doi", "{" + p.Doi + "}"));
            }

            fields.Add(("url", "{" + p.Url + "}"));
            sb.Append('@').Append(type).Append('{').Append(unique).Append(",\n");
            sb.Append(string.Join(",\n", fields.Select(f => $"  {f.Item1} = {f.Item2}")));
            sb.Append("\n}\n\n");
        }

        return sb.ToString();
    }

    private static readonly HashSet<string> TitleStopWords = new(StringComparer.Ordinal) { "a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "towards", "toward" };

    public static string CitationKey(Paper paper, string title)
    {
        var author = paper.Authors.Count > 0 ? SplitName(paper.Authors[0]).Family.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1] : "anon";
        var word = title.Split([' ', '-', ':', ',', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Ascii).FirstOrDefault(w => w.Length > 0 && !TitleStopWords.Contains(w)) ?? "paper";
        var year = paper.Year?.ToString(CultureInfo.InvariantCulture) ?? "nd";
        var a = Ascii(author);
        return (a.Length == 0 ? "anon" : a) + year + word;
    }

    private static string Ascii(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var c in normalized)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (c == 'ł' || c == 'Ł')
            {
                sb.Append('l');
            }
        }

        return sb.ToString();
    }

    /// <summary>A readable key from a paper key: <c>arXiv:2101.00001</c>, <c>doi:10.1145-3065386</c>, <c>openreview:…</c>, <c>distill.pub-2017-momentum</c>.</summary>
    public static string IdKey(string paperKey)
    {
        var reference = PaperRef.FromKey(paperKey);
        var raw = reference.Source switch
        {
            PaperSource.Arxiv => "arXiv:" + reference.Id,
            PaperSource.Doi => "doi:" + reference.Id,
            PaperSource.OpenReview => "openreview:" + reference.Id,
            _ => Paper.LabelFor(paperKey),
        };

        // Only characters both BibTeX and biber take in a key, and LaTeX in \cite: letters, digits, : . _ -.
        var sb = new StringBuilder();
        foreach (var c in raw)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '-' ? c : '-');
        }

        return sb.ToString().Trim('-');
    }

    /// <summary>
    /// A title with its capitals protected: a word with a capital after its first letter (ImageNet, CVPR, BERT,
    /// arXiv, U-Net) is wrapped in braces, so styles that change titles to sentence case keep it as written.
    /// Everything else is escaped.
    /// </summary>
    public static string BibTitle(string title)
    {
        var sb = new StringBuilder();
        var at = 0;
        while (at < title.Length)
        {
            if (!char.IsLetterOrDigit(title[at]))
            {
                sb.Append(BibEscape(title[at].ToString()));
                at++;
                continue;
            }

            // A word: letters and digits, with hyphens or apostrophes inside (U-Net, Pre-Training, Hinton's).
            var end = at;
            while (end < title.Length && (char.IsLetterOrDigit(title[end])
                || (title[end] is '-' or '\'' && end + 1 < title.Length && char.IsLetterOrDigit(title[end + 1]) && end > at)))
            {
                end++;
            }

            var word = title[at..end];
            var capitalInside = false;
            for (var k = 1; k < word.Length; k++)
            {
                capitalInside |= char.IsUpper(word[k]);
            }

            sb.Append(capitalInside ? "{" + word + "}" : word);
            at = end;
        }

        return sb.ToString();
    }

    private static readonly HashSet<string> NameParticles = new(StringComparer.Ordinal) { "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das", "la", "le", "ter", "ten", "zu", "bin", "al" };

    private static readonly HashSet<string> NameSuffixes = new(StringComparer.OrdinalIgnoreCase) { "Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV" };

    /// <summary>
    /// One author for BibTeX and biblatex alike, in the file's UTF-8 (the export is UTF-8; biber reads it natively and
    /// LaTeX's inputenc does for classic BibTeX). Names go in "Last, First" form, so neither program has to guess
    /// where the family name starts (a first name that begins with a letter outside ASCII, such as Łukasz, is not
    /// mistaken for a lowercase "von" part by classic BibTeX). A given name that starts with such a letter gets it in
    /// braces ({Ł}ukasz): BibTeX abbreviates a brace group as one letter, so styles with initials print "Ł." rather
    /// than half of a UTF-8 byte sequence, and biber reads the braces as plain grouping. Names are joined with "and".
    /// </summary>
    public static string BibName(string name)
    {
        var (family, suffix, given) = SplitName(name);
        if (given.Length == 0)
        {
            return BibEscape(family);
        }

        return BibEscape(family) + (suffix is null ? "" : ", " + BibEscape(suffix)) + ", " + ProtectGiven(given);
    }

    /// <summary>
    /// A name as family, suffix and given names: "Last, First" as written, else the last word with the lowercase
    /// particles before it (van, von, de…) as the family name and a trailing Jr./III as the suffix.
    /// </summary>
    public static (string Family, string? Suffix, string Given) SplitName(string name)
    {
        var text = name.Trim();
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            return (text[..comma].Trim(), null, text[(comma + 1)..].Trim());
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count <= 1)
        {
            return (text, null, "");
        }

        string? suffix = null;
        if (parts.Count > 2 && NameSuffixes.Contains(parts[^1]))
        {
            suffix = parts[^1];
            parts.RemoveAt(parts.Count - 1);
        }

        var familyStart = parts.Count - 1;
        while (familyStart > 1 && NameParticles.Contains(parts[familyStart - 1]))
        {
            familyStart--;
        }

        return (string.Join(' ', parts.Skip(familyStart)), suffix, string.Join(' ', parts.Take(familyStart)));
    }

    private static string ProtectGiven(string given) =>
        string.Join(' ', given.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var escaped = BibEscape(part);
            if (escaped.Length == 0 || char.IsAscii(escaped[0]))
            {
                return escaped;
            }

            // The first letter as one text element (a base letter with its combining marks).
            var first = System.Globalization.StringInfo.GetNextTextElementLength(escaped);
            return "{" + escaped[..first] + "}" + escaped[first..];
        }));

    private static string BibEscape(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            switch (c)
            {
                case '{' or '}' or '&' or '%' or '$' or '#' or '_':
                    sb.Append('\\').Append(c);
                    break;
                case '\\':
                    sb.Append("\\textbackslash{}");
                    break;
                case '~':
                    sb.Append("\\textasciitilde{}");
                    break;
                case '^':
                    sb.Append("\\textasciicircum{}");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }
}
