using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// With <c>/settings discord-events on</c>, the week's meeting as one native calendar event on the group's platform
/// (<see cref="INativeEvents"/>): created when the paper is announced, changed when a moderator changes the pick or
/// the meeting time, cancelled when the week becomes a break. One scheduler event per revision of the week's plan
/// (every pick, skip and time change raises it), so each change is claimed and applied once, under the scheduler's
/// lease and retry rules. The event's id is kept per group and week in the adapter state; before creating one, the
/// platform's events are searched for this week's marker, so a create whose id was never stored (a crash after the
/// request) is found instead of made twice. A refused permission is kept for /week to tell moderators, and retried
/// only at the scheduler's failed-post pace.
/// </summary>
public sealed class NativeEventJob(
    IWeekPlanStore plans,
    LibraryService library,
    IAdapterStateStore state,
    IEnumerable<INativeEvents> platforms,
    TimeProvider time,
    ILogger<NativeEventJob> logger) : IScheduledJob
{
    public const string KindPrefix = "native-event-r";
    private const int MaxDescription = 1000;
    private readonly Dictionary<string, INativeEvents> byPlatform = platforms.ToDictionary(p => p.Platform, StringComparer.Ordinal);

    /// <summary>Where the id of a week's event is kept (empty after it was cancelled).</summary>
    public static string EventKey(GroupId group, WeekKey week) => $"native-event|{group.Value}|{week}";

    /// <summary>Where the platform's last refusal is kept for moderators (empty once an event went through).</summary>
    public static string ProblemKey(GroupId group) => $"native-event-problem|{group.Value}";

    /// <summary>The tag in the event's description that names the group and week, short and free of ids members would read.</summary>
    public static string Marker(GroupId group, WeekKey week) =>
        $"rb-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(group.Value)))[..10]}-{week}";

    /// <summary>The group's platform's events, when it has them.</summary>
    public INativeEvents? For(Group group) => byPlatform.GetValueOrDefault(group.Platform);

    public bool Handles(string kind) => kind.StartsWith(KindPrefix, StringComparison.Ordinal);

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week)
    {
        if (group.Setting(WeeklySchedule.NativeEvents) != "on" || !byPlatform.ContainsKey(group.Platform) || plans.Find(group.Id, week) is not { } plan)
        {
            return [];
        }

        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), group.Zone());
        // Never before the announcement; a pick made after it is applied at once. Later changes raise the revision
        // and so make a new event of the same time, already due: it runs on the next pass. Until the meeting, so
        // past the catch-up window too (the job itself stops once the meeting has begun).
        var at = plan.PickedAt is { } picked && picked > announce ? picked : announce;
        return [new ScheduledEvent(week, KindPrefix + plan.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), at, RunWhenLate: true)];
    }

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        if (For(group) is not { } native)
        {
            return (ScheduledPostState.Skipped, "this platform has no native events");
        }

        var meeting = WeekRevisions.MeetingOf(group, due.Week);
        if (meeting <= time.GetUtcNow())
        {
            return (ScheduledPostState.Skipped, "the meeting has begun");
        }

        var key = EventKey(group.Id, due.Week);
        var marker = Marker(group.Id, due.Week);
        var stored = state.Get(key) is { Length: > 0 } id ? id : null;
        var plan = plans.Find(group.Id, due.Week);
        try
        {
            if (plan is not { State: WeekPlanState.Planned, PaperKey: { } paperKey } || library.FindByKey(group.Id, paperKey) is not { } item)
            {
                var existing = stored ?? await native.FindAsync(group.Address, marker, cancellationToken);
                if (existing is null)
                {
                    return (ScheduledPostState.Skipped, "no paper this week");
                }

                await native.CancelAsync(group.Address, existing, cancellationToken);
                state.Set(key, "");
                return (ScheduledPostState.Posted, "cancelled " + existing);
            }

            var spec = Spec(due.Week, plan, item, meeting, marker);
            if (stored is not null && await native.UpdateAsync(group.Address, stored, spec, cancellationToken))
            {
                Resolved(group);
                return (ScheduledPostState.Posted, "updated " + stored);
            }

            // No id kept, or its event is gone: find one an uncertain create made, else create it.
            var found = await native.FindAsync(group.Address, marker, cancellationToken);
            if (found is not null && await native.UpdateAsync(group.Address, found, spec, cancellationToken))
            {
                state.Set(key, found);
                Resolved(group);
                return (ScheduledPostState.Posted, "found and updated " + found);
            }

            var created = await native.CreateAsync(group.Address, spec, cancellationToken);
            state.Set(key, created);
            Resolved(group);
            return (ScheduledPostState.Posted, "created " + created);
        }
        catch (NativeEventsRefusedException ex)
        {
            logger.LogWarning("Group {Group}: the {Platform} event of {Week} was refused: {Reason}", group.Id, native.DisplayName, due.Week, ex.Message);
            state.Set(ProblemKey(group.Id), ex.Message);
            return (ScheduledPostState.Failed, ex.Message);
        }
    }

    private void Resolved(Group group)
    {
        if (state.Get(ProblemKey(group.Id)) is { Length: > 0 })
        {
            state.Set(ProblemKey(group.Id), "");
        }
    }

    private static NativeEventSpec Spec(WeekKey week, WeekPlan plan, LibraryItem item, DateTimeOffset meeting, string marker)
    {
        var name = item.Title.Length <= 100 ? item.Title : item.Title[..99] + "…";
        var tail = $"\n\nReadingBot {marker}";
        var text = $"Paper of the week {week}: {item.Label} {item.Title}\n{item.Paper.Url}\n\n"
            + "Read it before the meeting, discuss in the thread or with /discuss, and tell the group you're coming with /week rsvp yes.";
        if (text.Length + tail.Length > MaxDescription)
        {
            text = text[..(MaxDescription - tail.Length - 1)] + "…";
        }

        return new NativeEventSpec(name, text + tail, meeting, meeting + WeeklyExportContributions.SessionLength, plan.ChannelId, plan.ThreadId, marker);
    }
}
