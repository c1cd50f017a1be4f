namespace ReadingBot.Core.Ports;

/// <summary>
/// The session starts (Discord IDENTIFYs) of one bot token over the last 24 hours, shared by every process that runs
/// shards of that token: Discord resets the token when the day's budget runs out, so the count must be global, not
/// per process. Times come from the caller's clock.
/// </summary>
public interface ISessionStartLedger
{
    /// <summary>How far back a start counts against the daily cap.</summary>
    static TimeSpan Window => TimeSpan.FromHours(24);

    /// <summary>
    /// Records a start of <paramref name="shardId"/> at <paramref name="at"/> when fewer than <paramref name="dailyCap"/>
    /// starts of <paramref name="ledger"/> fall in the <see cref="Window"/> before it; returns whether it did. Atomic
    /// across threads and (on a shared store) across processes: racing callers never take more than the cap.
    /// </summary>
    bool TryTake(string ledger, int shardId, DateTimeOffset at, int dailyCap);

    /// <summary>The starts of <paramref name="ledger"/> in the <see cref="Window"/> before <paramref name="now"/>, oldest first.</summary>
    IReadOnlyList<SessionStart> Recent(string ledger, DateTimeOffset now);
}

/// <summary>One recorded session start: which shard, and when.</summary>
public readonly record struct SessionStart(int ShardId, DateTimeOffset At);
