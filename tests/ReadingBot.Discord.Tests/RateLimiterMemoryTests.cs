using Microsoft.Extensions.Time.Testing;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// Every interaction's callback is a route of its own (its id is the major parameter), so whatever the limiter keeps
/// per route must go when the route is done with, or a bot grows by every command it ever answered.
/// </summary>
public sealed class RateLimiterMemoryTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Gates_of_finished_interactions_are_not_kept()
    {
        var limiter = new DiscordRateLimiter(time);
        for (var i = 0; i < 1000; i++)
        {
            using var lease = await limiter.AcquireAsync(Callback(i), CancellationToken.None);
            Assert.Equal(1, limiter.GatedRoutes);
        }

        Assert.Equal(0, limiter.GatedRoutes);
    }

    [Fact]
    public async Task Requests_on_one_route_still_go_one_at_a_time()
    {
        var limiter = new DiscordRateLimiter(time);
        var route = RouteInfo.Classify("POST", "channels/42/messages");
        var first = await limiter.AcquireAsync(route, CancellationToken.None);

        var second = limiter.AcquireAsync(route, CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal(1, limiter.GatedRoutes);
        first.Dispose();
        (await second).Dispose();
        Assert.Equal(0, limiter.GatedRoutes);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_no_gate_behind()
    {
        var limiter = new DiscordRateLimiter(time);
        var route = RouteInfo.Classify("POST", "channels/42/messages");
        var first = await limiter.AcquireAsync(route, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var second = limiter.AcquireAsync(route, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        first.Dispose();
        Assert.Equal(0, limiter.GatedRoutes);
    }

    [Fact]
    public async Task Buckets_past_their_reset_are_forgotten_and_a_live_one_still_holds_requests_back()
    {
        var limiter = new DiscordRateLimiter(time);
        for (var i = 0; i < 100; i++)
        {
            limiter.Update(Callback(i), Headers("callback", remaining: 4, resetAfterSeconds: 1));
        }

        var spent = RouteInfo.Classify("POST", "channels/42/messages");
        limiter.Update(spent, Headers("messages", remaining: 0, resetAfterSeconds: 600));
        time.Advance(DiscordRateLimiter.SweepPeriod);

        limiter.Update(Callback(1000), Headers("callback", remaining: 4, resetAfterSeconds: 1));

        Assert.Equal(2, limiter.KnownBuckets);
        var held = limiter.AcquireAsync(spent, CancellationToken.None);
        Assert.False(held.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(601));
        (await held).Dispose();
    }

    private static RouteInfo Callback(int i) => RouteInfo.Classify("POST", $"interactions/{1_300_000_000_000_000_000L + i}/token-{i}/callback");

    private static Dictionary<string, string> Headers(string bucket, int remaining, double resetAfterSeconds) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["X-RateLimit-Bucket"] = bucket,
        ["X-RateLimit-Remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset-After"] = resetAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
