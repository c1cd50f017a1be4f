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

    /// <summary>How often buckets whose reset has passed are forgotten.</summary>
    internal static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, string> bucketOfRoute = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BucketState> buckets = new(StringComparer.Ordinal);

    // A gate lives while a request holds or waits for it. An interaction's callback is its own route (its id is the
    // major parameter), so gates kept for good grew by one for every command the bot ever answered.
    private readonly Dictionary<string, RouteGate> routeGates = new(StringComparer.Ordinal);
    private readonly Lock routeGatesLock = new();
    private long lastSweepTicks = time.GetUtcNow().UtcTicks;
    private readonly List<GlobalSlot> globalWindow = [];
    private readonly Lock globalGate = new();
    private DateTimeOffset globalPausedUntil;

    /// <summary>Routes with a gate now (held or waited for), for tests.</summary>
    internal int GatedRoutes
    {
        get
        {
            lock (routeGatesLock)
            {
                return routeGates.Count;
            }
        }
    }

    /// <summary>Buckets whose limits are known now, for tests.</summary>
    internal int KnownBuckets => buckets.Count;

    private sealed class RouteGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Requests holding or waiting for it; guarded by <see cref="routeGatesLock"/>.</summary>
        public int Users { get; set; }
    }

    private sealed class BucketState
    {
        public int? Remaining { get; set; }
        public DateTimeOffset ResetAt { get; set; }
    }

    /// <summary>Waits until <paramref name="route"/> may be sent; dispose the lease once the response is in.</summary>
    public async Task<IDisposable> AcquireAsync(RouteInfo route, CancellationToken cancellationToken)
    {
        var key = route.Key + ":" + route.Major;
        var gate = EnterGate(key);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            LeaveGate(key, gate);
            throw;
        }

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

            return new Lease(key, gate, slot, this);
        }
        catch
        {
            gate.Semaphore.Release();
            LeaveGate(key, gate);
            throw;
        }
    }

    private RouteGate EnterGate(string key)
    {
        lock (routeGatesLock)
        {
            if (!routeGates.TryGetValue(key, out var gate))
            {
                routeGates[key] = gate = new RouteGate();
            }

            gate.Users++;
            return gate;
        }
    }

    private void LeaveGate(string key, RouteGate gate)
    {
        lock (routeGatesLock)
        {
            // Whoever waits for the gate counted itself in before waiting, so a gate left with no users has no waiters.
            if (--gate.Users == 0)
            {
                routeGates.Remove(key);
            }
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

        SweepIfDue(now);
    }

    /// <summary>
    /// Forgets buckets whose reset has passed: such a bucket says nothing any more (the next request may go), and an
    /// interaction's callback leaves one behind for every command.
    /// </summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref lastSweepTicks);
        if (now.UtcTicks - last < SweepPeriod.Ticks || Interlocked.CompareExchange(ref lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var entry in buckets)
        {
            bool spent;
            lock (entry.Value)
            {
                spent = now >= entry.Value.ResetAt;
            }

            if (spent)
            {
                buckets.TryRemove(entry);
            }
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

    private sealed class Lease(string key, RouteGate gate, GlobalSlot? slot, DiscordRateLimiter owner) : IDisposable
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

                gate.Semaphore.Release();
                owner.LeaveGate(key, gate);
            }
        }
    }
}
