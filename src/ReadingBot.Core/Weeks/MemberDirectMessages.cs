using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// A scheduled event's direct messages to the members who opted in (a weekly list, a meeting reminder): each member
/// is sent to at most once per event, recorded before the next member (so a resend after a crash skips them, and the
/// post carries a per-member key); a member whose direct messages are closed is noted once, by turning their opt-in
/// setting off, instead of being knocked on every week.
/// </summary>
public sealed class MemberDirectMessages(IAdapterStateStore state, IMemberStore members, OutboundMessenger outbound, ILogger<MemberDirectMessages> logger)
{
    /// <summary>Sends each of <paramref name="recipients"/> their message for this run of the event.</summary>
    /// <param name="group">The group the event is for.</param>
    /// <param name="run">The event's run; each member's post carries its key with the member's id.</param>
    /// <param name="recipients">The members who opted in.</param>
    /// <param name="message">The member's message, or null when there is nothing to tell them this time.</param>
    /// <param name="optIn">The member setting that asked for these messages; turned off when their DMs are closed.</param>
    /// <param name="what">What the messages are, for the log ("Weekly follow list").</param>
    /// <param name="cancellationToken">Stops between members.</param>
    public async Task<(ScheduledPostState State, string? Detail)> SendAsync(
        Group group, ScheduledRun run, IEnumerable<Member> recipients, Func<Member, Reply?> message, SettingDefinition optIn, string what, CancellationToken cancellationToken)
    {
        var sent = 0;
        var closed = 0;
        foreach (var member in recipients)
        {
            var sentKey = $"{run.Key}|{member.UserId}";
            if (state.Get(sentKey) is not null || message(member) is not { } content)
            {
                continue;
            }

            try
            {
                await outbound.PostAsync(run.Post(group.Address, null, content) with { Key = sentKey, DirectTo = member.UserId }, cancellationToken);
                state.Set(sentKey, "sent");
                sent++;
            }
            catch (DirectMessagesClosedException ex)
            {
                state.Set(sentKey, "closed");
                members.Save(member with { Settings = new Dictionary<string, string>(member.Settings) { [optIn.Key] = "off" } });
                logger.LogInformation("{What} not sent to a member of {Group}: {Reason}; their {Setting} setting is now off", what, group.Id, ex.Message, optIn.Key);
                closed++;
            }
        }

        return (sent > 0 || closed > 0 ? ScheduledPostState.Posted : ScheduledPostState.Skipped, $"{sent} sent, {closed} with direct messages closed");
    }
}
