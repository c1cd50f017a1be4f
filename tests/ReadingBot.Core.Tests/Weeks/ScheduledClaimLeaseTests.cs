using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

/// <summary>
/// A scheduled post's claim is a lease: a process that dies between the claim and the mark does not lose the post,
/// and the resend carries the post's key so the platform can drop a copy. The crash is a throw from the outbound port
/// followed by a new bot on the same database (a restart); the clock is a fake one.
/// </summary>
public sealed class ScheduledClaimLeaseTests
{
    // Monday 2026-11-23 09:00 UTC is the announce time of 2026-W48 (Etc/UTC); the default lease is 2 minutes.
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly string AnnounceKey = $"{TestBot.LocalGroup.Id.Value}|2026-W48|announce";

    private static Task<int> Tick(TestBot bot) => bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    private static List<OutboundPost> Announcements(TestBot bot) =>
        bot.Outbound.Posts.Where(p => p.Key == AnnounceKey).ToList();

    private static async Task<TestBot> PlannedBot(ReadingBotDatabase db)
    {
        var bot = TestBot.Create(start: Due.AddDays(-3), database: db);
        await bot.SendAsync("/settings timezone Etc/UTC", "mod", moderator: true);
        await bot.SendAsync("/settings announce monday 09:00", "mod", moderator: true);
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        return bot;
    }

    [Fact]
    public async Task A_crash_between_the_claim_and_the_send_is_posted_once_after_the_lease()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        using (var before = await PlannedBot(db))
        {
            before.Outbound.DieBeforeSending = p => p.Key == AnnounceKey;
            before.Time.SetUtcNow(Due.AddMinutes(1));
            await Tick(before);
            Assert.Empty(Announcements(before));
            Assert.Equal(ScheduledPostState.Claimed, before.Get<IScheduledPostStore>().Find(AnnounceKey)!.State);
        }

        using var after = TestBot.Create(start: Due.AddMinutes(2), database: db);
        await Tick(after);
        Assert.Empty(Announcements(after));

        after.Time.SetUtcNow(Due.AddMinutes(3));
        await Tick(after);
        after.Time.Advance(TimeSpan.FromMinutes(5));
        await Tick(after);

        var resent = Assert.Single(Announcements(after));
        Assert.Equal(Due.AddMinutes(1), resent.EarlierAttemptAt);
        Assert.StartsWith("Paper of the week 2026-W48", Assert.IsType<CardReply>(resent.Content).Card.Title, StringComparison.Ordinal);
        Assert.Equal(ScheduledPostState.Posted, after.Get<IScheduledPostStore>().Find(AnnounceKey)!.State);
    }

    [Fact]
    public async Task A_crash_after_the_send_resends_with_the_same_key_and_the_earlier_attempt_for_the_platform_to_drop()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        using (var before = await PlannedBot(db))
        {
            before.Outbound.DieAfterSending = p => p.Key == AnnounceKey;
            before.Time.SetUtcNow(Due.AddMinutes(1));
            await Tick(before);
            var first = Assert.Single(Announcements(before));
            Assert.Null(first.EarlierAttemptAt);
        }

        using var after = TestBot.Create(start: Due.AddMinutes(3).AddSeconds(1), database: db);
        await Tick(after);
        await Tick(after);

        var resent = Assert.Single(Announcements(after));
        Assert.Equal(AnnounceKey, resent.Key);
        Assert.Equal(Due.AddMinutes(1), resent.EarlierAttemptAt);
    }

    [Fact]
    public async Task A_fresh_claim_is_not_taken_over_by_the_next_pass()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        using var bot = await PlannedBot(db);
        bot.Outbound.DieBeforeSending = p => p.Key == AnnounceKey;
        bot.Time.SetUtcNow(Due);
        await Tick(bot);
        bot.Outbound.DieBeforeSending = null;

        bot.Time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        await Tick(bot);

        Assert.Empty(Announcements(bot));
    }

    [Fact]
    public async Task A_groups_later_posts_wait_while_another_process_is_still_making_its_automatic_pick()
    {
        // Every process serves a Slack workspace, so one may reach the announcement while another is making the pick.
        using var db = ReadingBotDatabase.OpenMemory();
        using var bot = TestBot.Create(start: Due.AddDays(-3), database: db);
        await bot.SendAsync("/settings timezone Etc/UTC", "mod", moderator: true);
        await bot.SendAsync("/settings announce monday 09:00", "mod", moderator: true);
        await bot.SendAsync("/settings autopick on", "mod", moderator: true);
        await bot.SendAsync("/settings autopick-cutoff 1h", "mod", moderator: true);
        var autoPickKey = $"{TestBot.LocalGroup.Id.Value}|2026-W48|{WeeklyPaperJob.AutoPickKind}";
        var store = bot.Get<IScheduledPostStore>();
        bot.Time.SetUtcNow(Due.AddMinutes(1));
        Assert.True(store.TryClaim(new ScheduledPostRecord(autoPickKey, TestBot.LocalGroup.Id, new WeekKey(2026, 48), WeeklyPaperJob.AutoPickKind, ScheduledPostState.Claimed, Due.AddMinutes(1), null), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(2), out _));

        static bool IsAnnouncement(OutboundPost p) => p.Key?.Contains("|announce", StringComparison.Ordinal) == true;
        await Tick(bot);
        Assert.DoesNotContain(bot.Outbound.Posts, IsAnnouncement);
        Assert.Null(store.Find(AnnounceKey));

        // The other process picks and completes its claim: the announcement then names the paper, and only once.
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        store.Complete(autoPickKey, ScheduledPostState.Posted, Due.AddMinutes(1), "1706.03762");
        await Tick(bot);
        await Tick(bot);

        var announcement = Assert.Single(bot.Outbound.Posts, IsAnnouncement);
        Assert.Equal(AnnounceKey, announcement.Key);
        Assert.StartsWith("Paper of the week 2026-W48", Assert.IsType<CardReply>(announcement.Content).Card.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_after_the_week_closed_but_before_its_digest_was_posted_posts_the_stored_digest()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var closes = new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);
        static bool IsDigest(OutboundPost p) => p.Content is CardReply c && c.Card.Title.StartsWith("WAYR #1 digest", StringComparison.Ordinal);
        using (var before = TestBot.Create(database: db))
        {
            await before.SendAsync("/wayr reading a long enough note about the paper I read", "alice");
            before.Outbound.DieBeforeSending = IsDigest;
            before.Time.SetUtcNow(closes);
            await Tick(before);
            Assert.DoesNotContain(before.Outbound.Posts, IsDigest);
            Assert.NotNull(before.Get<IDigestStore>().Find(TestBot.LocalGroup.Id, new WeekKey(2026, 48)));
        }

        using var after = TestBot.Create(start: closes.AddMinutes(3), database: db);
        await Tick(after);
        await Tick(after);

        var digest = Assert.Single(after.Outbound.Posts, IsDigest);
        Assert.Contains("alice", Assert.IsType<CardReply>(digest.Content).Card.Body, StringComparison.Ordinal);
        Assert.Equal($"{TestBot.LocalGroup.Id.Value}|2026-W48|{WayrJob.CloseKind}", digest.Key);
    }
}
