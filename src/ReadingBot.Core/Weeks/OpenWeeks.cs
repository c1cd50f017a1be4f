using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// The weeks a moderator's pick or skip may still change: from the first week whose paper has not gone out, up to
/// <see cref="MaxAhead"/> weeks later. <see cref="WeeklyPaperService"/> asks it before it plans a week.
/// </summary>
internal sealed class OpenWeeks(IWeekPlanStore plans, IScheduledPostStore posts, TimeProvider time)
{
    /// <summary>How many weeks ahead a pick may be made.</summary>
    public const int MaxAhead = 104;

    /// <summary>The first week a pick or skip may change: this week until its announcement is due, then next week.</summary>
    public WeekKey First(Group group, TimeZoneInfo zone)
    {
        var now = time.GetUtcNow();
        var current = WeekKey.Of(now, zone);
        return WeeklySchedule.InstantOf(current, WeeklySchedule.AnnounceTime(group), zone) > now ? current : current.Next();
    }

    /// <summary>
    /// True when the week's paper announcement went out with a paper, or is going out right now: a pick or skip can then
    /// no longer change the week. Past the announcement time with nothing announced (the group started mid-week, the
    /// bot was down, or the announcement said no paper was picked), the week is still open and a pick is announced at
    /// once by <see cref="WeeklyPaperJob"/>.
    /// </summary>
    public bool IsAnnounced(GroupId group, WeekKey week)
    {
        if (plans.Find(group, week) is { State: WeekPlanState.Planned, ChannelId: not null })
        {
            return true;
        }

        return new[] { WeeklyPaperJob.AnnounceKind, WeeklyPaperJob.LateAnnounceKind }
            .Select(kind => posts.Find(ScheduledPostRecord.KeyOf(group, week, kind)))
            .Any(r => r?.State == ScheduledPostState.Claimed);
    }

    /// <summary>
    /// The week <paramref name="text"/> names (<see cref="WeekKey.TryParseWeekOrDate"/>) when it is open, else the
    /// error to show: not a week, in the past, already announced, or too far ahead.
    /// </summary>
    public (WeekKey Week, string? Error) Choose(string text, WeekKey firstOpen, Group group, TimeZoneInfo zone)
    {
        if (!WeekKey.TryParseWeekOrDate(text, out var week))
        {
            var paper = PaperRefParser.Parse(text).Reference is not null || text.TrimStart().StartsWith('#');
            return (default, paper
                ? $"'{CommandBinder.Clip(text)}' is a paper, not a week. Give a date in the week, such as 2026-12-03, or a week, such as 2026-W49."
                : $"'{CommandBinder.Clip(text)}' is not a date or a week. Use a date such as 2026-12-03 or a week such as 2026-W49.");
        }

        var current = WeekKey.Of(time.GetUtcNow(), zone);
        if (week == current && week < firstOpen && !IsAnnounced(group.Id, week))
        {
            return (week, null);
        }

        if (week < firstOpen)
        {
            return (default, week < current
                ? $"{week} is in the past. Choose {firstOpen} or later."
                : $"This week's paper was already announced ({WeeklySchedule.AnnounceTime(group)}). Choose {firstOpen} or later.");
        }

        if (week > firstOpen.Advance(MaxAhead))
        {
            return (default, $"{week} is too far ahead; plan at most {MaxAhead} weeks ahead.");
        }

        return (week, null);
    }
}
