using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// The weeks a moderator's pick or skip may still change: from the first week whose paper has not gone out, up to
/// <see cref="MaxAhead"/> weeks later, and this week too, announced or not, until its meeting starts (a wrong pick
/// fixed or the meeting called off; <see cref="WeekChangeNoticeJob"/> then tells the group).
/// <see cref="WeeklyPaperService"/> asks it before it plans a week.
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
    /// True when the week's paper announcement went out with a paper (the plan keeps its channel through later picks
    /// and a skip), or is going out right now: a change is then a change of plan the group is told about. Past the
    /// announcement time with nothing announced (the group started mid-week, the bot was down, or the announcement
    /// said no paper was picked), a pick is announced at once by <see cref="WeeklyPaperJob"/> instead.
    /// </summary>
    public bool IsAnnounced(GroupId group, WeekKey week)
    {
        if (plans.Find(group, week) is { ChannelId: not null })
        {
            return true;
        }

        return new[] { WeeklyPaperJob.AnnounceKind, WeeklyPaperJob.LateAnnounceKind }
            .Select(kind => posts.Find(ScheduledPostRecord.KeyOf(group, week, kind)))
            .Any(r => r?.State == ScheduledPostState.Claimed);
    }

    /// <summary>
    /// The week <paramref name="text"/> names (<see cref="WeekKey.TryParseWeekOrDate"/>) when it is open, else the
    /// error to show: not a week, in the past, its meeting already started, or too far ahead.
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

        var now = time.GetUtcNow();
        var current = WeekKey.Of(now, zone);
        if (week == current && week < firstOpen)
        {
            var meeting = WeekRevisions.MeetingOf(group, week);
            return meeting > now
                ? (week, null)
                : (default, $"This week's meeting already started ({group.MomentOf(meeting)}); choose {firstOpen} or later.");
        }

        if (week < firstOpen)
        {
            return (default, $"{week} is in the past. Choose {firstOpen} or later.");
        }

        if (week > firstOpen.Advance(MaxAhead))
        {
            return (default, $"{week} is too far ahead; plan at most {MaxAhead} weeks ahead.");
        }

        return (week, null);
    }
}
