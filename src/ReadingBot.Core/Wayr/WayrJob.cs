using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>
/// The WAYR week: opens the thread at the group's open time, and at the close time writes the ledger, the streaks,
/// the frozen standings and the digest in one transaction, then posts the digest.
/// </summary>
public sealed class WayrJob(
    IWayrStore wayr,
    IStreakStore streaks,
    IProgressStore progress,
    IDiscussionStore discussion,
    IWeekPlanStore plans,
    IMemberStore members,
    IThreadLinkStore threads,
    IDigestStore digests,
    LibraryService library,
    Recommendations.RecommendationService recommendations,
    Follows.IFollowStore follows,
    Recommendations.RecommendationEngine recommendationEngine,
    OutboundMessenger outbound,
    Charts.ReadingCharts charts,
    TimeProvider time) : IScheduledJob
{
    public const string OpenKind = "wayr-open";
    public const string CloseKind = "wayr-close";

    private static readonly int[] Milestones = [4, 8, 12, 26, 52, 104];

    public IEnumerable<ScheduledEvent> EventsOf(Group group, WeekKey week) =>
    [
        new(week, OpenKind, WayrSettings.OpensAt(group, week)),
        // Closing must happen even if the bot was down for long: streaks depend on it. Late, it posts nothing.
        new(week, CloseKind, WayrSettings.ClosesAt(group, week), RunWhenLate: true),
    ];

    public bool Handles(string kind) => kind is OpenKind or CloseKind;

    public async Task<(ScheduledPostState State, string? Detail)> RunAsync(Group group, ScheduledEvent due, ScheduledRun run, CancellationToken cancellationToken) =>
        due.Kind == OpenKind ? await OpenAsync(group, due.Week, run, cancellationToken) : await CloseAsync(group, due.Week, run, cancellationToken);

    private async Task<(ScheduledPostState, string?)> OpenAsync(Group group, WeekKey week, ScheduledRun run, CancellationToken cancellationToken)
    {
        var wayrWeek = wayr.EnsureWeek(group.Id, week);
        if (wayrWeek.Closed)
        {
            return (ScheduledPostState.Skipped, "already closed");
        }

        var closes = group.MomentOf(WayrSettings.ClosesAt(group, week), withRelative: true);
        var card = new Card($"What Are You Reading — Week {wayrWeek.Number} ({week})")
        {
            Body = "Share what you read this week:\n"
                + "1. Link the paper (arXiv id, DOI or any link).\n"
                + "2. Say how far you got: skimmed, reading, read or implemented.\n"
                + "3. Say what you took from it, in a sentence or two.\n"
                + "Reply in this thread, or use /wayr <paper> <status> <note>.\n\n"
                // In the body, not the footer: Discord writes timestamp markup in embed descriptions, never in footers.
                + $"This week closes {closes} with a digest; a post keeps your weekly streak.",
        };
        var posted = await outbound.PostAsync(run.Post(group.Address, null, new CardReply(card), threadTitle: $"WAYR #{wayrWeek.Number} — {week}"), cancellationToken);
        if (posted.ThreadId is { } threadId)
        {
            threads.Save(new ThreadLink(group.Id, threadId, ThreadPurpose.Wayr, week.ToString(), time.GetUtcNow()));
        }

        wayr.SaveWeek(wayrWeek with { ChannelId = posted.ChannelId, ThreadId = posted.ThreadId });
        return (ScheduledPostState.Posted, posted.MessageId);
    }

    /// <summary>
    /// Closes a week: results for every member, streaks replayed from them, standings and the digest, in one
    /// transaction, then posts the digest. Run again after a crash or a failed post (the week is closed by then), it
    /// posts the stored digest: the close happened, its post is still owed.
    /// </summary>
    public async Task<(ScheduledPostState, string?)> CloseAsync(Group group, WeekKey week, ScheduledRun run, CancellationToken cancellationToken)
    {
        var close = BuildClose(group, week);
        Digest digest;
        if (close is not null && streaks.CloseWeek(close))
        {
            digest = close.Digest;
        }
        else if (run.EarlierAttemptAt is not null && digests.Find(group.Id, week) is { } stored)
        {
            // Only this event closes a week, so a closed week with an earlier attempt of this key was closed by it.
            digest = stored;
        }
        else
        {
            return (ScheduledPostState.Skipped, "already closed");
        }

        if (run.Late)
        {
            return (ScheduledPostState.Skipped, "closed late; digest stored, not posted");
        }

        var posted = await outbound.PostAsync(run.Post(group.Address, null, new CardReply(DigestBuilder.Render(digest) with { Image = charts.ReadingPicture(group, week) })), cancellationToken);
        return (ScheduledPostState.Posted, posted.MessageId);
    }

    public WeekClose? BuildClose(Group group, WeekKey week)
    {
        var wayrWeek = wayr.EnsureWeek(group.Id, week);
        if (wayrWeek.Closed)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var zone = group.Zone();
        var closesAt = WayrSettings.ClosesAt(group, week);
        var weekStart = WeeklySchedule.ToInstant(week.Monday, TimeOnly.MinValue, zone);
        var rules = WayrSettings.Rules(group);
        var minNote = WayrSettings.MinNoteLength(group);
        var posts = wayr.Posts(group.Id, week);
        var qualified = posts.Where(p => WayrService.Qualifies(p, minNote)).Select(p => p.Author).ToHashSet();
        var reasons = qualified.ToDictionary(m => m, _ => "WAYR post");
        if (group.Setting(WayrSettings.Discussion) == "on")
        {
            foreach (var note in discussion.ForWeek(group.Id, week))
            {
                if (qualified.Add(note.Author))
                {
                    reasons[note.Author] = "discussion note";
                }
            }
        }

        var groupMembers = members.List(group.Id).Where(m => m.JoinedAt <= closesAt).ToList();
        var opensAt = WayrSettings.OpensAt(group, week);
        var entries = new List<LedgerEntry>();
        var after = new List<MemberStreak>();
        var milestones = new List<string>();
        foreach (var member in groupMembers)
        {
            if (member.JoinedAt > opensAt && !qualified.Contains(member.UserId))
            {
                // The week a member joined after its WAYR opened is theirs to keep but never counts against them.
                continue;
            }

            var before = streaks.Find(group.Id, member.UserId) ?? new MemberStreak(group.Id, member.UserId);
            var result = StreakRules.Decide(before, qualified.Contains(member.UserId));
            var reason = result switch
            {
                WeekResult.Kept => reasons[member.UserId],
                WeekResult.Frozen => "a freeze covered the week",
                _ => "no qualifying post",
            };
            var entry = new LedgerEntry(group.Id, member.UserId, week, result, reason, now);
            var streak = StreakRules.Apply(before, entry, rules);
            entries.Add(entry);
            after.Add(streak);
            if (result == WeekResult.Kept && Milestones.Contains(streak.Current))
            {
                milestones.Add($"{member.DisplayName} reached a {streak.Current}-week streak");
            }
        }

        var standings = StreakRules.Rank(after.Select(StreakRules.Row)
            .Concat(streaks.Standings(group.Id, out _).Where(r => after.All(a => a.Member != r.Member)).Select(r => r with { Current = 0 })));

        var digest = DigestBuilder.Build(group, wayrWeek, posts, milestones, Name, Item,
            newMembers: groupMembers.Where(m => m.JoinedAt >= weekStart).OrderBy(m => m.JoinedAt).ThenBy(m => m.DisplayName, StringComparer.Ordinal).Select(m => m.DisplayName).ToList(),
            finished: progress.FinishedBetween(group.Id, weekStart, closesAt),
            mostDiscussed: MostDiscussedTwoWeeksAgo(group.Id, week),
            now);
        var suggestions = recommendations.ForDigest(group.Id)
            .Select(p => $"{p.Label} {p.Title}" + (p.Reasons.Count > 0 ? $" (for: {string.Join(", ", p.Reasons)})" : "") + (p.FromFeed ? $" — add it with /paper add {p.ArxivId ?? p.Url}" : ""))
            .ToList();
        if (suggestions.Count > 0)
        {
            digest = digest with { Sections = [.. digest.Sections, new DigestSection("You might like", suggestions)] };
        }

        // The group's follows (moderators' /follow … group): each paper once, found during this WAYR week.
        var found = follows.Matches(group.Id, Follows.Follow.GroupOwner, weekStart)
            .Where(m => m.FoundAt < closesAt)
            .OrderBy(m => m.FoundAt).ThenBy(m => m.PaperKey, StringComparer.Ordinal)
            .ToList();
        var followed = recommendationEngine.RankByModel(group.Id, Recommendations.RecommendationEngine.GroupSubject, found, m => (m.PaperKey, m.Title))
            .Take(15)
            .Select(m => $"{m.Title} ({m.Why}) — add it with /paper add {m.ArxivId ?? m.Url}")
            .ToList();
        if (followed.Count > 0)
        {
            digest = digest with { Sections = [.. digest.Sections, new DigestSection("New from who and what you follow", followed)] };
        }

        return new WeekClose(wayrWeek with { Closed = true, ClosedAt = now }, entries, after, standings, digest);

        string Name(string userId) => groupMembers.FirstOrDefault(m => m.UserId == userId)?.DisplayName ?? members.Find(group.Id, userId)?.DisplayName ?? userId;
        LibraryItem? Item(string key) => library.FindByKey(group.Id, key);
    }

    /// <summary>
    /// The Reddit convention: the digest names the most-discussed paper of two weeks ago, counted now, so members
    /// who read it late still count.
    /// </summary>
    private (LibraryItem Item, int Count)? MostDiscussedTwoWeeksAgo(GroupId group, WeekKey week)
    {
        var earlier = week.Previous().Previous();
        var candidates = wayr.Posts(group, earlier).Select(p => p.PaperKey).OfType<string>().ToHashSet();
        if (plans.Find(group, earlier)?.PaperKey is { } picked)
        {
            candidates.Add(picked);
        }

        return candidates
            .Select(key => (Key: key, Count: discussion.ForPaper(group, key).Count + wayr.PostsForPaper(group, key).Count))
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => library.FindByKey(group, c.Key) is { } item ? (item, c.Count) : ((LibraryItem, int)?)null)
            .FirstOrDefault(c => c is not null);
    }
}

/// <summary>Builds and renders the weekly digest, newsletter style.</summary>
public static class DigestBuilder
{
    public static Digest Build(
        Group group,
        WayrWeek week,
        IReadOnlyList<WayrPost> posts,
        IReadOnlyList<string> milestones,
        Func<string, string> name,
        Func<string, LibraryItem?> item,
        IReadOnlyList<string> newMembers,
        IReadOnlyList<ReadingProgress> finished,
        (LibraryItem Item, int Count)? mostDiscussed,
        DateTimeOffset now)
    {
        var sections = new List<DigestSection>();
        var papers = posts.Where(p => p.PaperKey is not null).GroupBy(p => p.PaperKey!)
            .OrderByDescending(g => g.Select(p => p.Author).Distinct().Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var readers = g.Select(p => p.Author).Distinct().ToList();
                var title = item(g.Key) is { } i ? $"{i.Label} {i.Title}" : g.Key;
                return $"{title} — {readers.Count} reader{(readers.Count == 1 ? "" : "s")} ({string.Join(", ", g.Select(p => $"{name(p.Author)}: {p.Status.ToString().ToLowerInvariant()}").Distinct())})";
            }).ToList();
        sections.Add(new DigestSection("What we read", papers.Count > 0 ? papers : ["Nobody posted a paper this week."]));

        var notes = posts.Where(p => p.Note.Length > 0).Select(p => $"{name(p.Author)}: {PaperCards.Excerpt(p.Note, 280)}").ToList();
        if (notes.Count > 0)
        {
            sections.Add(new DigestSection("Notes", notes));
        }

        if (mostDiscussed is { } md)
        {
            sections.Add(new DigestSection("Most discussed from two weeks ago", [$"{md.Item.Label} {md.Item.Title} — {Plural.Count(md.Count, "note or post", "notes and posts")} so far"]));
        }

        var done = finished.Select(f => item(f.PaperKey) is { } i ? $"{name(f.Member)} finished {i.Label} {i.Title}" : $"{name(f.Member)} finished {f.PaperKey}").Distinct().ToList();
        if (done.Count > 0)
        {
            sections.Add(new DigestSection("Finished this week", done));
        }

        if (newMembers.Count > 0)
        {
            sections.Add(new DigestSection("Welcome", [$"New this week: {string.Join(", ", newMembers)}"]));
        }

        if (milestones.Count > 0)
        {
            sections.Add(new DigestSection("Streak milestones", milestones));
        }

        return new Digest(group.Id, week.Week, week.Number, $"WAYR #{week.Number} digest — {week.Week}", sections, now);
    }

    public static Card Render(Digest digest) => new(digest.Title)
    {
        Body = string.Join("\n\n", digest.Sections.Select(s => s.Heading + "\n" + string.Join('\n', s.Lines.Select(l => "• " + l)))),
        Footer = "The leaderboard is frozen as of this close: /leaderboard. Your streak: /streak.",
    };
}
