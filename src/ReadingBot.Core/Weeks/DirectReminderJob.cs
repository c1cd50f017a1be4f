using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Progress;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// Opt-in personal reminders: each member who set <c>/settings remind-me 1d,1h</c> gets a direct message that long
/// before the meeting of each week with a paper, with the paper, its link, the meeting time and where they are with
/// it. One scheduler event per offset that any member asked for, so the claim, lease and catch-up rules of the
/// channel reminders apply; within it, each member sent to is recorded (per week, offset and member) before the
/// next, so a resend after a crash skips them and the post carries the same key. Members who answered "Not this
/// week" get none. A member whose direct messages are closed is noted once: the setting is turned off.
/// </summary>
public sealed class DirectReminderJob(
    IWeekPlanStore plans,
    IMemberStore members,
    IRsvpStore rsvps,
    IProgressStore progress,
    LibraryService library,
    MemberDirectMessages direct) : IScheduledJob
{
    public const string KindPrefix = "remind-dm-";

    public bool Handles(string kind) => kind.StartsWith(KindPrefix, StringComparison.Ordinal);

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week)
    {
        var offsets = members.List(group.Id)
            .SelectMany(m => WeeklySchedule.ParseDurations(m.Setting(WeeklySchedule.RemindMe)))
            .Distinct().OrderByDescending(o => o).ToList();
        if (offsets.Count == 0)
        {
            return [];
        }

        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
        // As for the channel's reminders: never before the paper is announced.
        return offsets.Where(o => meeting - o > announce)
            .Select(o => new ScheduledEvent(week, KindPrefix + WeeklySchedule.Format(o), meeting - o, o)).ToList();
    }

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        if (run.Late)
        {
            return (ScheduledPostState.Skipped, "late: a reminder after its time is no reminder");
        }

        var plan = plans.Find(group.Id, due.Week);
        if (plan?.PaperKey is not { } paperKey || plan.State != WeekPlanState.Planned || library.FindByKey(group.Id, paperKey) is not { } item)
        {
            return (ScheduledPostState.Skipped, "no paper this week");
        }

        var offset = due.ReminderOffset!.Value;
        var meeting = due.At + offset;
        var asked = members.List(group.Id).Where(m => WeeklySchedule.ParseDurations(m.Setting(WeeklySchedule.RemindMe)).Contains(offset)
            && rsvps.Find(group.Id, due.Week, m.UserId)?.Answer != RsvpAnswer.NotGoing);
        return await direct.SendAsync(group, run, asked, m => Reminder(group, item, meeting, offset, m), WeeklySchedule.RemindMe, "Meeting reminder", cancellationToken);
    }

    private CardReply Reminder(Group group, LibraryItem item, DateTimeOffset meeting, TimeSpan offset, Member member)
    {
        var latest = progress.ForMember(group.Id, member.UserId).Where(p => p.PaperKey == item.Paper.Key).OrderByDescending(p => p.At).FirstOrDefault();
        var reading = latest is null
            ? "not started: record a pass with /read " + item.Label + " pass1"
            : ProgressService.PassName(latest.Pass) + (latest.Pass == ReadingPass.Done ? "" : $" (record the next with /read {item.Label} <pass>)");
        return new CardReply(new Card($"Reminder: we meet in {WeeklyPaperJob.Spoken(offset)} about {item.Label} {item.Title}", item.Paper.Url)
        {
            Subtitle = PaperCards.Byline(item.Paper),
            Fields =
            [
                new CardField("Meeting", group.MomentOf(meeting, withRelative: true).ToString()),
                new CardField("Link", item.Paper.Url),
                new CardField("Your reading", reading),
            ],
            Footer = "You asked for this with /settings remind-me; /settings remind-me off stops it. Not coming? /week rsvp no",
        });
    }
}
