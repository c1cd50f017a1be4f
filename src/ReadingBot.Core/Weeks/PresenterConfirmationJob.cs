using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// 24 hours before the meeting, the week's presenter (if the plan has one) gets a direct message asking them to
/// confirm, with "I'm ready" / "Can't make it" buttons (<c>week present confirm|decline &lt;week&gt;</c>). One
/// scheduler event per week, so it is claimed and sent once; closed direct messages are noted in its record.
/// </summary>
public sealed class PresenterConfirmationJob(IWeekPlanStore plans, Papers.LibraryService library, OutboundMessenger outbound, ILogger<PresenterConfirmationJob> logger) : IScheduledJob
{
    public const string Kind = "presenter-confirm";
    private static readonly TimeSpan Ahead = TimeSpan.FromHours(24);

    /// <summary>Where the presenter's answer for a week is kept (ready, or declined with who declined).</summary>
    public static string AnswerKey(GroupId group, WeekKey week) => $"presenter-answer|{group.Value}|{week}";

    public bool Handles(string kind) => kind == Kind;

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week)
    {
        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
        return [new ScheduledEvent(week, Kind, meeting - Ahead, Ahead)];
    }

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        if (run.Late)
        {
            return (ScheduledPostState.Skipped, "late");
        }

        if (plans.Find(group.Id, due.Week) is not { State: WeekPlanState.Planned, Presenter: { } presenter, PaperKey: { } paperKey })
        {
            return (ScheduledPostState.Skipped, "no presenter this week");
        }

        var meeting = due.At + Ahead;
        var paper = library.FindByKey(group.Id, paperKey) is { } item ? $"{item.Label} {item.Title}" : paperKey;
        var card = new Card($"You present {paper} in 24 hours")
        {
            Fields = [new CardField("Meeting", group.MomentOf(meeting, withRelative: true).ToString())],
            Body = "Are you ready? If you can't make it, say so and the slot is freed for someone else.",
            Buttons = [new ReplyButton("I'm ready", $"week present confirm {due.Week}"), new ReplyButton("Can't make it", $"week present decline {due.Week}")],
        };
        try
        {
            var posted = await outbound.PostAsync(run.Post(group.Address, null, new CardReply(card)) with { DirectTo = presenter }, cancellationToken);
            return (ScheduledPostState.Posted, posted.MessageId);
        }
        catch (DirectMessagesClosedException ex)
        {
            logger.LogInformation("Presenter confirmation not sent in {Group}: {Reason}", group.Id, ex.Message);
            return (ScheduledPostState.Skipped, "the presenter's direct messages are closed");
        }
    }
}
