using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using static ReadingBot.Core.Tests.Recommendations.RecommendationTesting;

namespace ReadingBot.Core.Tests.Recommendations;

public sealed class WayrSignalTests
{
    [Fact]
    public async Task Wayr_posts_and_finished_papers_are_a_members_signals()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("wayr #3 read: loved the figures", "alice");
        await bot.TextAsync("read #5 done", "alice");

        var signals = bot.Get<IReadingSignals>().ForMember(RecommendCommandTests.TestBotGroup(bot), "alice");

        Assert.Contains(signals, s => s.Kind == SignalKind.PostedInWayr);
        Assert.Contains(signals, s => s.Kind == SignalKind.FinishedReading);
    }

    [Fact]
    public async Task The_weekly_digest_suggests_papers_the_group_might_like()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("wayr #2 read: a long enough note about convolutional networks", "alice");
        await bot.TextAsync("like #4", "bob");
        await bot.TextAsync("paper suggest #6 worth a read", "carol");
        await PassAsync(bot);

        bot.Time.SetUtcNow(WeeklySchedule.ToInstant(WeekKey.Of(bot.Time.GetUtcNow(), TimeZoneInfo.Utc).Monday.AddDays(6), new TimeOnly(20, 0), TimeZoneInfo.Utc));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        var digest = Assert.IsType<CardReply>(await bot.SendAsync("digest")).Card;
        Assert.Contains("You might like", digest.Body, StringComparison.Ordinal);
    }
}
