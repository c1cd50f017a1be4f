using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>WAYR posts, digests, streaks, the leaderboard, corrections and reading progress, as members see them.</summary>
public sealed class WayrService(
    LibraryService library,
    IWayrStore wayr,
    IDigestStore digests,
    IStreakStore streaks,
    IProgressStore progress,
    IMemberStore members,
    Roadmaps.RoadmapService roadmaps,
    PaperSearchIndex search,
    Charts.ReadingCharts charts,
    TimeProvider time)
{
    public async Task<Reply> PostAsync(Invocation invocation, string text, CancellationToken cancellationToken)
    {
        var (week, closedError) = OpenWeek(invocation.Group);
        if (closedError is not null)
        {
            return new ErrorReply(closedError);
        }

        var parsed = await ReadAsync(invocation, text, cancellationToken);
        if (parsed.Error is not null)
        {
            return new ErrorReply(parsed.Error);
        }

        var post = wayr.AddPost(new WayrPost
        {
            Group = invocation.GroupId,
            Week = week,
            Number = 0,
            Author = invocation.Member.UserId,
            PaperKey = parsed.Item?.Paper.Key,
            Status = parsed.Status,
            Note = parsed.Note,
            At = time.GetUtcNow(),
        });
        if (post is null)
        {
            return new ErrorReply($"WAYR {week} closed a moment ago. Post again when the next week opens.");
        }

        if (parsed.Item is { } posted)
        {
            search.EntryChanged(invocation.GroupId, posted.Entry.Number);
        }

        var wayrWeek = wayr.EnsureWeek(invocation.GroupId, week);
        return new TextReply($"Posted to WAYR #{wayrWeek.Number} ({week}) as post {post.Number}: {Describe(parsed.Item, post)}. Edit it with /wayr edit {post.Number} <text> or delete it with /wayr delete {post.Number} while the week is open.{StreakNote(invocation, post)}");
    }

    public async Task<Reply> EditAsync(Invocation invocation, int number, string text, CancellationToken cancellationToken)
    {
        var (post, error) = OwnPostThisWeek(invocation, number, "edit");
        if (post is null)
        {
            return new ErrorReply(error!);
        }

        var parsed = await ReadAsync(invocation, text, cancellationToken);
        if (parsed.Error is not null)
        {
            return new ErrorReply(parsed.Error);
        }

        var edited = post with { PaperKey = parsed.Item?.Paper.Key, Status = parsed.Status, Note = parsed.Note, EditedAt = time.GetUtcNow() };
        wayr.SavePost(edited);
        if (parsed.Item is { } editedItem)
        {
            search.EntryChanged(invocation.GroupId, editedItem.Entry.Number);
        }

        return new TextReply($"Post {number} is now: {Describe(parsed.Item, edited)}.{StreakNote(invocation, edited)}");
    }

    public Reply Delete(Invocation invocation, int number)
    {
        var (post, error) = OwnPostThisWeek(invocation, number, "delete");
        if (post is null)
        {
            return new ErrorReply(error!);
        }

        wayr.DeletePost(invocation.GroupId, post.Week, number);
        return new TextReply($"Deleted post {number} from this week's WAYR.");
    }

    public Reply List(Invocation invocation, string? weekText)
    {
        var zone = invocation.Group.Zone();
        var week = WeekKey.Of(time.GetUtcNow(), zone);
        if (weekText is not null && !WeekKey.TryParse(weekText, out week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekText)}' is not a week. Use a week such as 2026-W48.");
        }

        var posts = wayr.Posts(invocation.GroupId, week);
        var number = wayr.FindWeek(invocation.GroupId, week)?.Number;
        var title = number is null ? $"What Are You Reading — {week}" : $"What Are You Reading #{number} — {week}";
        var items = posts.Select(p => new ListItem($"{p.Number}. {Name(invocation.GroupId, p.Author)} — {Describe(p.PaperKey is null ? null : library.FindByKey(invocation.GroupId, p.PaperKey), p)}")).ToList();
        return new ListReply(title, items, "No posts yet. Post with /wayr <paper or note>.");
    }

    public Reply ShowDigest(Invocation invocation, string? weekText)
    {
        Digest? digest;
        if (weekText is null)
        {
            digest = digests.Latest(invocation.GroupId);
            if (digest is null)
            {
                return new ErrorReply($"No digest yet: the first one comes when a WAYR week closes ({invocation.Group.Setting(WayrSettings.Close)}).");
            }
        }
        else if (!WeekKey.TryParse(weekText, out var week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekText)}' is not a week. Use a week such as 2026-W48.");
        }
        else if ((digest = digests.Find(invocation.GroupId, week)) is null)
        {
            return new ErrorReply($"There is no digest for {week}: digests are made when a week closes.");
        }

        return new CardReply(DigestBuilder.Render(digest));
    }

    /// <summary>A member's streak card; with <paramref name="picture"/>, it carries the heatmap as a PNG (the web page draws its own SVG).</summary>
    public Reply ShowStreak(Invocation invocation, string? memberText, bool picture = true)
    {
        var member = memberText is null ? invocation.Member : members.FindByIdOrName(invocation.GroupId, memberText);
        if (member is null)
        {
            return new ErrorReply($"No member called '{CommandBinder.Clip(memberText!)}' in this group.");
        }

        var streak = streaks.Find(invocation.GroupId, member.UserId) ?? new MemberStreak(invocation.GroupId, member.UserId);
        var rules = WayrSettings.Rules(invocation.Group);
        var (week, closedError) = OpenWeek(invocation.Group);
        var posted = closedError is null && wayr.Posts(invocation.GroupId, week).Any(p => p.Author == member.UserId);
        var ledger = streaks.Ledger(invocation.GroupId, member.UserId).OrderByDescending(e => e.Week).Take(8)
            .Select(e => $"{e.Week}: {e.Outcome.ToString().ToLowerInvariant()} ({e.Reason})");
        var closes = invocation.Group.LocalText(WayrSettings.ClosesAt(invocation.Group, week));
        var card = new Card($"{member.DisplayName}'s streak: {Weeks(streak.Current)}")
        {
            Fields =
            [
                new CardField("Longest", Weeks(streak.Longest)),
                new CardField("Total weeks kept", streak.TotalKept.ToString(CultureInfo.InvariantCulture)),
                new CardField("Freezes held", streak.Freezes >= rules.MaxHeld
                    ? $"{streak.Freezes}, the most you can hold"
                    : $"{streak.Freezes} of at most {rules.MaxHeld}; the next one after {rules.EarnEvery - streak.KeptTowardFreeze} more kept week(s)"),
                new CardField("This week", closedError is not null ? "closed" : posted ? $"posted (counts when the week closes, {closes})" : $"nothing yet; post with /wayr before {closes}"),
            ],
            Body = string.Join('\n', ledger) is { Length: > 0 } lines ? "Recent weeks:\n" + lines : null,
            Image = picture ? charts.StreakPicture(invocation.Group, member.UserId, member.DisplayName) : null,
        };
        return new CardReply(card);
    }

    public Reply Leaderboard(Invocation invocation)
    {
        var rows = streaks.Standings(invocation.GroupId, out var asOf);
        var optedOut = members.List(invocation.GroupId).Where(m => m.Setting(Settings.SettingCatalogue.Leaderboard) == "off").Select(m => m.UserId).ToHashSet();
        var items = rows.Where(r => !optedOut.Contains(r.Member)).Take(20)
            .Select((r, i) => new ListItem($"{i + 1}. {Name(invocation.GroupId, r.Member)} — streak {r.Current}, longest {r.Longest}, {Plural.Count(r.TotalKept, "week")} in all"))
            .ToList();
        return new ListReply(asOf is null ? "Leaderboard" : $"Leaderboard (as of {asOf})", items,
            "No standings yet: they are frozen when a WAYR week closes.", "Ranked by current streak, then longest, then total weeks. Leave it with /settings leaderboard off.");
    }

    public Reply Correct(Invocation invocation, string memberText, string weekText, string resultText, string reason)
    {
        var member = members.FindByIdOrName(invocation.GroupId, memberText);
        if (member is null)
        {
            return new ErrorReply($"No member called '{CommandBinder.Clip(memberText)}' in this group.");
        }

        if (!WeekKey.TryParse(weekText, out var week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekText)}' is not a week. Use a week such as 2026-W48.");
        }

        if (wayr.FindWeek(invocation.GroupId, week) is not { Closed: true })
        {
            return new ErrorReply($"{week} has not closed yet; only closed weeks can be corrected.");
        }

        var result = Enum.Parse<WeekResult>(resultText, ignoreCase: true);
        var ledger = streaks.Ledger(invocation.GroupId, member.UserId);
        var before = ledger.FirstOrDefault(e => e.Week == week);
        if (before?.Outcome == result)
        {
            return new ErrorReply($"{member.DisplayName}'s {week} is already {result.ToString().ToLowerInvariant()}.");
        }

        var now = time.GetUtcNow();
        var replacement = new LedgerEntry(invocation.GroupId, member.UserId, week, result, $"corrected by {invocation.Member.DisplayName}: {reason}", now);
        var replayed = StreakRules.Replay(invocation.GroupId, member.UserId, ledger.Where(e => e.Week != week).Append(replacement), WayrSettings.Rules(invocation.Group));
        // The leaderboard stays as of the last close, with the corrected member's row replayed now, not at the next close.
        var standings = StreakRules.Rank(streaks.Standings(invocation.GroupId, out _).Where(r => r.Member != member.UserId).Append(StreakRules.Row(replayed)));
        streaks.Correct(new StreakCorrection(invocation.GroupId, member.UserId, week, before?.Outcome, result, reason, invocation.Member.UserId, now), replacement, replayed, standings);
        return new TextReply($"{member.DisplayName}'s {week} is now {result.ToString().ToLowerInvariant()} (was {before?.Outcome.ToString().ToLowerInvariant() ?? "not recorded"}); streak {replayed.Current}, longest {replayed.Longest}. Recorded in the audit log.");
    }

    public Reply Audit(Invocation invocation)
    {
        var zone = invocation.Group.Zone();
        var items = streaks.Audit(invocation.GroupId, 20).Select(c =>
            new ListItem($"{TimeZoneInfo.ConvertTime(c.At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id} — {Name(invocation.GroupId, c.CorrectedBy)} set {Name(invocation.GroupId, c.Member)}'s {c.Week} from {c.Before?.ToString().ToLowerInvariant() ?? "none"} to {c.After.ToString().ToLowerInvariant()}: {c.Reason}")).ToList();
        return new ListReply("Streak corrections (audit log)", items, "No corrections so far.");
    }

    public async Task<Reply> RecordReadingAsync(Invocation invocation, string reference, string passText, CancellationToken cancellationToken)
    {
        var ensured = await library.EnsureAsync(invocation, reference, null, cancellationToken);
        if (ensured.Item is not { } item)
        {
            return new ErrorReply(ensured.Error!);
        }

        var pass = Enum.Parse<ReadingPass>(passText, ignoreCase: true);
        progress.Save(new ReadingProgress(invocation.GroupId, invocation.Member.UserId, item.Paper.Key, pass, time.GetUtcNow()));
        if (pass == ReadingPass.Done)
        {
            // Finishing a roadmap paper moves the member along the roadmap too.
            roadmaps.MarkRead(invocation.GroupId, invocation.Member.UserId, item.Paper.Key);
        }

        return new TextReply(pass == ReadingPass.Done
            ? $"Finished {item.Label} {item.Title}. Well done!"
            : $"You are on {PassName(pass)} of {item.Label} {item.Title}.");
    }

    public Reply ShowProgress(Invocation invocation, string? memberText)
    {
        var member = memberText is null ? invocation.Member : members.FindByIdOrName(invocation.GroupId, memberText);
        if (member is null)
        {
            return new ErrorReply($"No member called '{CommandBinder.Clip(memberText!)}' in this group.");
        }

        var items = progress.ForMember(invocation.GroupId, member.UserId).OrderByDescending(p => p.At)
            .Select(p => library.FindByKey(invocation.GroupId, p.PaperKey) is { } item
                ? new ListItem($"{item.Label} {item.Title} — {PassName(p.Pass)}", item.Paper.Url, PaperNumber: item.Entry.Number)
                : new ListItem($"{p.PaperKey} — {PassName(p.Pass)}"))
            .ToList();
        return new ListReply($"{member.DisplayName}'s reading", items, "Nothing recorded yet. Record a pass with /read <paper> <pass1|pass2|pass3|done>.");
    }

    public static string PassName(ReadingPass pass) => pass switch
    {
        ReadingPass.Pass1 => "the first pass",
        ReadingPass.Pass2 => "the second pass",
        ReadingPass.Pass3 => "the third pass",
        _ => "done",
    };

    /// <summary>True when a post keeps its author's week: it names a paper, or its note has at least <c>wayr-min-note</c> characters.</summary>
    public static bool Qualifies(WayrPost post, int minNote) => post.PaperKey is not null || post.Note.Length >= minNote;

    /// <summary>For a post that does not keep the week: a sentence saying so and what would; empty otherwise.</summary>
    private string StreakNote(Invocation invocation, WayrPost post)
    {
        var minNote = WayrSettings.MinNoteLength(invocation.Group);
        if (Qualifies(post, minNote))
        {
            return "";
        }

        var keeping = wayr.Posts(invocation.GroupId, post.Week).FirstOrDefault(p => p.Author == post.Author && p.Number != post.Number && Qualifies(p, minNote));
        var why = $"a post without a paper needs a note of at least {minNote} characters (this one has {post.Note.Length})";
        return keeping is not null
            ? $" This post alone would not keep your streak ({why}), but your post {keeping.Number} keeps this week."
            : $" This post does not count toward your streak: {why}. To keep the week, name a paper (a link, an arXiv id, a DOI or #n) or write a longer note, with /wayr edit {post.Number} <text> or a new post.";
    }

    /// <summary>The member's own post <paramref name="number"/> of the open week, or why it cannot be changed.</summary>
    private (WayrPost? Post, string? Error) OwnPostThisWeek(Invocation invocation, int number, string verb)
    {
        var (week, closedError) = OpenWeek(invocation.Group);
        if (closedError is not null)
        {
            return (null, closedError);
        }

        var post = wayr.Posts(invocation.GroupId, week).FirstOrDefault(p => p.Number == number);
        return post is null
            ? (null, $"There is no post {number} in this week's WAYR. See them with /wayr list.")
            : post.Author != invocation.Member.UserId
                ? (null, $"Post {number} is {Name(invocation.GroupId, post.Author)}'s; you can {verb} only your own posts.")
                : (post, null);
    }

    /// <summary>The week posts go to now, or why none is open (the week closed and the next has not begun).</summary>
    private (WeekKey Week, string? Error) OpenWeek(Group group)
    {
        var zone = group.Zone();
        var week = WeekKey.Of(time.GetUtcNow(), zone);
        if (wayr.FindWeek(group.Id, week) is { Closed: true })
        {
            var next = WayrSettings.OpensAt(group, week.Next());
            return (week, $"This week's WAYR ({week}) has closed. The next one opens {group.LocalText(next)}; post then.");
        }

        return (week, null);
    }

    private async Task<(LibraryItem? Item, ReadingStatus Status, string Note, string? Error)> ReadAsync(Invocation invocation, string text, CancellationToken cancellationToken)
    {
        var parsed = WayrPostParser.Parse(text);
        if (parsed.Error is not null)
        {
            return (null, parsed.Status, parsed.Note, parsed.Error);
        }

        if (parsed.Reference is null)
        {
            return (null, parsed.Status, parsed.Note, null);
        }

        var ensured = await library.EnsureAsync(invocation, parsed.Reference, null, cancellationToken);
        return (ensured.Item, parsed.Status, parsed.Note, ensured.Error);
    }

    private static string Describe(LibraryItem? item, WayrPost post)
    {
        var paper = item is null ? "" : $"{item.Label} {item.Title} ";
        var note = post.Note.Length == 0 ? "" : $": {post.Note}";
        return $"{paper}[{post.Status.ToString().ToLowerInvariant()}]{note}".Trim();
    }

    private string Name(GroupId group, string userId) => members.Find(group, userId)?.DisplayName ?? userId;

    private static string Weeks(int n) => Plural.Count(n, "week");
}
