using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using Microsoft.Extensions.Options;

namespace ReadingBot.Core.Roadmaps;

/// <summary>Limits for roadmap imports (<c>Roadmap:*</c>).</summary>
public sealed class RoadmapOptions
{
    /// <summary>The most links one import takes.</summary>
    [SettingRange(1, 10_000, "a whole number from 1 to 10000")]
    public int MaxItems { get; set; } = 300;

    /// <summary>Seconds an import waits for the sources before keeping the rest pending.</summary>
    [SettingRange(0d, 3600d, "a number of seconds from 0.1 to 3600", MinimumIsExclusive = true)]
    public double ImportTimeoutSeconds { get; set; } = 60;

    /// <summary>The least seconds between two imports in one group.</summary>
    [SettingRange(0d, 86400d, "a number of seconds from 0 to 86400")]
    public double ImportCooldownSeconds { get; set; } = 60;

    public TimeSpan ImportTimeout => TimeSpan.FromSeconds(ImportTimeoutSeconds);

    public TimeSpan ImportCooldown => TimeSpan.FromSeconds(ImportCooldownSeconds);
}

/// <summary>The annotations' checks for <see cref="RoadmapOptions"/>, generated.</summary>
[OptionsValidator]
public sealed partial class RoadmapOptionsAnnotations : IValidateOptions<RoadmapOptions>;

/// <summary>
/// <c>/roadmap</c>: the group's reading track (the starter catalogue until a moderator imports one), each member's
/// position on it, and imports from Markdown reading lists.
/// </summary>
public sealed class RoadmapService(
    IRoadmapStore store,
    IPaperStore papers,
    ILibraryStore library,
    IPaperMetadataSource metadata,
    IDocumentFetcher documents,
    TimeProvider time,
    RoadmapOptions options)
{
    private readonly GroupCooldown importing = new(time, options.ImportCooldown);

    /// <summary>The group's roadmap: the imported one, or the starter catalogue.</summary>
    public Roadmap Current(GroupId group) => store.Find(group) ?? StarterRoadmap.Build(group);

    public Reply Show(Invocation invocation)
    {
        var roadmap = Current(invocation.GroupId);
        var items = roadmap.Items.ToList();
        var done = Done(invocation);
        var next = items.FindIndex(i => !done.Contains(i.Item.PaperKey));
        var fields = roadmap.Sections
            .Select(s => new CardField(s.Title, $"{s.Items.Count(i => done.Contains(i.PaperKey))}/{s.Items.Count} read"))
            .ToList();
        var card = new Card($"Roadmap: {roadmap.Title}")
        {
            Subtitle = $"{items.Count(i => done.Contains(i.Item.PaperKey))} of {Plural.Count(items.Count, "paper")} read by {invocation.Member.DisplayName}",
            Fields = fields,
            Footer = roadmap.Source == "starter" ? "The starter roadmap. Moderators can replace it with /roadmap import <link>." : $"Imported from {roadmap.Source}.",
        };
        if (next < 0)
        {
            return new CardReply(card with { Body = "You have read every paper on this roadmap." });
        }

        var (section, item) = items[next];
        return new CardReply(card with
        {
            Body = $"You are at paper {next + 1} of {items.Count} ({section.Title}): {Describe(item)}",
            Url = UrlOf(item),
            Buttons = Buttons(invocation.GroupId, item),
        });
    }

    /// <summary>Marks the member's current roadmap paper as read and shows the next one.</summary>
    public Reply Next(Invocation invocation)
    {
        var roadmap = Current(invocation.GroupId);
        var items = roadmap.Items.ToList();
        if (items.Count == 0)
        {
            return new ErrorReply("The roadmap is empty. A moderator can import one with /roadmap import <link>.");
        }

        var done = Done(invocation);
        var current = items.FindIndex(i => !done.Contains(i.Item.PaperKey));
        if (current < 0)
        {
            return new TextReply($"You have read all {items.Count} papers of {roadmap.Title}. Well done!");
        }

        var finished = items[current].Item;
        MarkRead(invocation.GroupId, invocation.Member.UserId, finished.PaperKey);
        done.Add(finished.PaperKey);
        var next = items.FindIndex(i => !done.Contains(i.Item.PaperKey));
        if (next < 0)
        {
            return new TextReply($"Marked \"{finished.Title}\" as read. That was the last paper of {roadmap.Title}. Well done!");
        }

        var (section, item) = items[next];
        return new CardReply(new Card($"Next on the roadmap ({next + 1} of {items.Count}): {item.Title}", UrlOf(item))
        {
            Subtitle = section.Title,
            Body = Describe(item),
            Fields = [new CardField("Done", $"\"{finished.Title}\" marked as read")],
            Buttons = Buttons(invocation.GroupId, item),
        });
    }

    public Reply List(Invocation invocation)
    {
        var roadmap = Current(invocation.GroupId);
        var done = Done(invocation);
        var lines = new List<ListItem>();
        var n = 0;
        foreach (var section in roadmap.Sections)
        {
            lines.Add(new ListItem($"— {section.Title} —"));
            foreach (var item in section.Items)
            {
                n++;
                var mark = done.Contains(item.PaperKey) ? "[x]" : "[ ]";
                var paper = papers.Find(item.PaperKey);
                var year = (paper?.Year ?? StarterRoadmap.Find(item.PaperKey)?.Year) is { } y ? $" ({y.ToString(CultureInfo.InvariantCulture)})" : "";
                var inLibrary = library.FindByPaper(invocation.GroupId, item.PaperKey) is { } entry ? $" — #{entry.Number}" : "";
                lines.Add(new ListItem($"{mark} {n}. {item.Title}{year}{inLibrary}", UrlOf(item)));
            }
        }

        return new ListReply($"Roadmap: {roadmap.Title} ({Plural.Count(n, "paper")})", lines, "The roadmap is empty. A moderator can import one with /roadmap import <link>.");
    }

    /// <summary>Records that a member finished a roadmap paper (the reading-progress feature calls this too).</summary>
    public void MarkRead(GroupId group, string memberId, string paperKey)
    {
        var progress = store.FindProgress(group, memberId) ?? new RoadmapProgress { Group = group, MemberId = memberId };
        if (progress.Done.Contains(paperKey, StringComparer.Ordinal))
        {
            return;
        }

        store.SaveProgress(progress with { Done = [.. progress.Done, paperKey], UpdatedAt = time.GetUtcNow() });
    }

    public async Task<Reply> ImportAsync(Invocation invocation, string url, CancellationToken cancellationToken)
    {
        var group = invocation.GroupId;
        if (!importing.TryEnter(group))
        {
            return new ErrorReply("A roadmap import ran in this group less than a minute ago. Wait a moment and try again.");
        }

        var fetched = await documents.FetchTextAsync(url, cancellationToken);
        if (fetched.Text is not { } text)
        {
            return new ErrorReply($"The reading list could not be fetched: {fetched.Error}.");
        }

        var list = RoadmapMarkdown.Parse(text);
        if (list.Links.Count == 0)
        {
            return new ErrorReply("That document has no links to papers. A roadmap is a Markdown file whose headings are sections and whose links are papers.");
        }

        var failed = new List<string>();
        var wanted = new List<(MarkdownLink Link, PaperRef Ref)>();
        foreach (var link in list.Links.Take(options.MaxItems))
        {
            var parsed = PaperRefParser.Parse(link.Url);
            if (parsed.Reference is { } r)
            {
                wanted.Add((link, r));
            }
            else
            {
                failed.Add($"line {link.Line}: {link.Title} — {parsed.Error}");
            }
        }

        // Papers already known from any group are not asked for again (the shared record is the cache).
        var toFetch = wanted.Select(w => w.Ref).DistinctBy(r => r.Key)
            .Where(r => papers.Find(r.Key) is not { State: MetadataState.Resolved }).ToList();
        IReadOnlyDictionary<string, MetadataResult> results;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.ImportTimeout);
            try
            {
                results = await MetadataSources.FetchManyAsync(metadata, toFetch, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                results = new Dictionary<string, MetadataResult>();
            }
        }

        int resolved = 0, pending = 0, linkOnly = 0;
        var sections = new List<(string Title, List<RoadmapItem> Items)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var (link, reference) in wanted)
        {
            if (!seen.Add(reference.Key))
            {
                continue;
            }

            var stored = papers.Find(reference.Key);
            var outcome = stored is { State: MetadataState.Resolved } ? new MetadataResult.Found(stored)
                : results.TryGetValue(reference.Key, out var r) ? r
                : new MetadataResult.Unavailable("the sources did not answer in time");
            switch (outcome)
            {
                case MetadataResult.Found found:
                    if (stored is not { State: MetadataState.Resolved })
                    {
                        papers.Save(MetadataSources.Resolved(found.Paper, reference, stored, now));
                    }

                    resolved++;
                    break;
                case MetadataResult.Unavailable unavailable:
                    var attempts = (stored?.Attempts ?? 0) + 1;
                    papers.Save((stored ?? StarterRoadmap.PaperFor(reference.Key) ?? Paper.Pending(reference)) with
                    {
                        State = MetadataState.Pending, Attempts = attempts, LastError = unavailable.Reason, NextAttemptAt = now + MetadataSources.Backoff(attempts),
                    });
                    pending++;
                    break;
                case MetadataResult.NotFound notFound when reference.Source == PaperSource.Url:
                    // A link to a PDF or a page without meta tags: keep it, titled as the document titles it.
                    if (stored is null)
                    {
                        papers.Save(Paper.Pending(reference) with { Title = link.Title, State = MetadataState.NotFound, LastError = notFound.Reason });
                    }

                    linkOnly++;
                    break;
                case MetadataResult.NotFound notFound:
                    failed.Add($"line {link.Line}: {link.Title} — {notFound.Reason}");
                    continue;
            }

            var section = sections.FirstOrDefault(s => s.Title == link.Section);
            if (section.Items is null)
            {
                section = (link.Section, []);
                sections.Add(section);
            }

            section.Items.Add(new RoadmapItem(reference.Key, papers.Find(reference.Key)?.Title ?? link.Title));
        }

        var total = resolved + pending + linkOnly;
        if (total == 0)
        {
            return new ErrorReply($"None of the {list.Links.Count} links could be used, so the roadmap was not changed. First problems: {string.Join("; ", failed.Take(3))}.");
        }

        var title = list.Title ?? url;
        store.Save(new Roadmap
        {
            Group = group,
            Title = title.Length <= 120 ? title : title[..120] + "…",
            Source = url.Trim(),
            ImportedAt = now,
            ImportedBy = invocation.Member.UserId,
            Sections = sections.Select(s => new RoadmapSection(s.Title, s.Items)).ToList(),
        });

        var skipped = list.Links.Count > options.MaxItems ? $" Only the first {options.MaxItems} links were read." : "";
        var summary = $"Imported \"{title}\": {Plural.Count(total, "paper")} in {Plural.Count(sections.Count, "section")}. "
            + $"{resolved} resolved, {pending} pending (the source did not answer; filled in later), {linkOnly} kept as links without metadata, {failed.Count} did not resolve.{skipped}";
        return new ListReply(summary, failed.Take(50).Select(f => new ListItem(f)).ToList(), "Every link resolved.",
            failed.Count > 50 ? $"…and {failed.Count - 50} more." : null);
    }

    private HashSet<string> Done(Invocation invocation) =>
        new(store.FindProgress(invocation.GroupId, invocation.Member.UserId)?.Done ?? [], StringComparer.Ordinal);

    private string Describe(RoadmapItem item)
    {
        var paper = papers.Find(item.PaperKey);
        var starter = StarterRoadmap.Find(item.PaperKey);
        var authors = paper?.Authors is { Count: > 0 } a ? a : starter?.Authors ?? [];
        var byline = authors.Count == 0 ? "" : " — " + (authors.Count <= 3 ? string.Join(", ", authors) : $"{authors[0]} et al.");
        var year = (paper?.Year ?? starter?.Year) is { } y ? $" ({y.ToString(CultureInfo.InvariantCulture)})" : "";
        var note = item.Note is null ? "" : $"\n{item.Note}";
        return $"{item.Title}{byline}{year}{note}";
    }

    private string UrlOf(RoadmapItem item) =>
        papers.Find(item.PaperKey)?.Url ?? StarterRoadmap.PaperFor(item.PaperKey)?.Url ?? PaperRef.FromKey(item.PaperKey).Url;

    private List<ReplyButton> Buttons(GroupId group, RoadmapItem item)
    {
        var reference = PaperRef.FromKey(item.PaperKey);
        var buttons = new List<ReplyButton> { new("Next", "roadmap next") };
        if (library.FindByPaper(group, item.PaperKey) is { } entry)
        {
            buttons.Insert(0, new ReplyButton("Show", $"paper show #{entry.Number}"));
        }
        else
        {
            buttons.Insert(0, new ReplyButton("Add to library", $"paper add {(reference.Source == PaperSource.Arxiv ? reference.Id : reference.Url)}"));
        }

        return buttons;
    }
}
