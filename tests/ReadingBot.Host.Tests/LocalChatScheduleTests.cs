using System.Globalization;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

public sealed class LocalChatScheduleTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-live-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_group_schedules_a_minute_ahead_and_sees_the_announcement_and_a_reminder_printed()
    {
        await using var bot = LiveBot.Start(data, "--Scheduler:TickSeconds", "1", "--Local:Enabled", "true");

        await bot.SendAsync("/paper suggest 1706.03762 the paper that started it");
        await bot.SendAsync("/as bob");
        await bot.SendAsync("/paper vote #1");
        await bot.SendAsync("/as admin");
        await bot.WaitForAsync("You are now admin", TimeSpan.FromSeconds(60));

        // The real clock, read once the bot answers (a slow start must not eat the margin): announce at a
        // whole minute at least 30 s away, meet two minutes after it, remind a minute before.
        var announce = NextWholeMinute(DateTimeOffset.UtcNow.AddSeconds(30));
        var meeting = announce.AddMinutes(2);
        await bot.SendAsync($"/settings meeting {Day(meeting)} {meeting:HH:mm}");
        await bot.SendAsync("/settings reminders 1m");
        await bot.SendAsync($"/week schedule {Day(announce)} {announce:HH:mm} Etc/UTC");
        await bot.SendAsync("/week pick #1");
        await bot.WaitForAsync("is the paper of", TimeSpan.FromSeconds(60));

        await bot.WaitForAsync("Paper of the week", TimeSpan.FromSeconds(150));
        await bot.WaitForAsync("Reminder: we meet in 1 minutes", TimeSpan.FromSeconds(150));

        var thread = System.Text.RegularExpressions.Regex.Match(bot.Output, @"\(thread (t\d+) opened").Groups[1].Value;
        await bot.SendAsync($"/thread {thread} section 3.2 is where it clicked");
        await bot.SendAsync("/thread t999 hello");
        await bot.WaitForAsync("Noted in the discussion of #1", TimeSpan.FromSeconds(30));
        await bot.WaitForAsync("Error: t999 is not a thread the bot opened.", TimeSpan.FromSeconds(30));

        Assert.Contains("[bot in #home] Paper of the week", bot.Output, StringComparison.Ordinal);
        Assert.Contains("Suggested by: admin: the paper that started it", bot.Output, StringComparison.Ordinal);
        Assert.Contains("(thread t", bot.Output, StringComparison.Ordinal);
        Assert.Contains("[bot in thread t", bot.Output, StringComparison.Ordinal);
        Assert.Equal(0, await bot.StopAsync());
    }

    private static DateTimeOffset NextWholeMinute(DateTimeOffset after)
    {
        var floor = new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, TimeSpan.Zero);
        return floor.AddMinutes(1);
    }

    private static string Day(DateTimeOffset at) => at.DayOfWeek.ToString().ToLower(CultureInfo.InvariantCulture);
}
