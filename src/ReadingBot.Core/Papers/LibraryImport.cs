using System.Globalization;
using System.Text.Json;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using Microsoft.Extensions.Options;

namespace ReadingBot.Core.Papers;

/// <summary>Limits for <c>/paper import</c> (<c>Library:Import:*</c>).</summary>
public sealed class LibraryImportOptions
{
    /// <summary>The most papers one import adds.</summary>
    [SettingRange(1, 1_000_000, "a whole number from 1 to 1000000")]
    public int MaxPapers { get; set; } = 5_000;

    /// <summary>The least seconds between two imports in one group.</summary>
    [SettingRange(0d, 86400d, "a number of seconds from 0 to 86400")]
    public double CooldownSeconds { get; set; } = 60;

    public TimeSpan Cooldown => TimeSpan.FromSeconds(CooldownSeconds);
}

/// <summary>The annotations' checks for <see cref="LibraryImportOptions"/>, generated.</summary>
[OptionsValidator]
public sealed partial class LibraryImportOptionsAnnotations : IValidateOptions<LibraryImportOptions>;

/// <summary>
/// <c>/paper import &lt;url&gt;</c>: reads a ReadingBot JSON export (a <c>/export json</c> file, or another group's
/// <c>library.json</c> feed) and adds its papers to this group's library, in the export's order. This is how a group
/// moves between platforms or between bots.
/// </summary>
/// <remarks>
/// Paper records are shared by every group, so an export cannot rewrite them: a paper the bot already knows keeps its
/// record, and a new one is stored as pending with the export's text, so that its source confirms or replaces it (a
/// plain link keeps the text it came with). Each paper's key is worked out again from its reference, never taken from
/// the file. The importing moderator is the adder: member ids of another group mean nothing here.
/// </remarks>
public sealed class LibraryImport(
    ILibraryStore library,
    IPaperStore papers,
    IDocumentFetcher documents,
    PaperSearchIndex index,
    PaperIdentity identity,
    TimeProvider time,
    LibraryImportOptions options,
    Web.IOwnFeedLinks ownFeeds)
{
    private const int MaxTitle = 300;
    private const int MaxAbstract = 10_000;
    private const int MaxAuthors = 200;
    private const int MaxShort = 500;

    private readonly GroupCooldown importing = new(time, options.Cooldown);

    public async Task<Reply> ImportAsync(Invocation invocation, string url, CancellationToken cancellationToken)
    {
        var group = invocation.GroupId;
        // Entered now so that two imports cannot run at once; a refused import gives its turn back.
        if (!importing.TryEnter(group))
        {
            return new ErrorReply("A library import ran in this group less than a minute ago. Wait a moment and try again.");
        }

        var reply = await ImportOrRefuseAsync(invocation, url, cancellationToken);
        if (reply is ErrorReply)
        {
            importing.Release(group);
        }

        return reply;
    }

    private async Task<Reply> ImportOrRefuseAsync(Invocation invocation, string url, CancellationToken cancellationToken)
    {
        var group = invocation.GroupId;
        IReadOnlyList<LibraryItem> items;
        if (ownFeeds.Resolve(url) is { } own)
        {
            // This bot's own feed: read from the store, not over HTTP (the bot's address may well be private).
            if (own.Group is not { } source)
            {
                return new ErrorReply("That library.json link of this bot does not work: it is mistyped, or its group reset its feed links. Ask that group for its current link with /dashboard feeds. Nothing was imported.");
            }

            items = StoredItems(source);
        }
        else
        {
            var fetched = await documents.FetchExportAsync(url, cancellationToken);
            if (fetched.Text is not { } text)
            {
                return new ErrorReply($"The export could not be fetched: {fetched.Error}.");
            }

            try
            {
                items = JsonExport.ReadJson(text);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
            {
                return new ErrorReply("That file is not a ReadingBot JSON export (make one with /export json, or use a group's library.json feed link). Nothing was imported.");
            }
        }

        if (items.Count == 0)
        {
            return new ErrorReply("That export holds no papers. Nothing was imported.");
        }

        int added = 0, already = 0;
        var failed = new List<string>();
        var numbers = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var item in items.Take(options.MaxPapers))
        {
            var label = $"#{item.Entry.Number.ToString(CultureInfo.InvariantCulture)}";
            if (ReferenceOf(item.Paper) is not { } reference)
            {
                failed.Add($"{label}: not a paper reference this bot reads");
                continue;
            }

            // A form merged into another record here (a link into its DOI) joins that record.
            if (identity.Canonical(reference.Key) is var canonical && canonical != reference.Key)
            {
                reference = PaperRef.FromKey(canonical);
            }

            if (!seen.Add(reference.Key))
            {
                continue;
            }

            if (library.FindByPaper(group, reference.Key) is not null)
            {
                already++;
                continue;
            }

            var record = papers.Find(reference.Key) ?? Imported(item.Paper, reference, now);
            var (entry, created) = library.Add(group, record, invocation.Member.UserId, Clip(item.Entry.GivenTitle, MaxTitle), Clip(item.Entry.VersionRead, 20), now);
            if (!created)
            {
                already++;
                continue;
            }

            var stored = papers.Find(entry.PaperKey) ?? record;
            index.Added(entry, stored);
            index.PaperUpdated(stored);
            numbers.Add(entry.Number);
            added++;
        }

        if (added == 0 && already == 0)
        {
            return new ErrorReply($"None of the export's papers could be used, so nothing was imported. First problems: {string.Join("; ", failed.Take(3))}.");
        }

        var lines = new List<string>
        {
            added == 0
                ? $"Nothing new to import: {Papers(already)} of that export {(already == 1 ? "is" : "are")} already in the library."
                : $"Imported {Papers(added)} as {Range(numbers)}; {Papers(already)} {(already == 1 ? "was" : "were")} already in the library.",
        };
        if (items.Count > options.MaxPapers)
        {
            lines.Add($"Only the first {options.MaxPapers} of the export's {Plural.Count(items.Count, "paper")} were read.");
        }

        if (failed.Count > 0)
        {
            lines.Add($"{failed.Count} could not be used: {string.Join("; ", failed.Take(3))}.");
        }

        if (added > 0)
        {
            lines.Add("Papers new to the bot are checked with their source in the background. See them with /paper list.");
        }

        return new TextReply(string.Join('\n', lines));
    }

    /// <summary>A group's library in number order, as its <c>library.json</c> feed lists it.</summary>
    private List<LibraryItem> StoredItems(GroupId source)
    {
        var all = new List<LibraryItem>();
        var count = library.Count(source);
        for (var skip = 0; skip < count; skip += 1000)
        {
            all.AddRange(library.List(source, skip, 1000).Select(e => new LibraryItem(e, papers.Find(e.PaperKey) ?? Paper.Pending(PaperRef.FromKey(e.PaperKey)))));
        }

        return all;
    }

    /// <summary>The reference the export's paper stands for, worked out from its key and checked by the parser; null when it is not one.</summary>
    private static PaperRef? ReferenceOf(Paper paper)
    {
        if (paper.Key is null)
        {
            return null;
        }

        PaperRef fromKey;
        try
        {
            fromKey = PaperRef.FromKey(paper.Key);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return null;
        }

        var text = fromKey.Source == PaperSource.Arxiv ? "arXiv:" + fromKey.Id : fromKey.Url;
        // An older export may name an old-style arXiv id with its subject class (math.GT/0309136): the parser's
        // form without it (math/0309136) is the same paper.
        return PaperRefParser.Parse(text).Reference is { } parsed
            && (parsed.Key == fromKey.Key || (parsed.Source == PaperSource.Arxiv && fromKey.Source == PaperSource.Arxiv))
            ? parsed
            : null;
    }

    /// <summary>A record for a paper the bot has never seen: the export's text, pending until its source is asked.</summary>
    private static Paper Imported(Paper exported, PaperRef reference, DateTimeOffset now)
    {
        var pending = Paper.Pending(reference);
        return pending with
        {
            Title = Clip(exported.Title, MaxTitle),
            Authors = [.. exported.Authors.Take(MaxAuthors).Select(a => Clip(a, MaxShort)).OfType<string>()],
            Abstract = Clip(exported.Abstract, MaxAbstract),
            Year = exported.Year,
            Venue = Clip(exported.Venue, MaxShort),
            Published = exported.Published,
            Updated = exported.Updated,
            Categories = [.. exported.Categories.Take(20).Select(c => Clip(c, 40)).OfType<string>()],
            PdfUrl = pending.PdfUrl ?? WebLink(exported.PdfUrl),
            JournalRef = Clip(exported.JournalRef, MaxShort),
            CodeUrl = CodeLinks.Find(exported.CodeUrl),
            State = MetadataState.Pending,
            NextAttemptAt = now,
            LastError = "imported from an export; not yet checked with its source",
        };
    }

    private static string? WebLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url!.Length <= 2000 ? url : null;

    private static string? Clip(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length <= max ? text.Trim() : text[..max].Trim();

    private static string Papers(int n) => Plural.Count(n, "paper");

    private static string Range(List<int> numbers) =>
        numbers.Count == 1 ? $"#{numbers[0]}" : $"#{numbers.Min()}–#{numbers.Max()}";
}
