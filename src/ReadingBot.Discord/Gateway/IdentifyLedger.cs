using Microsoft.Extensions.Options;
using ReadingBot.Core.Ports;

namespace ReadingBot.Discord.Gateway;

/// <summary>
/// Decides when a shard may IDENTIFY, and records it: the daily budget is the bot token's (Discord resets the token at
/// 1000 identifies a day), so it is counted in the shared <see cref="ISessionStartLedger"/> across every process and
/// restart; session starts also go in <c>max_concurrency</c> buckets, one start per bucket per spacing.
/// </summary>
public sealed class IdentifyLedger(ISessionStartLedger starts, IOptions<DiscordOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();

    // Shards of this process waiting for their start: Discord wants a bucket's shards started in id order.
    private readonly SortedSet<int> waiting = [];

    // The token's ledger, named by the application (each application has one bot token); never by the token itself.
    private string Key => "discord:" + options.Value.ApplicationId;

    /// <summary>The identifies of the last 24 hours, by every process on the store.</summary>
    public IReadOnlyList<DateTimeOffset> Recent() => [.. starts.Recent(Key, time.GetUtcNow()).Select(s => s.At)];

    /// <summary>
    /// Takes a session start for <paramref name="shardId"/> now and returns zero, or returns how long to wait first
    /// (its bucket's last start is too recent, or the day's budget is spent here or by Discord's count).
    /// </summary>
    public TimeSpan TryStart(int shardId, int maxConcurrency, int? apiRemaining, TimeSpan? apiResetAfter)
    {
        var settings = options.Value;
        var spacing = TimeSpan.FromSeconds(settings.IdentifySpacingSeconds);
        // One process's shards take turns here; other processes are held to the cap by the store's atomic take.
        lock (gate)
        {
            waiting.Add(shardId);
            var now = time.GetUtcNow();
            var wait = GatewayPolicy.StartWait(starts.Recent(Key, now), shardId, maxConcurrency, now, settings.IdentifyDailyCap, spacing, apiRemaining, apiResetAfter);
            if (wait > TimeSpan.Zero)
            {
                return wait;
            }

            if (waiting.Any(other => other < shardId && GatewayPolicy.RateLimitKey(other, maxConcurrency) == GatewayPolicy.RateLimitKey(shardId, maxConcurrency)))
            {
                // A lower shard of the same bucket goes first; it is between two looks and starts in a moment.
                return LowerShardFirst;
            }

            if (!starts.TryTake(Key, shardId, now, settings.IdentifyDailyCap))
            {
                // Another process took the last start in between: look again after a moment.
                return TimeSpan.FromSeconds(Math.Max(1, settings.IdentifySpacingSeconds));
            }

            waiting.Remove(shardId);
            return TimeSpan.Zero;
        }
    }

    /// <summary>How long a shard waits while a lower shard of its bucket is about to start.</summary>
    public static TimeSpan LowerShardFirst { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The shards this process is about to start, so a higher one never starts before a lower one of its bucket.</summary>
    public void Expect(IEnumerable<int> shardIds)
    {
        lock (gate)
        {
            waiting.UnionWith(shardIds);
        }
    }

    /// <summary>The shard has a session (or stopped): it no longer holds back the higher shards of its bucket.</summary>
    public void Leave(int shardId)
    {
        lock (gate)
        {
            waiting.Remove(shardId);
        }
    }
}
