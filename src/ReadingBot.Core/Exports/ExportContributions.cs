using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Exports;

/// <summary>An event for the calendar export (a weekly session, a deadline).</summary>
/// <param name="Uid">Stable for the event's whole life, so calendar clients update it rather than add another.</param>
/// <param name="Summary">The event's title.</param>
/// <param name="Start">When it starts.</param>
/// <param name="Duration">How long it lasts.</param>
/// <param name="Description">Longer text (the paper's byline), if any.</param>
/// <param name="Url">A link (the paper), if any.</param>
/// <param name="Sequence">The event's revision: calendar clients take a changed event only when it is higher than before.</param>
/// <param name="Cancelled">The event is off (a skipped week): published as STATUS:CANCELLED so clients remove it.</param>
public sealed record CalendarEvent(string Uid, string Summary, DateTimeOffset Start, TimeSpan Duration, string? Description = null, string? Url = null, int Sequence = 0, bool Cancelled = false);

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
