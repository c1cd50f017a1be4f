using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Weeks;

/// <summary>
/// The weekly paper: suggestions and votes, the moderator's pick (or a break), the schedule settings, presenter
/// volunteers and discussion notes.
/// </summary>
public sealed class WeeklyPaperService(
    LibraryService library,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    IDiscussionStore discussion,
    IPresenterStore presenters,
    IScheduledPostStore posts,
    IGroupStore groups,
    IMemberStore members,
    PaperSearchIndex search,
    TimeProvider time,
    Recommendations.RecommendationService recommendations,
    IRsvpStore rsvps,
    RsvpTallies tallies,
    Ports.IAdapterStateStore state,
    IEnumerable<Ports.INativeEvents> nativeEvents)
{
    private readonly Dictionary<string, Ports.INativeEvents> nativeByPlatform = nativeEvents.ToDictionary(n => n.Platform, StringComparer.Ordinal);
    private readonly OpenWeeks openWeeks = new(plans, posts, time);

    public async Task<Reply> SuggestAsync(Invocation invocation, string reference, string? why, CancellationToken cancellationToken)
    {
        var ensured = await library.EnsureAsync(invocation, reference, null, cancellationToken);
        if (ensured.Item is not { } item)
        {
            return new ErrorReply(ensured.Error!);
        }

        var existing = suggestions.Find(invocation.GroupId, item.Paper.Key);
        if (existing is not null)
        {
            return existing.State == SuggestionState.Picked
                ? new ErrorReply($"{item.Label} has already been picked{WeekOfPaper(invocation, item.Paper.Key)}.")
                : new ErrorReply($"{item.Label} was already suggested by {Name(invocation, existing.SuggestedBy)}. Vote for it with /paper vote {item.Label}.");
        }

        var suggestion = new Suggestion { Group = invocation.GroupId, PaperKey = item.Paper.Key, SuggestedBy = invocation.Member.UserId, Why = why, SuggestedAt = time.GetUtcNow() };
        if (!suggestions.TryAdd(suggestion))
        {
            return new ErrorReply($"{item.Label} was suggested a moment ago by someone else. Vote for it with /paper vote {item.Label}.");
        }

        var card = new Card($"Suggested {item.Label}: {item.Title}", item.Paper.Url)
        {
            Subtitle = PaperCards.Byline(item.Paper),
            Fields = why is null ? [new CardField("Suggested by", invocation.Member.DisplayName)] : [new CardField("Suggested by", invocation.Member.DisplayName), new CardField("Why", why)],
            Buttons = [new ReplyButton("Vote", $"paper vote {item.Label}")],
            Footer = ensured.Created ? $"Added to the library as {item.Label}." : null,
        };
        return new CardReply(card);
    }

    public Reply Vote(Invocation invocation, string reference)
    {
        var lookup = library.Find(invocation.GroupId, reference);
        if (lookup.Item is not { } item)
        {
            return new ErrorReply(lookup.Error!);
        }

        var current = suggestions.Find(invocation.GroupId, item.Paper.Key);
        if (current is null)
        {
            return new ErrorReply($"{item.Label} has not been suggested. Suggest it first with /paper suggest {item.Label}.");
        }

        if (current.State == SuggestionState.Picked)
        {
            return new ErrorReply($"{item.Label} has already been picked{WeekOfPaper(invocation, item.Paper.Key)}; votes are closed for it.");
        }

        var (after, voted) = suggestions.ToggleVote(invocation.GroupId, item.Paper.Key, invocation.Member.UserId);
        var count = after?.Voters.Count ?? 0;
        return voted
            ? new TextReply($"Voted for {item.Label} {item.Title} ({Votes(count)}). Voting again takes the vote back.")
            : new TextReply($"Took back your vote for {item.Label} {item.Title} ({Votes(count)}).");
    }

    /// <summary>The open suggestions, ranked; with <paramref name="limit"/>, only the top ones and a count of the rest.</summary>
    public Reply Queue(Invocation invocation, int? limit = null)
    {
        var ranked = Rank(suggestions.ListOpen(invocation.GroupId));
        var items = ranked.Take(limit ?? ranked.Count).Select(s =>
        {
            var item = ItemOf(invocation.GroupId, s.PaperKey);
            var label = item?.Label ?? "?";
            var why = string.IsNullOrWhiteSpace(s.Why) ? "" : $": {s.Why}";
            return new ListItem($"{label} {item?.Title ?? Paper.LabelFor(s.PaperKey)} — {Votes(s.Voters.Count)} — suggested by {Name(invocation, s.SuggestedBy)}{why}", item?.Paper.Url, new ReplyButton("Vote", $"paper vote {label}"), item?.Entry.Number);
        }).ToList();
        var rising = recommendations.RisingLine(invocation.GroupId);
        var more = ranked.Count - items.Count;
        var footer = items.Count > 0
            ? "Ranked by votes, then by age." + (more > 0 ? $" {more} more in the queue." : "") + (rising is null ? "" : "\n" + rising)
            : rising;
        return new ListReply("Suggestion queue", items, "No open suggestions. Suggest a paper with /paper suggest <ref> [why].", footer);
    }

    /// <summary>Open suggestions, most votes first, then oldest first.</summary>
    public static IReadOnlyList<Suggestion> Rank(IEnumerable<Suggestion> open) =>
        open.OrderByDescending(s => s.Voters.Count).ThenBy(s => s.SuggestedAt).ThenBy(s => s.PaperKey, StringComparer.Ordinal).ToList();

    public async Task<Reply> PickAsync(Invocation invocation, string reference, string? when, CancellationToken cancellationToken)
    {
        if (WeekKey.TryParseWeekOrDate(reference, out _))
        {
            // A week is never a paper reference, so the two may come in either order.
            if (when is null)
            {
                return new ErrorReply($"'{CommandBinder.Clip(reference)}' is a week, not a paper. Name the paper first: /week pick <paper> {CommandBinder.Clip(reference)}, such as /week pick #3 {CommandBinder.Clip(reference)}.");
            }

            if (!WeekKey.TryParseWeekOrDate(when, out _))
            {
                (reference, when) = (when, reference);
            }
        }

        var zone = invocation.Group.Zone();
        var firstOpen = openWeeks.First(invocation.Group, zone);
        WeekKey week;
        if (when is null)
        {
            var free = Enumerable.Range(0, OpenWeeks.MaxAhead).Select(i => firstOpen.Advance(i)).FirstOrDefault(w => plans.Find(invocation.GroupId, w) is null);
            if (free == default)
            {
                return new ErrorReply($"Every week of the next {OpenWeeks.MaxAhead} is planned. Name a week: /week pick {reference} 2027-W10.");
            }

            week = free;
        }
        else
        {
            var parsed = openWeeks.Choose(when, firstOpen, invocation.Group, zone);
            if (parsed.Error is not null)
            {
                return new ErrorReply(parsed.Error);
            }

            week = parsed.Week;
        }

        var ensured = await library.EnsureAsync(invocation, reference, null, cancellationToken);
        if (ensured.Item is not { } item)
        {
            return new ErrorReply(ensured.Error!);
        }

        var current = WeekKey.Of(time.GetUtcNow(), zone);
        var elsewhere = plans.Range(invocation.GroupId, current, current.Advance(OpenWeeks.MaxAhead))
            .FirstOrDefault(p => p.PaperKey == item.Paper.Key && p.State == WeekPlanState.Planned && p.Week != week);
        if (elsewhere is not null)
        {
            return new ErrorReply($"{item.Label} is already the paper of {elsewhere.Week}. Pick another paper, or skip that week first.");
        }

        var previous = plans.Find(invocation.GroupId, week);
        var announced = openWeeks.IsAnnounced(invocation.GroupId, week);
        if (announced && previous is { State: WeekPlanState.Planned } && previous.PaperKey == item.Paper.Key)
        {
            return new TextReply($"{item.Label} {item.Title} is already the paper of {week}; nothing changed.");
        }

        // An announced week keeps its announcement's channel and thread (the change notice and the reminders go
        // there) and its presenter: the meeting stays, only the paper changes.
        var presenter = announced ? null : ProposePresenter(invocation.Group, week);
        var plan = new WeekPlan
        {
            Group = invocation.GroupId,
            Week = week,
            PaperKey = item.Paper.Key,
            PickedBy = invocation.Member.UserId,
            PickedAt = time.GetUtcNow(),
            Presenter = announced ? previous?.Presenter : presenter?.UserId,
            ChannelId = announced ? previous?.ChannelId : null,
            ThreadId = announced ? previous?.ThreadId : null,
        };
        var suggestion = suggestions.Find(invocation.GroupId, item.Paper.Key);
        plans.SavePick(plan, suggestion is null ? null : suggestion with { State = SuggestionState.Picked });
        if (presenter is not null)
        {
            presenters.Save(presenter with { LastPresented = week });
        }

        if (previous?.PaperKey is { } displaced && displaced != item.Paper.Key && suggestions.Find(invocation.GroupId, displaced) is { } back)
        {
            suggestions.Save(back with { State = SuggestionState.Open });
        }

        var replaced = previous?.PaperKey is { } old && old != item.Paper.Key ? $" It replaces {ItemOf(invocation.GroupId, old)?.Label ?? old}, which goes back to the queue if it was suggested." : "";
        var presenting = presenter is null ? "" : $" Proposed presenter: {Name(invocation, presenter.UserId)}.";
        if (announced)
        {
            return new TextReply($"{item.Label} {item.Title} is now the paper of {week}.{replaced} The group is told in the announcement's channel, and the meeting stays as it was.");
        }

        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(invocation.Group), zone);
        var announcing = announce > time.GetUtcNow()
            ? $"it will be announced {invocation.Group.MomentOf(announce, withRelative: true)}"
            : $"this week's announcement time, {invocation.Group.MomentOf(announce)}, has passed, so it will be announced in a moment";
        return new TextReply($"{item.Label} {item.Title} is the paper of {week}; {announcing}.{replaced}{presenting}");
    }

    public Reply Skip(Invocation invocation, string? when)
    {
        var zone = invocation.Group.Zone();
        var firstOpen = openWeeks.First(invocation.Group, zone);
        var week = firstOpen;
        if (when is not null)
        {
            var parsed = openWeeks.Choose(when, firstOpen, invocation.Group, zone);
            if (parsed.Error is not null)
            {
                return new ErrorReply(parsed.Error);
            }

            week = parsed.Week;
        }

        var previous = plans.Find(invocation.GroupId, week);
        if (previous?.State == WeekPlanState.Skipped)
        {
            return new ErrorReply($"{week} is already a break.");
        }

        var announced = openWeeks.IsAnnounced(invocation.GroupId, week);
        var reopened = previous?.PaperKey is { } key && suggestions.Find(invocation.GroupId, key) is { } s ? s with { State = SuggestionState.Open } : null;
        plans.SaveSkip(new WeekPlan
        {
            Group = invocation.GroupId,
            Week = week,
            State = WeekPlanState.Skipped,
            PickedBy = invocation.Member.UserId,
            PickedAt = time.GetUtcNow(),
            // Kept so the notice that the meeting is called off goes where the announcement went.
            ChannelId = announced ? previous?.ChannelId : null,
            ThreadId = announced ? previous?.ThreadId : null,
        }, reopened);
        var back = previous?.PaperKey is { } k ? $" {ItemOf(invocation.GroupId, k)?.Label ?? k} is no longer planned{(reopened is null ? "" : " and is back in the queue")}." : "";
        return announced
            ? new TextReply($"{week}'s meeting is called off: a break, no paper.{back} The group is told in the announcement's channel.")
            : new TextReply($"{week} is a break: no paper, no announcement.{back}");
    }

    public Reply Schedule(Invocation invocation, string weekday, string timeText, string zoneText)
    {
        if (!WeeklyTime.TryParseDay(weekday, out var day))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekday)}' is not a weekday. Use monday … sunday.");
        }

        if (!WeeklyTime.TryParseTime(timeText, out var at))
        {
            return new ErrorReply($"'{CommandBinder.Clip(timeText)}' is not a time. Use HH:MM on the 24-hour clock, such as 09:00 or 18:30.");
        }

        if (!TimeZones.TryFind(zoneText, out var zone))
        {
            return new ErrorReply($"'{CommandBinder.Clip(zoneText)}' is not an IANA time zone. Use a name such as Europe/Berlin, America/New_York or Etc/UTC.");
        }

        var announce = new WeeklyTime(day, at);
        var group = groups.Find(invocation.GroupId) ?? invocation.Group;
        var settings = new Dictionary<string, string>(group.Settings, StringComparer.Ordinal)
        {
            [WeeklySchedule.Announce.Key] = announce.ToString(),
            [SettingCatalogue.TimeZone.Key] = zone.Id,
        };
        var updated = group with { Settings = settings };
        groups.Save(updated);
        var now = time.GetUtcNow();
        WeekRevisions.AfterScheduleChange(plans, group, updated, now);
        var next = WeeklySchedule.InstantOf(WeekKey.Of(now, zone), announce, zone);
        if (next <= now)
        {
            next = WeeklySchedule.InstantOf(WeekKey.Of(now, zone).Next(), announce, zone);
        }

        var meeting = WeeklySchedule.MeetingAfter(next, WeekKey.Of(next, zone), WeeklySchedule.MeetingTime(updated), zone);
        return new TextReply($"The paper of the week is now announced every {announce} ({zone.Id}). Next announcement: {updated.MomentOf(next, withRelative: true)}; meeting: {updated.MomentOf(meeting, withRelative: true)}.");
    }

    public async Task<Reply> ShowAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var group = invocation.Group;
        var zone = group.Zone();
        var now = time.GetUtcNow();
        var current = WeekKey.Of(now, zone);
        var upcoming = plans.Range(invocation.GroupId, current, current.Advance(8)).ToDictionary(p => p.Week);
        var shown = Enumerable.Range(0, 5).Select(current.Advance).ToList();
        // What the card shows from the adapter state (presenters' answers, a refused native event), in one read.
        var known = state.GetMany([NativeEventJob.ProblemKey(invocation.GroupId), .. shown.Select(w => PresenterConfirmationJob.AnswerKey(invocation.GroupId, w))]);
        var fields = new List<CardField>();
        for (var i = 0; i < 5; i++)
        {
            var week = current.Advance(i);
            var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
            var meeting = WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
            var label = i == 0 ? $"This week ({week})" : week.ToString();
            var value = upcoming.TryGetValue(week, out var plan)
                ? plan.State == WeekPlanState.Skipped
                    ? "a break"
                    : $"{Describe(invocation.GroupId, plan.PaperKey!)} — meeting {group.MomentOf(meeting, withRelative: true)}" + (plan.Presenter is { } p ? $", presented by {Name(invocation, p)}" + (known.GetValueOrDefault(PresenterConfirmationJob.AnswerKey(invocation.GroupId, week)) == "ready" ? " (confirmed)" : "") : "") + (plan.AutoPicked ? " (picked automatically)" : "")
                : "not picked yet";
            if (plan is { State: WeekPlanState.Planned } && await InterestedAsync(group, week, cancellationToken) is { } interested)
            {
                value += $"; {interested}";
            }

            fields.Add(new CardField(label, value));
        }

        var next = NextMeetingWeek(group, zone, now);
        if (upcoming.GetValueOrDefault(next) is not { State: WeekPlanState.Skipped })
        {
            fields.Add(new CardField($"Going ({next})", tallies.Of(invocation.GroupId, next).Line() + $". Answer with /week rsvp yes or /week rsvp no."));
        }

        var reminders = group.Setting(WeeklySchedule.Reminders);
        var autopick = group.Setting(WeeklySchedule.AutoPick) == "on" ? $"on ({group.Setting(WeeklySchedule.AutoPickCutoff)} before the announcement)" : "off";
        var card = new Card("The paper of the week")
        {
            Fields = fields,
            Footer = $"Announced {WeeklySchedule.AnnounceTime(group)}, meeting {WeeklySchedule.MeetingTime(group)} ({zone.Id}); reminders {reminders}; automatic pick {autopick}.",
        };
        if (invocation.IsModerator)
        {
            var problem = group.Setting(WeeklySchedule.NativeEvents) == "on" && known.GetValueOrDefault(NativeEventJob.ProblemKey(invocation.GroupId)) is { Length: > 0 } refused ? refused : null;
            // A refused event is told once, in its own line, rather than again in the list of failed posts.
            var failures = posts.Recent(invocation.GroupId, 20)
                .Where(r => r.State is ScheduledPostState.Failed or ScheduledPostState.Missed && !(problem is not null && r.Kind.StartsWith(NativeEventJob.KindPrefix, StringComparison.Ordinal)))
                .Take(3).ToList();
            var notes = new List<string>();
            if (problem is not null)
            {
                notes.Add("For moderators — " + problem);
            }

            if (failures.Count > 0)
            {
                notes.Add("For moderators — recent scheduling problems:\n" + string.Join('\n', failures.Select(f => $"{f.Week} {f.Kind}: {f.State.ToString().ToLowerInvariant()} ({f.Detail})")));
            }

            var declined = shown
                .Select(w => (Week: w, Answer: known.GetValueOrDefault(PresenterConfirmationJob.AnswerKey(invocation.GroupId, w))))
                .Where(a => a.Answer?.StartsWith("declined|", StringComparison.Ordinal) == true && upcoming.GetValueOrDefault(a.Week)?.Presenter is null)
                .Select(a => $"{Name(invocation, a.Answer!["declined|".Length..])} can't present {a.Week}: the slot is free.").ToList();
            if (declined.Count > 0)
            {
                notes.Add("For moderators — presenters:\n" + string.Join('\n', declined));
            }

            if (notes.Count > 0)
            {
                card = card with { Body = string.Join("\n\n", notes) };
            }
        }

        return new CardReply(card);
    }

    /// <summary>
    /// "12 interested on Discord" for the week's native event, asked of the platform when /week is shown; nothing when
    /// the group has none or the platform does not answer (the rest of /week does not wait on it).
    /// </summary>
    private async Task<string?> InterestedAsync(Group group, WeekKey week, CancellationToken cancellationToken)
    {
        if (group.Setting(WeeklySchedule.NativeEvents) != "on" || !nativeByPlatform.TryGetValue(group.Platform, out var native)
            || state.Get(NativeEventJob.EventKey(group.Id, week)) is not { Length: > 0 } eventId)
        {
            return null;
        }

        try
        {
            return await native.InterestedAsync(group.Address, eventId, cancellationToken) is { } count ? $"{count} interested on {native.DisplayName}" : null;
        }
        catch (Ports.OutboundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Records the member's answer for a week's meeting (the week of the next meeting by default), replacing an
    /// earlier answer. Answered privately: a press on the announcement's buttons lands here too.
    /// </summary>
    public Reply Rsvp(Invocation invocation, string answer, string? when)
    {
        var going = answer.Trim().ToLowerInvariant() switch
        {
            "yes" or "going" or "y" => true,
            "no" or "n" or "not" => false,
            _ => (bool?)null,
        };
        if (going is null)
        {
            return new ErrorReply($"'{CommandBinder.Clip(answer)}' is not yes or no. Use /week rsvp yes or /week rsvp no, with a week such as 2026-W49 if not the next meeting's.");
        }

        var group = invocation.Group;
        var zone = group.Zone();
        var now = time.GetUtcNow();
        var next = NextMeetingWeek(group, zone, now);
        var week = next;
        if (when is not null)
        {
            if (!WeekKey.TryParseWeekOrDate(when, out week))
            {
                return new ErrorReply($"'{CommandBinder.Clip(when)}' is not a date or a week. Use a date such as 2026-12-03 or a week such as 2026-W49.");
            }

            if (week < next)
            {
                return new ErrorReply($"The meeting of {week} is over. Answer for {next} or later.");
            }

            if (week > next.Advance(OpenWeeks.MaxAhead))
            {
                return new ErrorReply($"{week} is too far ahead; answer for at most {OpenWeeks.MaxAhead} weeks ahead.");
            }
        }

        var plan = plans.Find(invocation.GroupId, week);
        if (plan?.State == WeekPlanState.Skipped)
        {
            return new ErrorReply($"{week} is a break: there is no meeting to answer for.");
        }

        rsvps.Save(new Rsvp(invocation.GroupId, week, invocation.Member.UserId, going.Value ? RsvpAnswer.Going : RsvpAnswer.NotGoing, now));
        var meeting = MeetingOf(group, week, zone);
        var paper = plan?.PaperKey is { } key ? $" ({Describe(invocation.GroupId, key)})" : "";
        var said = going.Value
            ? $"You're going to the meeting of {week}{paper}, {group.MomentOf(meeting, withRelative: true)}."
            : $"Noted: not this week ({week}{paper}).";
        return new TextReply($"{said} {Capitalised(tallies.Of(invocation.GroupId, week).Line())}. Answering again replaces your answer.") { Ephemeral = true };
    }

    /// <summary>The week whose meeting is next: this week until its meeting has started, then next week.</summary>
    internal static WeekKey NextMeetingWeek(Group group, TimeZoneInfo zone, DateTimeOffset now)
    {
        var current = WeekKey.Of(now, zone);
        return MeetingOf(group, current, zone) > now ? current : current.Next();
    }

    private static DateTimeOffset MeetingOf(Group group, WeekKey week, TimeZoneInfo zone)
    {
        var announce = WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone);
        return WeeklySchedule.MeetingAfter(announce, week, WeeklySchedule.MeetingTime(group), zone);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// The week's presenter answers the bot's request to confirm (<see cref="PresenterConfirmationJob"/>): ready, or
    /// cannot make it, which frees the slot and tells moderators in /week.
    /// </summary>
    public Reply AnswerPresenting(Invocation invocation, bool ready, string? when)
    {
        var zone = invocation.Group.Zone();
        var week = NextMeetingWeek(invocation.Group, zone, time.GetUtcNow());
        if (when is not null && !WeekKey.TryParseWeekOrDate(when, out week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(when)}' is not a date or a week. Use a date such as 2026-12-03 or a week such as 2026-W49.");
        }

        var plan = plans.Find(invocation.GroupId, week);
        if (plan is not { State: WeekPlanState.Planned } || plan.Presenter != invocation.Member.UserId)
        {
            return new ErrorReply($"You are not the presenter of {week}. Volunteer for a coming week with /week present.");
        }

        if (ready)
        {
            state.Set(PresenterConfirmationJob.AnswerKey(invocation.GroupId, week), "ready");
            return new TextReply($"Thanks, {invocation.Member.DisplayName}: you are confirmed as the presenter of {week}.") { Ephemeral = true };
        }

        plans.Save(plan with { Presenter = null });
        state.Set(PresenterConfirmationJob.AnswerKey(invocation.GroupId, week), "declined|" + invocation.Member.UserId);
        return new TextReply($"Noted: you can't present {week}. The slot is free again, and the moderators see it in /week.") { Ephemeral = true };
    }

    public Reply Volunteer(Invocation invocation)
    {
        var list = presenters.List(invocation.GroupId);
        if (list.Any(v => v.UserId == invocation.Member.UserId))
        {
            return new ErrorReply("You are already on the presenter list. Thank you!");
        }

        presenters.Save(new PresenterVolunteer(invocation.GroupId, invocation.Member.UserId, time.GetUtcNow(), null));
        var rotation = invocation.Group.Setting(WeeklySchedule.Presenters) == "on"
            ? "The bot proposes the volunteer who presented least recently when a paper is picked."
            : "Presenter rotation is off in this group; a moderator can turn it on with /settings presenters on.";
        return new TextReply($"Thanks, {invocation.Member.DisplayName}: you are on the presenter list ({Plural.Count(list.Count + 1, "volunteer")}). {rotation}");
    }

    public Reply Discuss(Invocation invocation, string text)
    {
        var zone = invocation.Group.Zone();
        var week = WeekKey.Of(time.GetUtcNow(), zone);
        var plan = plans.Find(invocation.GroupId, week);
        if (plan?.PaperKey is not { } key || plan.State != WeekPlanState.Planned)
        {
            return new ErrorReply("There is no paper of the week to discuss right now. A moderator picks one with /week pick <ref>.");
        }

        discussion.Add(new DiscussionNote { Group = invocation.GroupId, PaperKey = key, Week = week, Author = invocation.Member.UserId, Text = text, At = time.GetUtcNow() });
        if (ItemOf(invocation.GroupId, key) is { } noted)
        {
            // Discussion notes are searchable with their paper.
            search.EntryChanged(invocation.GroupId, noted.Entry.Number);
        }

        var count = discussion.ForPaper(invocation.GroupId, key).Count;
        return new TextReply($"Noted in the discussion of {Describe(invocation.GroupId, key)} ({count} note{(count == 1 ? "" : "s")}).");
    }

    private PresenterVolunteer? ProposePresenter(Group group, WeekKey week)
    {
        if (group.Setting(WeeklySchedule.Presenters) != "on")
        {
            return null;
        }

        return presenters.List(group.Id)
            .OrderBy(v => v.LastPresented is null ? 0 : 1)
            .ThenBy(v => v.LastPresented ?? default)
            .ThenBy(v => v.VolunteeredAt)
            .FirstOrDefault(v => v.LastPresented != week);
    }

    private string WeekOfPaper(Invocation invocation, string paperKey)
    {
        var zone = invocation.Group.Zone();
        var current = WeekKey.Of(time.GetUtcNow(), zone);
        var plan = plans.Range(invocation.GroupId, current.Advance(-OpenWeeks.MaxAhead), current.Advance(OpenWeeks.MaxAhead)).LastOrDefault(p => p.PaperKey == paperKey);
        return plan is null ? "" : $" for {plan.Week}";
    }

    private LibraryItem? ItemOf(GroupId group, string paperKey) => library.FindByKey(group, paperKey);

    private string Describe(GroupId group, string paperKey) => ItemOf(group, paperKey) is { } item ? $"{item.Label} {item.Title}" : paperKey;

    private string Name(Invocation invocation, string userId) =>
        userId == invocation.Member.UserId ? invocation.Member.DisplayName : members.Find(invocation.GroupId, userId)?.DisplayName ?? userId;

    private static string Votes(int count) => Plural.Count(count, "vote");
}
