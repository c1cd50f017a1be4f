using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Wayr;

namespace ReadingBot.Core.Weeks;

/// <summary>Puts the weekly sessions into the calendar export and the announcements and digests into the feed.</summary>
public sealed class WeeklyExportContributions(
    IGroupStore groups,
    IWeekPlanStore plans,
    IWayrStore wayr,
    IDigestStore digests,
    LibraryService library,
    TimeProvider time) : IExportContributions
{
    /// <summary>How long a calendar session lasts.</summary>
    public static readonly TimeSpan SessionLength = TimeSpan.FromHours(1);

    /// <summary>How far back and ahead of this week the calendar reaches.</summary>
    internal const int CalendarWeeksBack = 52;

    internal const int CalendarWeeksAhead = 26;

    /// <summary>
    /// One event per planned or skipped week, its UID the week's (stable across picks and moves), its SEQUENCE the
    /// week's stored revision; a skipped week stays in the feed as cancelled so clients drop it.
    /// </summary>
    public IReadOnlyList<CalendarEvent> CalendarEvents(GroupId group)
    {
        if (groups.Find(group) is not { } g)
        {
            return [];
        }

        var now = WeekKey.Of(time.GetUtcNow(), g.Zone());
        var events = new List<CalendarEvent>();
        foreach (var plan in plans.Range(group, now.Advance(-CalendarWeeksBack), now.Advance(CalendarWeeksAhead)))
        {
            var uid = $"{group.Value}/{plan.Week}";
            var meeting = WeekRevisions.MeetingOf(g, plan.Week);
            if (plan.State == WeekPlanState.Skipped)
            {
                events.Add(new CalendarEvent(uid, "Reading group: no session this week", meeting, SessionLength, Sequence: plan.Revision, Cancelled: true));
            }
            else if (plan.PaperKey is { } key && library.FindByKey(group, key) is { } item)
            {
                events.Add(new CalendarEvent(uid, $"Reading group: {item.Label} {item.Title}", meeting, SessionLength,
                    PaperCards.Byline(item.Paper), item.Paper.Url, plan.Revision));
            }
        }

        return events;
    }

    public IReadOnlyList<FeedEntry> FeedEntries(GroupId group)
    {
        if (groups.Find(group) is not { } g)
        {
            return [];
        }

        var zone = g.Zone();
        var nowInstant = time.GetUtcNow();
        var now = WeekKey.Of(nowInstant, zone);
        var picks = PlannedWeeks(group, now.Advance(-52), now)
            .Select(p => (p, At: AnnounceAt(g, p.Plan.Week, zone)))
            .Where(x => x.At <= nowInstant)
            .Select(x => new FeedEntry($"urn:readingbot:{group.Value}:pick:{x.p.Plan.Week}", $"Paper of the week {x.p.Plan.Week}: {x.p.Item.Title}", x.At, x.p.Item.Paper.Url,
                PaperCards.Byline(x.p.Item.Paper)));
        var closed = wayr.ClosedWeeks(group, 52)
            .Select(w => digests.Find(group, w.Week))
            .OfType<Digest>()
            .Select(d => new FeedEntry($"urn:readingbot:{group.Value}:digest:{d.Week}", d.Title, d.CreatedAt, null,
                string.Join("\n", d.Sections.Select(s => s.Heading + ": " + string.Join("; ", s.Lines)))));
        return picks.Concat(closed).OrderByDescending(e => e.Updated).ToList();
    }

    private static DateTimeOffset AnnounceAt(Group g, WeekKey week, TimeZoneInfo zone) =>
        WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(g), zone);

    private IEnumerable<(WeekPlan Plan, LibraryItem Item)> PlannedWeeks(GroupId group, WeekKey from, WeekKey to) =>
        plans.Range(group, from, to)
            .Where(p => p.State == WeekPlanState.Planned && p.PaperKey is not null)
            .Select(p => (Plan: p, Item: library.FindByKey(group, p.PaperKey!)))
            .Where(x => x.Item is not null)
            .Select(x => (x.Plan, x.Item!));
}
