using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Settings;
using Microsoft.Extensions.Options;

namespace ReadingBot.Core.Papers;

/// <summary>Options for adding papers.</summary>
public sealed class LibraryOptions
{
    /// <summary>Seconds an add waits for the metadata source before storing the paper as pending.</summary>
    [SettingRange(0d, 60d, "a number of seconds from 0.1 to 60", MinimumIsExclusive = true)]
    public double FetchTimeoutSeconds { get; set; } = 5;

    /// <summary>How many papers one page of <c>/paper list</c> shows.</summary>
    [SettingRange(1, 100, "a whole number from 1 to 100")]
    public int PageSize { get; set; } = 20;

    public TimeSpan FetchTimeout => TimeSpan.FromSeconds(FetchTimeoutSeconds);
}

/// <summary>The annotations' checks for <see cref="LibraryOptions"/> (<c>Library:*</c>), generated.</summary>
[OptionsValidator]
public sealed partial class LibraryOptionsAnnotations : IValidateOptions<LibraryOptions>;

/// <summary>A paper found or added (<paramref name="Created"/>), or the reason it could not be.</summary>
public sealed record EnsureResult(LibraryItem? Item, string? Error, bool Created, string? PendingReason);

/// <summary>A paper found in the group's library, or the reason none was.</summary>
public sealed record LibraryLookup(LibraryItem? Item, string? Error);

/// <summary>The group's library: adding papers from any reference, finding them by number or reference, cards and lists.</summary>
public sealed class LibraryService(
    ILibraryStore library,
    IPaperStore papers,
    IMemberStore members,
    IPaperMetadataSource metadata,
    TimeProvider time,
    LibraryOptions options,
    IEnumerable<IPaperCardContributor> contributors,
    PaperSearchIndex index,
    PaperIdentity identity)
{
    public async Task<Reply> AddAsync(Invocation invocation, string reference, string? title, CancellationToken cancellationToken)
    {
        var result = await EnsureAsync(invocation, reference, title, cancellationToken);
        if (result.Item is not { } item)
        {
            return new ErrorReply(result.Error!);
        }

        if (!result.Created)
        {
            return new TextReply($"Already in the library as #{item.Entry.Number}: {item.Title}. Use /paper show #{item.Entry.Number}.");
        }

        var card = PaperCards.Summary(item, invocation.Member.DisplayName);
        var note = result.PendingReason is null
            ? null
            : $"Metadata pending ({result.PendingReason}); it will be filled in when the source answers.";
        return new CardReply(card with { Title = $"Added #{item.Entry.Number}: {item.Title}", Footer = note ?? card.Footer });
    }

    /// <summary>
    /// Finds the paper a member named (a library number or any reference), adding it to the library first when it
    /// is new. Other features (suggestions, picks, WAYR posts) use this so that every paper lands in the library once.
    /// </summary>
    public async Task<EnsureResult> EnsureAsync(Invocation invocation, string reference, string? title, CancellationToken cancellationToken)
    {
        var group = invocation.GroupId;
        if (TryParseNumber(reference, out var number))
        {
            return library.FindByNumber(group, number) is { } byNumber
                ? new EnsureResult(Item(byNumber), null, false, null)
                : new EnsureResult(null, $"There is no paper #{number} in this group's library ({Plural.Count(library.Count(group), "paper")}). Use /paper list to see them.", false, null);
        }

        var parsed = PaperRefParser.Parse(reference);
        if (parsed.Reference is not { } named)
        {
            return new EnsureResult(null, parsed.Error, false, null);
        }

        // A form whose record was merged into another (a NeurIPS link into its DOI) finds that record.
        var paperRef = Canonical(named);
        if (library.FindByPaper(group, paperRef.Key) is { } existing)
        {
            return new EnsureResult(Item(existing), null, false, null);
        }

        var paper = papers.Find(paperRef.Key);
        string? pendingReason = null;
        if (paper is null || paper.State == MetadataState.Pending)
        {
            var result = await FetchWithTimeoutAsync(paperRef, cancellationToken);
            switch (result)
            {
                case MetadataResult.Found found:
                    // The metadata may show that this is a paper stored under another key: one record for both.
                    paper = identity.Reconcile(MetadataSources.Resolved(found.Paper, paperRef, paper, time.GetUtcNow()));
                    if (paper.Key != paperRef.Key && library.FindByPaper(group, paper.Key) is { } same)
                    {
                        return new EnsureResult(Item(same), null, false, null);
                    }

                    break;
                case MetadataResult.NotFound notFound when paperRef.Source == PaperSource.Url && !string.IsNullOrWhiteSpace(title):
                    // A PDF link or a page without meta tags: the member named it, so keep it as a plain link.
                    paper = paper ?? (Paper.Pending(paperRef) with { State = MetadataState.NotFound, LastError = notFound.Reason });
                    break;
                case MetadataResult.NotFound notFound when paperRef.Source == PaperSource.Url:
                    return new EnsureResult(null, $"{Describe(paperRef)} could not be added: {notFound.Reason}. To add it as a plain link, give its title too: /paper add <link> <title>.", false, null);
                case MetadataResult.NotFound notFound:
                    return new EnsureResult(null, $"{Describe(paperRef)} could not be added: {notFound.Reason}. Check the reference and try again.", false, null);
                case MetadataResult.Unavailable unavailable:
                    pendingReason = unavailable.Reason;
                    // Offline, a starter-roadmap classic still gets its known title, authors and venue.
                    var pending = paper ?? StarterRoadmap.PaperFor(paperRef.Key) ?? Paper.Pending(paperRef);
                    paper = pending with
                    {
                        Attempts = pending.Attempts + 1,
                        LastError = unavailable.Reason,
                        NextAttemptAt = time.GetUtcNow() + MetadataSources.Backoff(pending.Attempts + 1),
                    };
                    break;
            }
        }

        var (added, created) = library.Add(group, paper!, invocation.Member.UserId, title, paperRef.Version, time.GetUtcNow());
        var addedItem = new LibraryItem(added, papers.Find(added.PaperKey) ?? paper!);
        if (created)
        {
            index.Added(added, addedItem.Paper);
            index.PaperUpdated(addedItem.Paper);
        }

        return new EnsureResult(addedItem, null, created, pendingReason);
    }

    public Reply Show(Invocation invocation, string reference)
    {
        var lookup = Find(invocation.GroupId, reference);
        if (lookup.Item is not { } item)
        {
            return new ErrorReply(lookup.Error!);
        }

        var adder = members.Find(invocation.GroupId, item.Entry.AddedBy)?.DisplayName ?? item.Entry.AddedBy;
        var card = PaperCards.Full(item, adder, Settings.TimeZones.FindOrUtc(invocation.Group.Setting(Settings.SettingCatalogue.TimeZone)));
        var extra = contributors.SelectMany(c => c.Fields(invocation.GroupId, item)).ToList();
        return new CardReply(extra.Count == 0 ? card : card with { Fields = [.. card.Fields, .. extra] });
    }

    public Reply List(Invocation invocation, int page)
    {
        var group = invocation.GroupId;
        var total = library.Count(group);
        var pages = Math.Max(1, (total + options.PageSize - 1) / options.PageSize);
        if (page < 1 || page > pages)
        {
            return new ErrorReply($"There is no page {page}; the library has {Plural.Count(pages, "page")}.");
        }

        var entries = library.List(group, (page - 1) * options.PageSize, options.PageSize);
        var found = papers.FindMany(entries.Select(e => e.PaperKey).ToList());
        var items = entries
            .Select(e => ItemOf(e, found.GetValueOrDefault(e.PaperKey)))
            .Select(i => new ListItem(PaperCards.Line(i), i.Paper.Url))
            .ToList();
        var footer = pages == 1 ? null
            : page < pages ? $"Page {page} of {pages}; /paper list {page + 1} for more."
            : $"Page {page} of {pages}, the last; /paper list 1 goes back to the start.";
        return new ListReply($"Library ({Plural.Count(total, "paper")})", items, "The library is empty. Add a paper with /paper add <ref>.", footer);
    }

    /// <summary>Finds a paper of the group by <c>#n</c>, by a bare number, or by any reference form.</summary>
    public LibraryLookup Find(GroupId group, string reference)
    {
        if (TryParseNumber(reference, out var number))
        {
            var entry = library.FindByNumber(group, number);
            return entry is null
                ? new LibraryLookup(null, $"There is no paper #{number} in this group's library ({Plural.Count(library.Count(group), "paper")}). Use /paper list to see them.")
                : new LibraryLookup(Item(entry), null);
        }

        var parsed = PaperRefParser.Parse(reference);
        if (parsed.Reference is not { } paperRef)
        {
            return new LibraryLookup(null, parsed.Error);
        }

        var found = library.FindByPaper(group, identity.Canonical(paperRef.Key));
        return found is null
            ? new LibraryLookup(null, $"{Describe(paperRef)} is not in the library yet. Add it with /paper add {CommandBinder.Clip(reference.Trim())}.")
            : new LibraryLookup(Item(found), null);
    }

    /// <summary>The group's library item for a stored paper key, if the group has it.</summary>
    public LibraryItem? FindByKey(GroupId group, string paperKey) =>
        library.FindByPaper(group, paperKey) is { } entry ? Item(entry) : null;

    public LibraryItem Item(LibraryEntry entry) => ItemOf(entry, papers.Find(entry.PaperKey));

    /// <summary>An entry with its stored paper, or a pending one named by its key when the record is missing.</summary>
    private static LibraryItem ItemOf(LibraryEntry entry, Paper? paper) =>
        new(entry, paper ?? Paper.Pending(PaperRef.FromKey(entry.PaperKey)));

    private async Task<MetadataResult> FetchWithTimeoutAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.FetchTimeout);
        try
        {
            return await metadata.FetchAsync(reference, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MetadataResult.Unavailable("the source did not answer in time");
        }
    }

    private PaperRef Canonical(PaperRef named)
    {
        var key = identity.Canonical(named.Key);
        if (key == named.Key)
        {
            return named;
        }

        var target = PaperRef.FromKey(key);
        return target.Source == named.Source ? target with { Version = named.Version } : target;
    }

    private static string Describe(PaperRef reference) => reference.Source switch
    {
        PaperSource.Arxiv => $"arXiv:{reference.Id}",
        PaperSource.Doi => $"DOI {reference.Id}",
        PaperSource.OpenReview => $"OpenReview {reference.Id}",
        _ => reference.Id,
    };

    /// <summary>Reads <c>#12</c> (or a bare <c>12</c>) as a library number.</summary>
    public static bool TryParseNumber(string reference, out int number)
    {
        var text = reference.Trim();
        if (text.StartsWith('#'))
        {
            text = text[1..];
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0 && text.Length <= 7;
    }
}
