using ReadingBot.Core.Groups;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Streaks;

/// <summary>What a closed week meant for a member's streak.</summary>
public enum WeekResult
{
    Kept,
    Frozen,
    Missed,
}

/// <summary>One line of the ledger: a member's result for a closed week, and why.</summary>
public sealed record LedgerEntry(GroupId Group, string Member, WeekKey Week, WeekResult Outcome, string Reason, DateTimeOffset RecordedAt);

/// <summary>A member's streak as of the last closed week, computed from the ledger when a week closes.</summary>
public sealed record MemberStreak(GroupId Group, string Member)
{
    public int Current { get; init; }
    public int Longest { get; init; }
    public int TotalKept { get; init; }
    public int Freezes { get; init; }

    /// <summary>Kept weeks since the last freeze was earned.</summary>
    public int KeptTowardFreeze { get; init; }

    public WeekKey? LastWeek { get; init; }
}

/// <summary>A moderator's correction of a member's week: kept in the audit log for good.</summary>
public sealed record StreakCorrection(GroupId Group, string Member, WeekKey Week, WeekResult? Before, WeekResult After, string Reason, string CorrectedBy, DateTimeOffset At);

/// <summary>A row of the leaderboard as frozen when a week closed.</summary>
public sealed record LeaderboardRow(string Member, int Current, int Longest, int TotalKept);

/// <summary>Everything a week's close writes, in one transaction: the WAYR week, the ledger, the streaks, the standings and the digest.</summary>
public sealed record WeekClose(WayrWeek Week, IEnumerable<LedgerEntry> Entries, IReadOnlyList<MemberStreak> Streaks, IReadOnlyList<LeaderboardRow> Standings, Digest Digest);

/// <summary>The rules for freezes, from the group's settings.</summary>
public sealed record FreezeRules(int EarnEvery, int MaxHeld);
