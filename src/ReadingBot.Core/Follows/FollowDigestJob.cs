using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
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
public sealed class FollowDigestJob(IFollowStore follows, Recommendations.IDislikeStore dislikes, Recommendations.RecommendationEngine engine, IMemberStore members, IAdapterStateStore state, OutboundMessenger outbound, ILogger<FollowDigestJob> logger) : IScheduledJob
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
        var sent = 0;
        var closed = 0;
        foreach (var member in members.List(group.Id).Where(m => m.Setting(SettingCatalogue.FollowDm) == "on"))
        {
            var sentKey = $"{run.Key}|{member.UserId}";
            if (state.Get(sentKey) is not null)
            {
                continue;
            }

            var hidden = dislikes.ForMember(group.Id, member.UserId).ToHashSet(StringComparer.Ordinal);
            var found = follows.Matches(group.Id, member.UserId, weekStart).Where(m => m.FoundAt < due.At && !hidden.Contains(m.PaperKey)).ToList();
            var matches = engine.RankByModel(group.Id, member.UserId, found, m => (m.PaperKey, m.Title)).Take(MaxItems).Select(FollowService.MatchItem).ToList();
            if (matches.Count == 0)
            {
                continue;
            }

            var list = new ListReply($"New from who and what you follow — week {due.Week}", matches,
                Footer: "Not for you? /dislike <arXiv id> hides a paper and teaches your recommendations. Turn this weekly message off with /settings follow-dm off.");
            try
            {
                await outbound.PostAsync(run.Post(group.Address, null, list) with { Key = sentKey, DirectTo = member.UserId }, cancellationToken);
                state.Set(sentKey, "sent");
                sent++;
            }
            catch (DirectMessagesClosedException ex)
            {
                state.Set(sentKey, "closed");
                members.Save(member with { Settings = new Dictionary<string, string>(member.Settings) { [SettingCatalogue.FollowDm.Key] = "off" } });
                logger.LogInformation("Weekly follow list not sent to a member of {Group}: {Reason}; their follow-dm setting is now off", group.Id, ex.Message);
                closed++;
            }
        }

        return (sent > 0 || closed > 0 ? ScheduledPostState.Posted : ScheduledPostState.Skipped, $"{sent} sent, {closed} with direct messages closed");
    }
}
