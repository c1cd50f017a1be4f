using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Weeks;

/// <summary>Scheduler timing (<c>Scheduler:*</c>).</summary>
public sealed class SchedulerOptions
{
    /// <summary>Seconds between scheduler passes over all groups.</summary>
    [SettingRange(1d, 3600d, "a number of seconds from 1 to 3600")]
    public double TickSeconds { get; set; } = 20;

    /// <summary>How late a missed post (the bot was down) may still be made; later, it is recorded as missed.</summary>
    [SettingRange(0d, 168d, "a number of hours from 0 to 168")]
    public double CatchUpHours { get; set; } = 12;

    /// <summary>Minutes after a failed post (deleted channel, no access) before it is tried again, while still in the window.</summary>
    [SettingRange(1d, 1440d, "a number of minutes from 1 to 1440")]
    public double RetryFailedMinutes { get; set; } = 10;

    /// <summary>
    /// Minutes a claim holds while its post is being made. A claim older than this that was never completed (the
    /// process died between claiming and marking) is taken again by the next pass, and the post is resent with the
    /// same key so that the platform (or the adapter) drops it if the first attempt landed. At least a minute, so a
    /// slow but live post is not taken over; at most four, because Discord dedupes a resent nonce only for a few minutes.
    /// </summary>
    [SettingRange(1d, 4d, "a number of minutes from 1 to 4")]
    public double ClaimLeaseMinutes { get; set; } = 2;

    public TimeSpan CatchUpWindow => TimeSpan.FromHours(CatchUpHours);

    public TimeSpan RetryFailedAfter => TimeSpan.FromMinutes(RetryFailedMinutes);

    public TimeSpan ClaimLease => TimeSpan.FromMinutes(ClaimLeaseMinutes);
}

/// <summary>The annotations' checks for <see cref="SchedulerOptions"/>, generated.</summary>
[OptionsValidator]
public sealed partial class SchedulerOptionsAnnotations : IValidateOptions<SchedulerOptions>;

/// <summary>One thing due at an instant for a group's week.</summary>
/// <param name="Week">The week it belongs to.</param>
/// <param name="Kind">What it is (announce, a reminder, the WAYR close …); part of its durable key.</param>
/// <param name="At">When it is due.</param>
/// <param name="ReminderOffset">For reminders: how long before the meeting.</param>
/// <param name="RunWhenLate">True for work that must happen even past the catch-up window (closing a week); it then runs with <c>late</c> set and posts nothing.</param>
public sealed record ScheduledEvent(WeekKey Week, string Kind, DateTimeOffset At, TimeSpan? ReminderOffset = null, bool RunWhenLate = false);

/// <summary>One run of a due event.</summary>
/// <param name="Key">The event's durable key (group, week, kind); posts made for it carry it (<see cref="OutboundPost.Key"/>).</param>
/// <param name="Late">Set when it is past the catch-up window (post nothing then).</param>
/// <param name="EarlierAttemptAt">When an earlier attempt of the same key was claimed, if one was: it crashed or failed, and its post may have reached the platform.</param>
public sealed record ScheduledRun(string Key, bool Late, DateTimeOffset? EarlierAttemptAt = null)
{
    /// <summary>A post for this run: carries the key, and says when the earlier attempt was, so the adapter can drop a resend that already landed.</summary>
    public OutboundPost Post(GroupAddress group, string? channelId, Replies.Reply content, string? threadTitle = null, string? inThreadId = null) =>
        new(group, channelId, content, threadTitle, inThreadId) { Key = Key, EarlierAttemptAt = EarlierAttemptAt };
}

/// <summary>A kind of weekly work: which events a group's week has, and how to run one.</summary>
public interface IScheduledJob
{
    IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week);

    /// <summary>True if this job runs events of this kind.</summary>
    bool Handles(string kind);

    /// <summary>Runs a due event; posts go out with <see cref="ScheduledRun.Post"/> so a resend after a crash is recognised.</summary>
    Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken);
}

/// <summary>
/// One loop for all groups and all weekly jobs (the paper of the week, WAYR). Every event has a durable key
/// (group, week, kind) claimed before it runs, so a restart never posts twice; a claim is a lease, so a crash between
/// the claim and the post does not lose it: once the lease has run out the next pass runs it again, and the post
/// carries the key so the platform drops the resend if the first attempt had landed (Discord's nonce, a Slack
/// history lookup, the local chat's own record). An event the bot was down for runs once on start within the
/// catch-up window, else it is recorded as missed. A failing group is recorded and skipped; the others go on. A
/// group's events run in time order, also across processes: while one is claimed and unfinished, the later ones wait.
/// </summary>
public sealed class WeeklyScheduler(
    IEnumerable<IScheduledJob> jobs,
    IGroupStore groups,
    IScheduledPostStore posts,
    OutboundMessenger outbound,
    SchedulerOptions options,
    TimeProvider time,
    ILogger<WeeklyScheduler> logger,
    IEnumerable<IGroupOwnership> ownership)
{
    private readonly IReadOnlyList<IScheduledJob> jobList = jobs.ToList();
    private readonly ILookup<string, IGroupOwnership> owners = ownership.ToLookup(o => o.Platform, StringComparer.Ordinal);

    /// <summary>Runs everything due at the current time for every group whose platform has a running adapter.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var group in groups.All())
        {
            if (!outbound.Supports(group.Platform) || !Serves(group))
            {
                continue;
            }

            try
            {
                done += await RunGroupAsync(group, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Scheduling failed for group {Group}", group.Id);
            }
        }

        return done;
    }

    /// <summary>
    /// Whether this process runs the group's schedule: another process serves a Discord server of a shard this one
    /// does not run. Skipping it only spares the shared store a claim the other process makes anyway; the claim is
    /// what keeps a post to one process.
    /// </summary>
    private bool Serves(Group group) => owners[group.Platform].All(o => o.Serves(group.Address));

    /// <summary>The events of a group's week from every job, in time order.</summary>
    public IReadOnlyList<ScheduledEvent> EventsOf(Group group, WeekKey week) =>
        jobList.SelectMany(j => j.EventsOf(group, week)).OrderBy(e => e.At).ToList();

    private async Task<int> RunGroupAsync(Group group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var zone = group.Zone();
        var current = WeekKey.Of(now, zone);
        var done = 0;
        // The previous week too: its reminders and its close can fall in this week, and a late start may owe them.
        foreach (var week in new[] { current.Previous(), current, current.Next() })
        {
            foreach (var due in EventsOf(group, week).Where(e => e.At <= now))
            {
                switch (await RunEventAsync(group, due, now, cancellationToken))
                {
                    case EventRun.Posted:
                        done++;
                        break;
                    case EventRun.InFlight:
                        // Another process (or a dead one, until its lease runs out) is running an earlier event of
                        // this group: the later ones wait for the next pass. Where several processes serve a group
                        // (a Slack workspace), this keeps its events in order: an announcement claimed while the
                        // automatic pick is still being made elsewhere would say that nothing was picked.
                        return done;
                }
            }
        }

        return done;
    }

    private enum EventRun
    {
        NotRun,
        Posted,
        InFlight,
    }

    private async Task<EventRun> RunEventAsync(Group group, ScheduledEvent due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ScheduledPostRecord.KeyOf(group.Id, due.Week, due.Kind);
        var existing = posts.Find(key);
        if (existing is not null && !Retakable(existing, now))
        {
            return existing.State == ScheduledPostState.Claimed ? EventRun.InFlight : EventRun.NotRun;
        }

        if (due.At < group.CreatedAt)
        {
            // The group did not exist yet: nothing was owed. Nothing is recorded either, so that a schedule changed
            // later in the week (to a time after the group was created) still gets its post.
            return EventRun.NotRun;
        }

        var late = now - due.At > options.CatchUpWindow;
        if (late && !due.RunWhenLate)
        {
            if (posts.TryClaim(new ScheduledPostRecord(key, group.Id, due.Week, due.Kind, ScheduledPostState.Missed, now, $"the bot was not running within {WeeklySchedule.Format(options.CatchUpWindow)} of {group.MomentOf(due.At)}"), options.RetryFailedAfter, options.ClaimLease, out _))
            {
                logger.LogWarning("Group {Group}: {Kind} of {Week} missed; it was due at {Due:u}, more than the catch-up window ago", group.Id, due.Kind, due.Week, due.At);
            }

            return EventRun.NotRun;
        }

        var job = jobList.FirstOrDefault(j => j.Handles(due.Kind));
        if (job is null)
        {
            return EventRun.NotRun;
        }

        if (!posts.TryClaim(new ScheduledPostRecord(key, group.Id, due.Week, due.Kind, ScheduledPostState.Claimed, now, null), options.RetryFailedAfter, options.ClaimLease, out var earlier))
        {
            // Another process claimed it between the look and the claim, and is running it now.
            return EventRun.InFlight;
        }

        if (earlier?.State == ScheduledPostState.Claimed)
        {
            logger.LogWarning("Group {Group}: {Kind} of {Week} was claimed at {Claimed:u} and never completed; trying it again", group.Id, due.Kind, due.Week, earlier.At);
        }

        try
        {
            var (state, detail) = await job.RunAsync(group, due, new ScheduledRun(key, late, earlier?.At), cancellationToken);
            posts.Complete(key, state, time.GetUtcNow(), detail);
            return state == ScheduledPostState.Posted ? EventRun.Posted : EventRun.NotRun;
        }
        catch (OutboundException ex)
        {
            posts.Complete(key, ScheduledPostState.Failed, time.GetUtcNow(), ex.Message);
            logger.LogWarning("Group {Group}: {Kind} of {Week} could not be posted: {Reason}", group.Id, due.Kind, due.Week, ex.Message);
            return EventRun.NotRun;
        }
    }

    /// <summary>A failed post after the retry delay, or a claim whose lease ran out (its process died before completing it).</summary>
    private bool Retakable(ScheduledPostRecord existing, DateTimeOffset now) => existing.State switch
    {
        ScheduledPostState.Failed => true,
        ScheduledPostState.Claimed => now - existing.At >= options.ClaimLease,
        _ => false,
    };
}

/// <summary>The paper of the week: the automatic pick, the announcement with its discussion thread, and the meeting reminders.</summary>
public sealed class WeeklyPaperJob(
    IWeekPlanStore plans,
    ISuggestionStore suggestions,
    IThreadLinkStore threads,
    IMemberStore members,
    LibraryService library,
    IEnrichmentStore enrichments,
    OutboundMessenger outbound,
    IAdapterStateStore state,
    TimeProvider time) : IScheduledJob
{
    public const string AutoPickKind = "autopick";
    public const string AnnounceKind = "announce";

    /// <summary>The announcement of a paper picked for the current week after its announcement time (nothing was announced with a paper then).</summary>
    public const string LateAnnounceKind = "announce-late";
    private const string ReminderPrefix = "reminder-";

    private static readonly string[] Scaffold =
    [
        "What was done before: which problem, and what did earlier work leave open?",
        "The core contribution: what is new, in one or two sentences?",
        "The hard parts: which step, proof or experiment took you longest to follow?",
        "The evidence: do the experiments support the claims? What would convince you more?",
    ];

    public bool Handles(string kind) => kind is AutoPickKind or AnnounceKind or LateAnnounceKind || kind.StartsWith(ReminderPrefix, StringComparison.Ordinal);

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken) => due.Kind switch
    {
        AutoPickKind => AutoPick(group, due.Week),
        AnnounceKind => await AnnounceAsync(group, due.Week, run, cancellationToken),
        LateAnnounceKind => await AnnounceLateAsync(group, due.Week, run, cancellationToken),
        _ => await RemindAsync(group, due, run, cancellationToken),
    };

    /// <summary>The events of a group's week, in time order.</summary>
    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week)
    {
        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        var events = new List<ScheduledEvent>();
        if (group.Setting(WeeklySchedule.AutoPick) == "on" && WeeklySchedule.TryParseDuration(group.Setting(WeeklySchedule.AutoPickCutoff), out var cutoff))
        {
            events.Add(new ScheduledEvent(week, AutoPickKind, announce - cutoff));
        }

        events.Add(new ScheduledEvent(week, AnnounceKind, announce));
        if (plans.Find(group.Id, week) is { State: WeekPlanState.Planned, PaperKey: not null, PickedAt: { } picked } && picked > announce)
        {
            // Picked after the announcement time: announced at once. The moderator asked for it just now, so the
            // catch-up window (meant for posts the bot was down for) does not apply; the week's end does.
            events.Add(new ScheduledEvent(week, LateAnnounceKind, picked, RunWhenLate: true));
        }
        var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
        foreach (var offset in WeeklySchedule.ParseDurations(group.Setting(WeeklySchedule.Reminders)))
        {
            if (meeting - offset > announce)
            {
                events.Add(new ScheduledEvent(week, ReminderPrefix + WeeklySchedule.Format(offset), meeting - offset, offset));
            }
        }

        return events;
    }

    private (ScheduledPostState, string?) AutoPick(Group group, WeekKey week)
    {
        if (plans.Find(group.Id, week) is not null)
        {
            return (ScheduledPostState.Skipped, "the week was already planned");
        }

        if (WeeklyPaperService.Rank(suggestions.ListOpen(group.Id)) is not [var top, ..])
        {
            return (ScheduledPostState.Skipped, "no open suggestions");
        }

        plans.SavePick(new WeekPlan { Group = group.Id, Week = week, PaperKey = top.PaperKey, PickedBy = "bot", PickedAt = time.GetUtcNow(), AutoPicked = true }, top with { State = SuggestionState.Picked });
        return (ScheduledPostState.Posted, top.PaperKey);
    }

    private async Task<(ScheduledPostState, string?)> AnnounceAsync(Group group, WeekKey week, ScheduledRun run, CancellationToken cancellationToken)
    {
        var plan = plans.Find(group.Id, week);
        if (plan?.State == WeekPlanState.Skipped)
        {
            return (ScheduledPostState.Skipped, "a break");
        }

        var zone = group.Zone();
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
        if (plan?.PaperKey is not { } paperKey || library.FindByKey(group.Id, paperKey) is not { } item)
        {
            await outbound.PostAsync(run.Post(group.Address, null, new TextReply(
                $"No paper has been picked for {week}. Suggest one with /paper suggest <ref>, vote with /paper vote, and a moderator can pick with /week pick.")), cancellationToken);
            return (ScheduledPostState.Posted, "no paper picked");
        }

        var fields = new List<CardField> { new("Meeting", group.MomentOf(meeting, withRelative: true).ToString()) };
        var suggestion = suggestions.Find(group.Id, paperKey);
        if (suggestion is not null)
        {
            var by = members.Find(group.Id, suggestion.SuggestedBy)?.DisplayName ?? suggestion.SuggestedBy;
            fields.Add(new CardField("Suggested by", by + (string.IsNullOrWhiteSpace(suggestion.Why) ? "" : $": {suggestion.Why}")));
            fields.Add(new CardField("Votes", suggestion.Voters.Count.ToString(CultureInfo.InvariantCulture)));
        }

        if (plan.Presenter is { } presenter)
        {
            fields.Add(new CardField("Presenter", members.Find(group.Id, presenter)?.DisplayName ?? presenter));
        }

        if (plan.AutoPicked)
        {
            fields.Add(new CardField("Picked", "automatically: the most-voted suggestion"));
        }

        fields.AddRange(EnrichmentFields.For(enrichments.Find(item.Paper.Key), item.Paper));
        var excerpt = PaperCards.Excerpt(item.Paper.Abstract, 500);
        var scaffold = "To discuss:\n" + string.Join('\n', Scaffold.Select((q, i) => $"{i + 1}. {q}"));
        var card = new Card($"Paper of the week {week}: {item.Label} {item.Title}", item.Paper.Url)
        {
            Subtitle = PaperCards.Byline(item.Paper),
            Fields = fields,
            Body = excerpt is null ? scaffold : excerpt + "\n\n" + scaffold,
            Footer = "Discuss in the thread, or with /discuss <note>. Coming? Press a button or type /week rsvp yes.",
            // The week is named so that a press after the week turned over still answers for this meeting.
            Buttons = [new ReplyButton("Going", $"week rsvp yes {week}"), new ReplyButton("Not this week", $"week rsvp no {week}")],
        };
        var title = $"{week}: {item.Title}";
        var posted = await outbound.PostAsync(run.Post(group.Address, null, new CardReply(card), threadTitle: title.Length <= 90 ? title : title[..89] + "…"), cancellationToken);
        if (posted.ThreadId is { } threadId)
        {
            threads.Save(new ThreadLink(group.Id, threadId, ThreadPurpose.Discussion, paperKey, time.GetUtcNow()));
        }

        // Read again: a moderator may have re-picked or skipped the week while the post was on its way, and that
        // change must stay (it is then told against the paper announced here).
        plans.Save((plans.Find(group.Id, week) ?? plan) with { ChannelId = posted.ChannelId, ThreadId = posted.ThreadId });
        // What the group now knows of the week: a later re-pick or skip is told against it (WeekChangeNoticeJob).
        WeekChangeNoticeJob.Told(state, group.Id, week, paperKey);
        return (ScheduledPostState.Posted, posted.MessageId);
    }

    private async Task<(ScheduledPostState, string?)> AnnounceLateAsync(Group group, WeekKey week, ScheduledRun run, CancellationToken cancellationToken)
    {
        if (plans.Find(group.Id, week) is not { State: WeekPlanState.Planned, PaperKey: not null } plan)
        {
            return (ScheduledPostState.Skipped, "no paper this week");
        }

        if (plan.ChannelId is not null)
        {
            return (ScheduledPostState.Skipped, "already announced");
        }

        if (WeekKey.Of(time.GetUtcNow(), group.Zone()) != week)
        {
            return (ScheduledPostState.Missed, "the week ended before the bot could announce it");
        }

        return await AnnounceAsync(group, week, run, cancellationToken);
    }

    private async Task<(ScheduledPostState, string?)> RemindAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken)
    {
        var plan = plans.Find(group.Id, due.Week);
        if (plan?.PaperKey is not { } paperKey || plan.State != WeekPlanState.Planned || library.FindByKey(group.Id, paperKey) is not { } item)
        {
            return (ScheduledPostState.Skipped, "no paper this week");
        }

        var meeting = due.At + due.ReminderOffset!.Value;
        var text = $"Reminder: we meet in {Spoken(due.ReminderOffset.Value)}, {group.MomentOf(meeting)}, to discuss {item.Label} {item.Title} — {item.Paper.Url}";
        var posted = await outbound.PostAsync(run.Post(group.Address, plan.ChannelId, new TextReply(text), inThreadId: plan.ThreadId), cancellationToken);
        return (ScheduledPostState.Posted, posted.MessageId);
    }

    internal static string Spoken(TimeSpan offset) => WeeklySchedule.Format(offset) switch
    {
        "1d" => "1 day",
        "1h" => "1 hour",
        var f when f.EndsWith('d') => f[..^1] + " days",
        var f when f.EndsWith('h') => f[..^1] + " hours",
        var f => f[..^1] + " minutes",
    };
}
