using ReadingBot.Core.Groups;

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
