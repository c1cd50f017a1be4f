using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// Raises the revision (the calendar's SEQUENCE) of every week whose meeting a schedule change moved: calendar
/// clients ignore a changed event whose SEQUENCE did not grow.
/// </summary>
internal static class WeekRevisions
{
    /// <summary>When the week's session starts: its meeting time after that week's announcement, in the group's zone.</summary>
    public static DateTimeOffset MeetingOf(Group group, WeekKey week)
    {
        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        return WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
    }

    /// <summary>After the group's settings changed from <paramref name="before"/> to <paramref name="after"/>: touches the weeks whose meeting moved.</summary>
    public static void AfterScheduleChange(IWeekPlanStore plans, Group before, Group after, DateTimeOffset now)
    {
        // One week more each side than the calendar shows, so a zone change near the edge is not missed.
        var week = WeekKey.Of(now, after.Zone());
        var moved = plans.Range(after.Id, week.Advance(-WeeklyExportContributions.CalendarWeeksBack - 1), week.Advance(WeeklyExportContributions.CalendarWeeksAhead + 1))
            .Where(p => MeetingOf(before, p.Week) != MeetingOf(after, p.Week))
            .Select(p => p.Week)
            .ToList();
        if (moved.Count > 0)
        {
            plans.Touch(after.Id, moved);
        }
    }
}
