namespace ReadingBot.Core.Streaks;

/// <summary>
/// The streak rules as pure functions, so the close, corrections and tests share one definition:
/// a kept week adds one to the streak and, every <see cref="FreezeRules.EarnEvery"/> kept weeks, earns a freeze
/// (at most <see cref="FreezeRules.MaxHeld"/> held); a week that was not kept uses a freeze if the member holds one
/// (the streak stands) and is otherwise missed (the streak starts again at zero).
/// </summary>
public static class StreakRules
{
    /// <summary>The result of a closed week for a member who did or did not qualify.</summary>
    public static WeekResult Decide(MemberStreak before, bool qualified) =>
        qualified ? WeekResult.Kept : before.Freezes > 0 ? WeekResult.Frozen : WeekResult.Missed;

    /// <summary>Applies one week's result to a member's streak.</summary>
    public static MemberStreak Apply(MemberStreak before, LedgerEntry entry, FreezeRules rules)
    {
        switch (entry.Outcome)
        {
            case WeekResult.Kept:
                var current = before.Current + 1;
                var toward = before.KeptTowardFreeze + 1;
                var freezes = before.Freezes;
                if (rules.EarnEvery > 0 && toward >= rules.EarnEvery)
                {
                    toward = 0;
                    freezes = Math.Min(rules.MaxHeld, freezes + 1);
                }

                return before with
                {
                    Current = current,
                    Longest = Math.Max(before.Longest, current),
                    TotalKept = before.TotalKept + 1,
                    Freezes = freezes,
                    KeptTowardFreeze = toward,
                    LastWeek = entry.Week,
                };
            case WeekResult.Frozen:
                return before with { Freezes = Math.Max(0, before.Freezes - 1), LastWeek = entry.Week };
            default:
                return before with { Current = 0, KeptTowardFreeze = 0, LastWeek = entry.Week };
        }
    }

    /// <summary>
    /// The leaderboard: members who kept at least one week, by current streak, then longest, then total kept weeks,
    /// then member id (so that ties always come out in the same order).
    /// </summary>
    public static IReadOnlyList<LeaderboardRow> Rank(IEnumerable<LeaderboardRow> rows) =>
        rows.Where(r => r.TotalKept > 0)
            .OrderByDescending(r => r.Current).ThenByDescending(r => r.Longest).ThenByDescending(r => r.TotalKept).ThenBy(r => r.Member, StringComparer.Ordinal)
            .ToList();

    /// <summary>The leaderboard row of a member's streak.</summary>
    public static LeaderboardRow Row(MemberStreak streak) => new(streak.Member, streak.Current, streak.Longest, streak.TotalKept);

    /// <summary>A member's streak replayed from their whole ledger, oldest week first.</summary>
    public static MemberStreak Replay(Groups.GroupId group, string member, IEnumerable<LedgerEntry> ledger, FreezeRules rules) =>
        ledger.OrderBy(e => e.Week).Aggregate(new MemberStreak(group, member), (streak, entry) => Apply(streak, entry, rules));
}
