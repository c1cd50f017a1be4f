using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// Tells the group once when a moderator changes or skips a week whose paper was already announced: a short notice
/// where the announcement went. What the group was last told (the announced paper, or a notice's) is kept per week in
/// the adapter state; while the plan differs from it, the week has an event keyed by the plan's revision, so the
/// scheduler's claim posts each change once across restarts and processes, and a second change gets its own notice.
/// A change undone before its notice went out (back to the told paper) says nothing.
/// </summary>
public sealed class WeekChangeNoticeJob(IWeekPlanStore plans, LibraryService library, IAdapterStateStore state, IThreadLinkStore threads, OutboundMessenger outbound, TimeProvider time) : IScheduledJob
{
    public const string KindPrefix = "change-notice-r";
    private const string Break = "-";

    /// <summary>Where what the group was last told of a week is kept: the paper's key, or "-" for a break.</summary>
    public static string ToldKey(GroupId group, WeekKey week) => $"week-told|{group.Value}|{week}";

    /// <summary>Records that the group was told <paramref name="paperKey"/> (the announcement calls it).</summary>
    public static void Told(IAdapterStateStore state, GroupId group, WeekKey week, string paperKey) => state.Set(ToldKey(group, week), paperKey);

    public bool Handles(string kind) => kind.StartsWith(KindPrefix, StringComparison.Ordinal);

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week)
    {
        // Nothing told (never announced, or announced before this was recorded) or nothing changed: no notice.
        if (plans.Find(group.Id, week) is not { ChannelId: not null } plan
            || state.Get(ToldKey(group.Id, week)) is not { Length: > 0 } told
            || told == Now(plan))
        {
            return [];
        }

        // Due when the change was made; past the catch-up window too (the job stops once the meeting has begun).
        var at = plan.PickedAt ?? WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), group.Zone());
        return [new ScheduledEvent(week, KindPrefix + plan.Revision.ToString(CultureInfo.InvariantCulture), at, RunWhenLate: true)];
    }

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        var meeting = WeekRevisions.MeetingOf(group, due.Week);
        if (meeting <= time.GetUtcNow())
        {
            return (ScheduledPostState.Skipped, "the meeting has begun");
        }

        var key = ToldKey(group.Id, due.Week);
        if (plans.Find(group.Id, due.Week) is not { ChannelId: not null } plan || Now(plan) == state.Get(key))
        {
            return (ScheduledPostState.Skipped, "nothing changed");
        }

        string text;
        if (plan is { State: WeekPlanState.Planned, PaperKey: { } paperKey })
        {
            if (library.FindByKey(group.Id, paperKey) is not { } item)
            {
                return (ScheduledPostState.Skipped, "the paper is not in the library");
            }

            text = $"Change of plan for {due.Week}: we now read {item.Label} {item.Title} — {item.Paper.Url}. The meeting stays {group.MomentOf(meeting, withRelative: true)}, and your answer to /week rsvp still counts.";
            if (plan.ThreadId is { } threadId)
            {
                // The announcement's thread is now the discussion of the new paper.
                threads.Save(new ThreadLink(group.Id, threadId, ThreadPurpose.Discussion, paperKey, time.GetUtcNow()));
            }
        }
        else
        {
            text = $"{due.Week}'s meeting ({group.MomentOf(meeting)}) is called off: no paper this week. See /week for the coming weeks.";
        }

        var posted = await outbound.PostAsync(run.Post(group.Address, plan.ChannelId, new TextReply(text), inThreadId: plan.ThreadId), cancellationToken);
        state.Set(key, Now(plan));
        return (ScheduledPostState.Posted, posted.MessageId);
    }

    private static string Now(WeekPlan plan) => plan is { State: WeekPlanState.Planned, PaperKey: { } key } ? key : Break;
}
