using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Web;

/// <summary>What a group is called on its pages.</summary>
public static class GroupNames
{
    /// <summary>The name when the moderators set none and the platform gave none.</summary>
    public const string Fallback = "Reading group";

    /// <summary>The moderators' <c>/settings name</c>, else the platform's name for the workspace, else <see cref="Fallback"/>.</summary>
    public static string Of(Group group) =>
        group.Setting(SettingCatalogue.Name) is { Length: > 0 } name ? name
        : group.PlatformName.Length > 0 ? group.PlatformName
        : Fallback;
}

/// <summary>A week of the plan: its paper (or a break, or nothing yet), when the group meets, who presents.</summary>
public sealed record PlannedWeek(WeekKey Week, LibraryItem? Item, bool IsBreak, DateTimeOffset Meeting, string? Presenter, bool AutoPicked);

/// <summary>The week's paper with who suggested it and why, and how much it was discussed.</summary>
public sealed record ThisWeek(PlannedWeek Plan, Suggestion? Suggestion, int DiscussionCount)
{
    /// <summary>Who is going to the week's meeting, members off the leaderboard counted but not named.</summary>
    public RsvpTally Going { get; init; } = new(0, 0, []);
}

/// <summary>An open suggestion as the home page ranks it.</summary>
public sealed record QueuedPaper(LibraryItem? Item, Suggestion Suggestion);

/// <summary>A member's WAYR post of this week.</summary>
public sealed record ReadingNow(WayrPost Post, LibraryItem? Item);

/// <summary>
/// Everything the home page shows, read once per request: the week, the coming weeks, the queue, this week's WAYR,
/// the top of the leaderboard and how many members were active each week.
/// </summary>
public sealed record GroupHome(
    string Name,
    WeekKey Current,
    bool WayrClosed,
    ThisWeek ThisWeek,
    IReadOnlyList<PlannedWeek> NextWeeks,
    IReadOnlyList<QueuedPaper> Queue,
    int QueueTotal,
    IReadOnlyList<ReadingNow> ReadingNow,
    IReadOnlyList<LeaderboardRow> Leaders,
    WeekKey? StandingsAsOf,
    IReadOnlyList<Charts.WeeklyCount> ActiveMembers);

/// <summary>A paper's history in the group: its suggestion, the weeks it was picked, WAYR posts, notes and passes, each oldest first.</summary>
public sealed record PaperHistory(
    LibraryItem Item,
    Suggestion? Suggestion,
    IReadOnlyList<WeekPlan> Picked,
    IReadOnlyList<WayrPost> Mentions,
    IReadOnlyList<DiscussionNote> Notes,
    IReadOnlyList<ReadingProgress> Passes)
{
    /// <summary>Semantic Scholar's facts about the paper (TLDR, citations, venue, open-access PDF), as card fields.</summary>
    public IReadOnlyList<Replies.CardField> Enrichment { get; init; } = [];
}

/// <summary>Reads what the group's pages show; the host renders it. Every query is keyed by the group.</summary>
public sealed class GroupPageQuery(
    LibraryService library,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    IDiscussionStore discussions,
    IWayrStore wayr,
    IProgressStore progress,
    IStreakStore streaks,
    IMemberStore members,
    IEnrichmentStore enrichments,
    RsvpTallies rsvps,
    TimeProvider time)
{
    /// <summary>How many coming weeks the home page lists after this one.</summary>
    public const int NextWeekCount = 4;

    /// <summary>The leaderboard's top on the home page.</summary>
    public const int LeaderCount = 10;

    /// <summary>Weeks in the members' activity strip.</summary>
    public const int ActivityWeeks = 12;

    public GroupHome Home(Group group, int queueCount)
    {
        var zone = group.Zone();
        var current = WeekKey.Of(time.GetUtcNow(), zone);
        var upcoming = plans.Range(group.Id, current, current.Advance(NextWeekCount)).ToDictionary(p => p.Week);
        var weeks = Enumerable.Range(0, NextWeekCount + 1).Select(i => Plan(group, current.Advance(i), upcoming.GetValueOrDefault(current.Advance(i)))).ToList();
        var thisWeek = weeks[0];
        var thisKey = thisWeek.Item?.Paper.Key;
        var week = new ThisWeek(thisWeek, thisKey is null ? null : suggestions.Find(group.Id, thisKey), thisKey is null ? 0 : discussions.ForWeek(group.Id, current).Count(n => n.PaperKey == thisKey))
        {
            Going = rsvps.Of(group.Id, current),
        };

        var ranked = WeeklyPaperService.Rank(suggestions.ListOpen(group.Id));
        var queue = ranked.Take(queueCount).Select(s => new QueuedPaper(library.FindByKey(group.Id, s.PaperKey), s)).ToList();

        var posts = wayr.PostsBetween(group.Id, current.Advance(1 - ActivityWeeks), current);
        var readingNow = posts.Where(p => p.Week == current).Select(p => new ReadingNow(p, p.PaperKey is null ? null : library.FindByKey(group.Id, p.PaperKey))).ToList();
        var active = posts.GroupBy(p => p.Week).ToDictionary(g => g.Key, g => g.Select(p => p.Author).Distinct(StringComparer.Ordinal).Count());
        var activity = Enumerable.Range(0, ActivityWeeks).Select(i => current.Advance(i - ActivityWeeks + 1)).Select(w => new Charts.WeeklyCount(w, active.GetValueOrDefault(w))).ToList();

        var optedOut = members.List(group.Id).Where(m => m.Setting(SettingCatalogue.Leaderboard) == "off").Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
        var leaders = streaks.Standings(group.Id, out var asOf).Where(r => !optedOut.Contains(r.Member)).Take(LeaderCount).ToList();
        return new GroupHome(GroupNames.Of(group), current, wayr.FindWeek(group.Id, current) is { Closed: true }, week, weeks.Skip(1).ToList(), queue, ranked.Count, readingNow, leaders, asOf, activity);
    }

    public PaperHistory Paper(Group group, LibraryItem item)
    {
        var key = item.Paper.Key;
        var zone = group.Zone();
        var current = WeekKey.Of(time.GetUtcNow(), zone);
        // A paper can only be picked for a week after it joined the library (a pick adds it first).
        var picked = plans.Range(group.Id, WeekKey.Of(item.Entry.AddedAt, zone).Previous(), current.Advance(52))
            .Where(p => p.PaperKey == key && p.State == WeekPlanState.Planned).OrderBy(p => p.Week).ToList();
        return new PaperHistory(
            item,
            suggestions.Find(group.Id, key),
            picked,
            wayr.PostsForPaper(group.Id, key).OrderBy(p => p.Week).ThenBy(p => p.Number).ToList(),
            discussions.ForPaper(group.Id, key).OrderBy(n => n.At).ToList(),
            progress.ForPaper(group.Id, key).OrderBy(p => p.At).ToList())
        {
            Enrichment = EnrichmentFields.For(enrichments.Find(key), item.Paper),
        };
    }

    private PlannedWeek Plan(Group group, WeekKey week, WeekPlan? plan)
    {
        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
        var item = plan is { State: WeekPlanState.Planned, PaperKey: { } key } ? library.FindByKey(group.Id, key) : null;
        return new PlannedWeek(week, item, plan?.State == WeekPlanState.Skipped, meeting, plan?.Presenter, plan?.AutoPicked == true);
    }
}
