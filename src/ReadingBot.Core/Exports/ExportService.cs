using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml;
using System.Xml.Linq;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Exports;

/// <summary>An event for the calendar export (a weekly session, a deadline).</summary>
public sealed record CalendarEvent(string Uid, string Summary, DateTimeOffset Start, TimeSpan Duration, string? Description = null, string? Url = null);

/// <summary>An entry for the Atom feed besides library additions (a weekly pick, a digest).</summary>
public sealed record FeedEntry(string Id, string Title, DateTimeOffset Updated, string? Url, string? Summary, string? Author = null);

/// <summary>
/// Where the weekly schedule and digests plug into the exports. The weekly-paper and WAYR features register an
/// implementation to put sessions into the calendar and picks and digests into the feed.
/// </summary>
public interface IExportContributions
{
    IReadOnlyList<CalendarEvent> CalendarEvents(GroupId group);

    IReadOnlyList<FeedEntry> FeedEntries(GroupId group);
}

/// <summary><c>/export</c>: the group's library as Markdown, BibTeX, CSV, JSON, an Atom feed or an iCalendar file.</summary>
public sealed class ExportService(ILibraryStore library, IPaperStore papers, IMemberStore members, IEnumerable<IExportContributions> contributions, IGroupDataArchive archive, TimeProvider time)
{
    public Reply Export(Invocation invocation, string format)
    {
        var group = invocation.Group;
        var items = Items(group.Id);
        // Minutes and seconds in the name: two exports on one day are two files, not one overwriting the other.
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Adder(string id) => names.TryGetValue(id, out var n) ? n : names[id] = members.Find(group.Id, id)?.DisplayName ?? id;
        var caption = $"The library of this group ({items.Count} paper{(items.Count == 1 ? "" : "s")})";
        return format.ToLowerInvariant() switch
        {
            "markdown" => File($"library-{stamp}.md", "text/markdown", LibraryFormats.Markdown(items, Adder), caption + " as Markdown"),
            "bibtex" => File($"library-{stamp}.bib", "application/x-bibtex", LibraryFormats.BibTex(items), caption + " as BibTeX"),
            "csv" => File($"library-{stamp}.csv", "text/csv", LibraryFormats.Csv(items, Adder), caption + " as CSV"),
            "json" => File($"readingbot-{stamp}.json", "application/json", LibraryFormats.Json(group.Id, items, time.GetUtcNow(), archive.Collections(group.Id)), "Everything this group stored (library, settings, members, suggestions, weeks, discussion, WAYR, progress, streaks, digests) as JSON; another group can import its library with /paper import"),
            "rss" => File($"library-{stamp}.atom", "application/atom+xml", LibraryFormats.Atom(group.Id, items, contributions.SelectMany(c => c.FeedEntries(group.Id)).ToList(), Adder, time.GetUtcNow()), caption + " as an Atom feed of additions"),
            "ics" => File($"sessions-{stamp}.ics", "text/calendar", LibraryFormats.Calendar(group.Id, TimeZones.FindOrUtc(group.Setting(SettingCatalogue.TimeZone)), contributions.SelectMany(c => c.CalendarEvents(group.Id)).ToList(), time.GetUtcNow()), "The group's reading sessions as an iCalendar file"),
            _ => new ErrorReply($"There is no export format '{CommandBinder.Clip(format)}'. Use markdown, bibtex, json, csv, rss or ics."),
        };
    }

    private List<LibraryItem> Items(GroupId group)
    {
        var all = new List<LibraryItem>();
        var count = library.Count(group);
        for (var skip = 0; skip < count; skip += 1000)
        {
            all.AddRange(library.List(group, skip, 1000).Select(e => new LibraryItem(e, papers.Find(e.PaperKey) ?? Paper.Pending(PaperRef.FromKey(e.PaperKey)))));
        }

        return all;
    }

    private static FileReply File(string name, string type, string text, string caption) =>
        new(name, type, new UTF8Encoding(false).GetBytes(text), caption);
}

/// <summary>The export formats, as pure functions of the library (tests call them directly).</summary>
public static class LibraryFormats
{
    public const string JsonFormat = "readingbot-library";
    public const int JsonVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

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
        string? JournalRef, string? LatestVersion, string State)
    {
        public static ExportPaper From(Paper p) => new(p.Key, p.Source.ToString(), p.Url, p.Title, p.Authors, p.Abstract, p.Year, p.Venue, p.Published, p.Updated,
            p.Categories, p.PdfUrl, p.Doi, p.ArxivId, p.JournalRef, p.LatestVersion, p.State.ToString());

        public Paper ToPaper() => new()
        {
            Key = Key, Source = Enum.Parse<PaperSource>(Source), Url = Url, Title = Title, Authors = Authors ?? [], Abstract = Abstract, Year = Year, Venue = Venue,
            Published = Published, Updated = Updated, Categories = Categories ?? [], PdfUrl = PdfUrl, Doi = Doi, ArxivId = ArxivId, JournalRef = JournalRef,
            LatestVersion = LatestVersion, State = Enum.Parse<MetadataState>(State),
        };
    }

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

    /// <summary>
    /// An RFC 5545 calendar with a VTIMEZONE for the group's zone (its offsets and transitions this year and next) and
    /// the events other features contribute, in that zone. CRLF lines folded at 75 octets.
    /// </summary>
    public static string Calendar(GroupId group, TimeZoneInfo zone, IReadOnlyList<CalendarEvent> events, DateTimeOffset now)
    {
        var zoneId = zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : "Etc/UTC";
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ReadingBot//Reading group sessions//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + IcsText("Reading group sessions"), "X-WR-TIMEZONE:" + zoneId,
        };
        lines.AddRange(TimeZoneComponent(zone, zoneId, now));
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        foreach (var e in events)
        {
            var local = TimeZoneInfo.ConvertTime(e.Start, zone);
            var end = TimeZoneInfo.ConvertTime(e.Start + e.Duration, zone);
            lines.Add("BEGIN:VEVENT");
            lines.Add("UID:" + IcsText(e.Uid) + "@readingbot");
            lines.Add("DTSTAMP:" + stamp);
            lines.Add($"DTSTART;TZID={zoneId}:{local.DateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}");
            lines.Add($"DTEND;TZID={zoneId}:{end.DateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}");
            lines.Add("SUMMARY:" + IcsText(e.Summary));
            if (e.Description is not null)
            {
                lines.Add("DESCRIPTION:" + IcsText(e.Description));
            }

            if (e.Url is not null)
            {
                lines.Add("URL:" + e.Url);
            }

            lines.Add("END:VEVENT");
        }

        lines.Add("END:VCALENDAR");
        _ = group;
        return string.Concat(lines.Select(l => Fold(l) + "\r\n"));
    }

    private static IEnumerable<string> TimeZoneComponent(TimeZoneInfo zone, string zoneId, DateTimeOffset now)
    {
        yield return "BEGIN:VTIMEZONE";
        yield return "TZID:" + zoneId;
        var transitions = Transitions(zone, now.Year - 1, now.Year + 1);
        if (transitions.Count == 0)
        {
            var offset = zone.GetUtcOffset(now);
            yield return "BEGIN:STANDARD";
            yield return "DTSTART:19700101T000000";
            yield return "TZOFFSETFROM:" + Offset(offset);
            yield return "TZOFFSETTO:" + Offset(offset);
            yield return "TZNAME:" + IcsText(zone.StandardName.Length is > 0 and < 20 ? zone.StandardName : Offset(offset));
            yield return "END:STANDARD";
        }

        foreach (var (atUtc, from, to) in transitions)
        {
            var daylight = zone.IsDaylightSavingTime(atUtc.AddMinutes(1));
            var kind = daylight ? "DAYLIGHT" : "STANDARD";
            yield return "BEGIN:" + kind;
            // DTSTART is the local time at which the transition happens, on the old offset's clock.
            yield return "DTSTART:" + (atUtc.UtcDateTime + from).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
            yield return "TZOFFSETFROM:" + Offset(from);
            yield return "TZOFFSETTO:" + Offset(to);
            yield return "END:" + kind;
        }

        yield return "END:VTIMEZONE";
    }

    /// <summary>Offset changes of <paramref name="zone"/> in the given years, found by scanning days and bisecting to the minute.</summary>
    public static List<(DateTimeOffset AtUtc, TimeSpan From, TimeSpan To)> Transitions(TimeZoneInfo zone, int firstYear, int lastYear)
    {
        var result = new List<(DateTimeOffset, TimeSpan, TimeSpan)>();
        var start = new DateTimeOffset(firstYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(lastYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var previous = zone.GetUtcOffset(start);
        for (var t = start.AddHours(6); t <= end; t = t.AddHours(6))
        {
            var current = zone.GetUtcOffset(t);
            if (current == previous)
            {
                continue;
            }

            var lo = t.AddHours(-6);
            var hi = t;
            while (hi - lo > TimeSpan.FromMinutes(1))
            {
                var mid = lo + ((hi - lo) / 2);
                if (zone.GetUtcOffset(mid) == previous)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            var at = new DateTimeOffset(hi.UtcDateTime.Ticks - (hi.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            result.Add((at, previous, current));
            previous = current;
        }

        return result;
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    private static string IcsText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    /// <summary>Folds a content line at 75 octets (UTF-8), never inside a character, continuing with a space.</summary>
    private static string Fold(string line)
    {
        var bytes = Encoding.UTF8.GetByteCount(line);
        if (bytes <= 75)
        {
            return line;
        }

        var sb = new StringBuilder();
        var count = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (count + size > limit)
            {
                sb.Append("\r\n ");
                count = 0;
                limit = 74;
            }

            sb.Append(rune.ToString());
            count += size;
        }

        return sb.ToString();
    }
}

/// <summary>Everything stored for one group, collection by collection, as JSON arrays: the "everything" of the JSON export.</summary>
public interface IGroupDataArchive
{
    IReadOnlyDictionary<string, string> Collections(GroupId group);
}
