using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Follows;

/// <summary>
/// The personal weekly list: at the WAYR close (the digest's time, in the group's zone), each member who turned on
/// <c>/settings follow-dm</c> gets a direct message with the week's new papers by who and what they follow, each
/// with its "Add to library" button. Each member gets it once a week: a member already sent to is recorded before
/// the next, and a resend after a crash carries the same key. A member whose direct messages are closed is told
/// nothing more: the setting is turned off (they can turn it on again), so the bot does not knock every week.
/// </summary>
public sealed class FollowDigestJob(FollowService follows, IMemberStore members, MemberDirectMessages direct) : IScheduledJob
{
    public const string Kind = "follow-dm";
    private const int MaxItems = 15;

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week) => [new(week, Kind, WayrSettings.ClosesAt(group, week))];

    public bool Handles(string kind) => kind == Kind;

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        if (run.Late)
        {
            return (ScheduledPostState.Skipped, "late: weekly follow lists are not sent after the catch-up window");
        }

        var weekStart = WeeklySchedule.ToInstant(due.Week.Monday, TimeOnly.MinValue, group.Zone());
        var asked = members.List(group.Id).Where(m => m.Setting(SettingCatalogue.FollowDm) == "on");
        return await direct.SendAsync(group, run, asked, member => List(group, member, weekStart, due), SettingCatalogue.FollowDm, "Weekly follow list", cancellationToken);
    }

    /// <summary>The member's matches of the week, best first by their model; null when there are none.</summary>
    private ListReply? List(Group group, Member member, DateTimeOffset weekStart, ScheduledEvent due)
    {
        var matches = follows.MatchesFor(group.Id, member.UserId, weekStart, due.At, withGroups: false).Take(MaxItems).Select(FollowService.MatchItem).ToList();
        return matches.Count == 0 ? null : new ListReply($"New from who and what you follow — week {due.Week}", matches,
            Footer: "Not for you? /dislike <arXiv id> hides a paper and teaches your recommendations. Turn this weekly message off with /settings follow-dm off.");
    }
}
