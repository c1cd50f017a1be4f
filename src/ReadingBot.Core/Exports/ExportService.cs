using System.Globalization;
using System.Text;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Exports;

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
            "markdown" => File($"library-{stamp}.md", "text/markdown", MarkdownExport.Markdown(items, Adder), caption + " as Markdown"),
            "bibtex" => File($"library-{stamp}.bib", "application/x-bibtex", BibTexExport.BibTex(items), caption + " as BibTeX"),
            "csv" => File($"library-{stamp}.csv", "text/csv", CsvExport.Csv(items, Adder), caption + " as CSV"),
            "json" => File($"readingbot-{stamp}.json", "application/json", JsonExport.Json(group.Id, items, time.GetUtcNow(), archive.Collections(group.Id)), "Everything this group stored (library, settings, members, suggestions, weeks, discussion, WAYR, progress, streaks, digests) as JSON; another group can import its library with /paper import"),
            "rss" => File($"library-{stamp}.atom", "application/atom+xml", AtomExport.Atom(group.Id, items, contributions.SelectMany(c => c.FeedEntries(group.Id)).ToList(), Adder, time.GetUtcNow()), caption + " as an Atom feed of additions"),
            "ics" => File($"sessions-{stamp}.ics", "text/calendar", CalendarExport.Calendar(group.Id, TimeZones.FindOrUtc(group.Setting(SettingCatalogue.TimeZone)), contributions.SelectMany(c => c.CalendarEvents(group.Id)).ToList(), time.GetUtcNow()), "The group's reading sessions as an iCalendar file"),
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
