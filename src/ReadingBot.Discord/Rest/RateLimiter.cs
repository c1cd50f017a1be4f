using System.Collections.Concurrent;
using System.Globalization;

namespace ReadingBot.Discord.Rest;

/// <summary>
/// A REST route as Discord's rate limits see it: the method and path template plus the "major parameter" (channel,
/// guild, or webhook id + token). The same route on two channels has two independent limits.
/// </summary>
public sealed record RouteInfo(string Method, string Template, string Major, bool ExemptFromGlobal)
{
    public string Key => $"{Method} {Template}";

    /// <summary>Classifies a path relative to the API base (for example <c>channels/1/messages/2</c>).</summary>
    public static RouteInfo Classify(string method, string path)
    {
        var segments = path.Split('?')[0].Trim('/').Split('/');
        var template = new string[segments.Length];
        var major = "";
        var exempt = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var previous = i > 0 ? segments[i - 1] : "";
            var isMajor = previous is "channels" or "guilds" && i == 1;
            if (segments[0] is "webhooks" && i is 1 or 2)
            {
                // Interaction tokens are webhook credentials: they form the major parameter but never a log line.
                major = i == 1 ? segments[i] : major + "/" + Fingerprint(segments[i]);
                template[i] = i == 1 ? "{webhook}" : "{token}";
                continue;
            }

            if (segments[0] is "interactions" && i is 1 or 2)
            {
                exempt = true;
                major = i == 1 ? segments[i] : major;
                template[i] = i == 1 ? "{interaction}" : "{token}";
                continue;
            }

            if (isMajor)
            {
                major = segments[i];
                template[i] = "{" + previous.TrimEnd('s') + "}";
            }
            else
            {
                template[i] = segments[i].Length > 0 && segments[i].All(char.IsAsciiDigit) ? "{id}" : segments[i];
            }
        }

        // Webhook (interaction) routes are exempt from the global limit too, per Discord's docs.
        return new RouteInfo(method, string.Join('/', template), major, exempt || segments[0] == "webhooks");
    }

    private static string Fingerprint(string secret) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)).AsSpan(0, 6));
}

/// <summary>
/// Discord's REST limits on the client side: per-bucket state learned from X-RateLimit-* headers (reset computed
/// from Reset-After and our own receive time, never from the skew-prone epoch Reset), requests serialised per
/// route, a process-wide cap under the 50/s global limit, and a global pause after a global 429.
/// </summary>
public sealed class DiscordRateLimiter(TimeProvider time, int globalPerSecond = 45)
{
    private static readonly TimeSpan AbsurdReset = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, string> bucketOfRoute = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BucketState> buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> routeGates = new(StringComparer.Ordinal);
    private readonly List<GlobalSlot> globalWindow = [];
    private readonly Lock globalGate = new();
    private DateTimeOffset globalPausedUntil;

    private sealed class BucketState
    {
        public int? Remaining { get; set; }
        public DateTimeOffset ResetAt { get; set; }
    }

    /// <summary>Waits until <paramref name="route"/> may be sent; dispose the lease once the response is in.</summary>
    public async Task<IDisposable> AcquireAsync(RouteInfo route, CancellationToken cancellationToken)
    {
        var gate = routeGates.GetOrAdd(route.Key + ":" + route.Major, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var wait = ReserveBucket(route);
                if (wait <= TimeSpan.Zero)
                {
                    break;
                }

                await Task.Delay(wait, time, cancellationToken);
            }

            GlobalSlot? slot = null;
            if (!route.ExemptFromGlobal)
            {
                while (true)
                {
                    (slot, var wait) = ReserveGlobal();
                    if (slot is not null)
                    {
                        break;
                    }

                    await Task.Delay(wait, time, cancellationToken);
                }
            }
            else
            {
                while (GlobalPause() is var pause && pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, time, cancellationToken);
                }
            }

            return new Lease(gate, slot, this);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Learns the bucket from a response's headers.</summary>
    public void Update(RouteInfo route, IReadOnlyDictionary<string, string> headers)
    {
        var now = time.GetUtcNow();
        if (headers.TryGetValue("X-RateLimit-Bucket", out var hash) && hash.Length > 0)
        {
            bucketOfRoute[route.Key] = hash;
        }

        if (!headers.TryGetValue("X-RateLimit-Remaining", out var remainingText)
            || !int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
            || !headers.TryGetValue("X-RateLimit-Reset-After", out var resetText)
            || !double.TryParse(resetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
        {
            return;
        }

        var reset = TimeSpan.FromSeconds(resetAfter);
        if (reset > AbsurdReset || reset < TimeSpan.Zero)
        {
            // Headers have been wrong before (a bogus bucket throttled clients for hours): trust 429s instead.
            return;
        }

        var state = buckets.GetOrAdd(BucketKey(route), _ => new BucketState());
        lock (state)
        {
            state.Remaining = remaining;
            state.ResetAt = now + reset;
        }
    }

    /// <summary>After a 429: empty the bucket (or pause everything, for a global one) for <paramref name="retryAfter"/>.</summary>
    public void OnRateLimited(RouteInfo route, TimeSpan retryAfter, bool global)
    {
        var until = time.GetUtcNow() + retryAfter;
        if (global)
        {
            lock (globalGate)
            {
                if (until > globalPausedUntil)
                {
                    globalPausedUntil = until;
                }
            }

            return;
        }

        var state = buckets.GetOrAdd(BucketKey(route), _ => new BucketState());
        lock (state)
        {
            state.Remaining = 0;
            state.ResetAt = until > state.ResetAt ? until : state.ResetAt;
        }
    }

    private string BucketKey(RouteInfo route) =>
        (bucketOfRoute.TryGetValue(route.Key, out var hash) ? hash : route.Key) + ":" + route.Major;

    private TimeSpan ReserveBucket(RouteInfo route)
    {
        if (!buckets.TryGetValue(BucketKey(route), out var state))
        {
            return TimeSpan.Zero;
        }

        lock (state)
        {
            var now = time.GetUtcNow();
            if (now >= state.ResetAt)
            {
                state.Remaining = null;
                return TimeSpan.Zero;
            }

            if (state.Remaining is null or > 0)
            {
                // Reserve our request now, so another route sharing this bucket sees the slot as taken.
                state.Remaining = state.Remaining - 1;
                return TimeSpan.Zero;
            }

            return state.ResetAt - now + TimeSpan.FromMilliseconds(5);
        }
    }

    private TimeSpan GlobalPause()
    {
        lock (globalGate)
        {
            var now = time.GetUtcNow();
            return globalPausedUntil > now ? globalPausedUntil - now : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// A request counts against the global second from its reservation until one second after its response: Discord
    /// counts arrivals, which fall somewhere in between, so this keeps every second of arrivals under the limit.
    /// </summary>
    private (GlobalSlot? Slot, TimeSpan Wait) ReserveGlobal()
    {
        lock (globalGate)
        {
            var now = time.GetUtcNow();
            if (globalPausedUntil > now)
            {
                return (null, globalPausedUntil - now);
            }

            globalWindow.RemoveAll(s => s.CompletedAt is { } done && now - done >= TimeSpan.FromSeconds(1));
            if (globalWindow.Count >= globalPerSecond)
            {
                var earliest = globalWindow.Where(s => s.CompletedAt is not null).Select(s => s.CompletedAt!.Value).DefaultIfEmpty(now).Min();
                var wait = earliest + TimeSpan.FromSeconds(1) - now;
                return (null, wait > TimeSpan.FromMilliseconds(10) ? wait : TimeSpan.FromMilliseconds(10));
            }

            var slot = new GlobalSlot();
            globalWindow.Add(slot);
            return (slot, TimeSpan.Zero);
        }
    }

    private void Complete(GlobalSlot slot)
    {
        lock (globalGate)
        {
            slot.CompletedAt = time.GetUtcNow();
        }
    }

    private sealed class GlobalSlot
    {
        public DateTimeOffset? CompletedAt { get; set; }
    }

    private sealed class Lease(SemaphoreSlim gate, GlobalSlot? slot, DiscordRateLimiter owner) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                if (slot is not null)
                {
                    owner.Complete(slot);
                }

                gate.Release();
            }
        }
    }
}
