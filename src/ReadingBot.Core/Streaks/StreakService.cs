using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Streaks;

/// <summary>Weekly streaks as members see them: a member's streak, the leaderboard, corrections and their audit log.</summary>
public sealed class StreakService(
    IWayrStore wayr,
    IStreakStore streaks,
    IMemberStore members,
    Charts.ReadingCharts charts,
    TimeProvider time)
{
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
        var (week, closedError) = WayrService.OpenWeek(wayr, invocation.Group, time.GetUtcNow());
        var posted = closedError is null && wayr.Posts(invocation.GroupId, week).Any(p => p.Author == member.UserId);
        var ledger = streaks.Ledger(invocation.GroupId, member.UserId).OrderByDescending(e => e.Week).Take(8)
            .Select(e => $"{e.Week}: {e.Outcome.ToString().ToLowerInvariant()} ({e.Reason})");
        var closes = invocation.Group.MomentOf(WayrSettings.ClosesAt(invocation.Group, week), withRelative: true);
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
        var items = streaks.Audit(invocation.GroupId, 20).Select(c =>
            new ListItem($"{invocation.Group.MomentOf(c.At)} — {Name(invocation.GroupId, c.CorrectedBy)} set {Name(invocation.GroupId, c.Member)}'s {c.Week} from {c.Before?.ToString().ToLowerInvariant() ?? "none"} to {c.After.ToString().ToLowerInvariant()}: {c.Reason}")).ToList();
        return new ListReply("Streak corrections (audit log)", items, "No corrections so far.");
    }

    private string Name(GroupId group, string userId) => members.Find(group, userId)?.DisplayName ?? userId;

    private static string Weeks(int n) => Plural.Count(n, "week");
}
