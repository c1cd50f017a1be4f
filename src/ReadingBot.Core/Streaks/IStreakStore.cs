using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Streaks;

/// <summary>Stores the ledger, streaks, standings and the audit log of corrections.</summary>
public interface IStreakStore
{
    /// <summary>
    /// Writes a week's close atomically. Returns false, writing nothing, if the week was already closed: a close
    /// that is retried after a crash neither loses nor duplicates a ledger entry.
    /// </summary>
    bool CloseWeek(WeekClose close);

    MemberStreak? Find(GroupId group, string member);

    IReadOnlyList<LedgerEntry> Ledger(GroupId group, string member);

    IReadOnlyList<LedgerEntry> LedgerForWeek(GroupId group, WeekKey week);

    IReadOnlyList<LeaderboardRow> Standings(GroupId group, out WeekKey? asOf);

    /// <summary>
    /// Atomically replaces a member's week in the ledger, stores the member's replayed streak, replaces the rows of the
    /// leaderboard (still as of the last close) and appends the correction to the audit log.
    /// </summary>
    void Correct(StreakCorrection correction, LedgerEntry replacement, MemberStreak replayed, IReadOnlyList<LeaderboardRow> standings);

    IReadOnlyList<StreakCorrection> Audit(GroupId group, int count);
}
