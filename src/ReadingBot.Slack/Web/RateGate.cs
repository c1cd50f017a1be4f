namespace ReadingBot.Slack.Web;

/// <summary>
/// Token buckets keyed by Web API method (Slack's tiers) and by channel (chat.postMessage ≈ 1/s per channel).
/// Callers reserve a slot and wait for it, so concurrent senders queue instead of bursting; a 429 pauses the key
/// for Retry-After. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class RateGate(TimeProvider time)
{
    private readonly Dictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    /// <summary>Waits until the key has a free slot (capacity <paramref name="burst"/>, one more every <paramref name="interval"/>).</summary>
    public Task WaitAsync(string key, int burst, TimeSpan interval, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        TimeSpan delay;
        lock (buckets)
        {
            var now = time.GetUtcNow();
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = new Bucket { Tokens = burst, Updated = now };
                buckets[key] = bucket;
            }

            bucket.Tokens = Math.Min(burst, bucket.Tokens + ((now - bucket.Updated) / interval));
            bucket.Updated = now;
            bucket.Tokens -= 1;
            delay = bucket.Tokens >= 0 ? TimeSpan.Zero : -bucket.Tokens * interval;
            if (bucket.PausedUntil > now + delay)
            {
                delay = bucket.PausedUntil - now;
            }
        }

        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
    }

    /// <summary>Slack said 429: nobody uses the key until <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(string key, TimeSpan retryAfter)
    {
        lock (buckets)
        {
            var now = time.GetUtcNow();
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = new Bucket { Tokens = 0, Updated = now };
                buckets[key] = bucket;
            }

            var until = now + retryAfter;
            if (until > bucket.PausedUntil)
            {
                bucket.PausedUntil = until;
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }
        public DateTimeOffset Updated { get; set; }
        public DateTimeOffset PausedUntil { get; set; }
    }
}
