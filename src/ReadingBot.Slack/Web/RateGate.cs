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

    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the channel's single lane: posts to one channel go one at a time, each starting at least
    /// <paramref name="interval"/> after the previous one was answered, so their arrival at Slack is spaced too
    /// (spacing by start time alone lets network jitter squeeze two posts under a second).
    /// </summary>
    public async Task<IDisposable> EnterLaneAsync(string key, TimeSpan interval, CancellationToken cancellationToken)
    {
        Lane lane;
        lock (lanes)
        {
            if (!lanes.TryGetValue(key, out lane!))
            {
                lane = new Lane();
                lanes[key] = lane;
            }
        }

        await lane.Lock.WaitAsync(cancellationToken);
        try
        {
            var wait = lane.NextAllowed - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
        catch
        {
            lane.Lock.Release();
            throw;
        }

        return new LaneLease(lane, interval, time);
    }

    /// <summary>Slack said 429 for this lane: the next post waits at least <paramref name="retryAfter"/>.</summary>
    public void PauseLane(string key, TimeSpan retryAfter)
    {
        lock (lanes)
        {
            if (lanes.TryGetValue(key, out var lane))
            {
                lane.PauseUntil = time.GetUtcNow() + retryAfter;
            }
        }
    }

    private sealed class Lane
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public DateTimeOffset NextAllowed { get; set; }
        public DateTimeOffset PauseUntil { get; set; }
    }

    private sealed class LaneLease(Lane lane, TimeSpan interval, TimeProvider time) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                var next = time.GetUtcNow() + interval;
                lane.NextAllowed = next > lane.PauseUntil ? next : lane.PauseUntil;
                lane.Lock.Release();
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
