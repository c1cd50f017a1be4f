using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class ScheduledPostStoreTests : StoreTestBase
{
    [Fact]
    public void A_claim_holds_for_its_lease_and_a_stale_uncompleted_claim_is_taken_again()
    {
        var posts = new LiteScheduledPostStore(Db);
        var lease = TimeSpan.FromMinutes(2);
        var retry = TimeSpan.FromMinutes(10);
        ScheduledPostRecord Claim(DateTimeOffset at) => new("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, at, null);

        Assert.True(posts.TryClaim(Claim(At), retry, lease, out var none));
        Assert.False(posts.TryClaim(Claim(At.AddMinutes(1)), retry, lease, out _));
        Assert.True(posts.TryClaim(Claim(At.AddMinutes(2)), retry, lease, out var stale));
        posts.Complete("g|2026-W48|announce", ScheduledPostState.Posted, At.AddMinutes(3), "m1");

        Assert.Null(none);
        Assert.Equal((ScheduledPostState.Claimed, At), (stale!.State, stale.At));
        Assert.False(posts.TryClaim(Claim(At.AddDays(1)), retry, lease, out _));
    }

    [Fact]
    public void A_failed_post_is_claimed_again_after_the_retry_delay_not_the_lease()
    {
        var posts = new LiteScheduledPostStore(Db);
        var claim = new ScheduledPostRecord("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, At, null);
        posts.TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
        posts.Complete(claim.Key, ScheduledPostState.Failed, At, "no channel");

        Assert.False(posts.TryClaim(claim with { At = At.AddMinutes(5) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _));
        Assert.True(posts.TryClaim(claim with { At = At.AddMinutes(10) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out var failed));
        Assert.Equal(ScheduledPostState.Failed, failed!.State);
    }
}
