using System.Text;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;
using IcalCalendar = Ical.Net.Calendar;
using IcalEvent = Ical.Net.CalendarComponents.CalendarEvent;

namespace ReadingBot.Core.Tests.Exports;

/// <summary>The calendar feed read back with a real iCalendar parser (Ical.Net), as a calendar client would.</summary>
public sealed class CalendarUpdatesTests : IDisposable
{
    // Friday 2026-11-20 12:00 UTC; the clock never moves, so every change below happens in the same second.
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private async Task<IcalEvent> SessionAsync(string week)
    {
        var file = Assert.IsType<FileReply>(await bot.SendAsync("/export ics"));
        var calendar = IcalCalendar.Load(Encoding.UTF8.GetString(file.Content));
        Assert.NotNull(calendar);
        return Assert.Single(calendar.Events, e => e.Uid!.EndsWith($"/{week}@readingbot", StringComparison.Ordinal));
    }

    /// <summary>Week 2026-W49's session in the feed after each moderator command in turn.</summary>
    private async Task<IReadOnlyList<IcalEvent>> SessionAfterEachAsync(params string[] lines)
    {
        var sessions = new List<IcalEvent>();
        foreach (var line in lines)
        {
            await bot.SendAsync(line, "mod", moderator: true);
            sessions.Add(await SessionAsync("2026-W49"));
        }

        return sessions;
    }

    [Fact]
    public async Task A_session_keeps_its_uid_and_its_sequence_grows_with_each_change_of_paper_or_time_even_in_one_second()
    {
        await bot.SendAsync("/settings timezone Europe/Berlin", "mod", moderator: true);
        var sessions = await SessionAfterEachAsync(
            "/week pick 1706.03762 2026-W49",
            "/week pick 1512.03385 2026-W49",
            "/settings meeting friday 17:00",
            "/week schedule monday 09:00 America/New_York",
            "/settings reminders 1h");
        var (picked, repicked, moved, rezoned) = (sessions[0], sessions[1], sessions[2], sessions[3]);

        Assert.Equal([0, 1, 2, 3, 3], sessions.Select(e => e.Sequence));
        Assert.Single(sessions.Select(e => e.Uid).Distinct());
        Assert.Contains("Attention Is All You Need", picked.Summary, StringComparison.Ordinal);
        Assert.Contains("Deep Residual Learning", repicked.Summary, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 12, 3, 18, 0, 0), repicked.DtStart!.Value);
        Assert.Equal(new DateTime(2026, 12, 4, 17, 0, 0), moved.DtStart!.Value);
        Assert.Equal("America/New_York", rezoned.DtStart!.TzId);
        Assert.Equal("CONFIRMED", rezoned.Status);
    }

    [Fact]
    public async Task A_skipped_week_stays_in_the_feed_as_cancelled_with_a_higher_sequence_and_comes_back_when_picked_again()
    {
        var sessions = await SessionAfterEachAsync("/week pick 1706.03762 2026-W49", "/week skip 2026-W49", "/week pick 1706.03762 2026-W49");
        var (picked, skipped, back) = (sessions[0], sessions[1], sessions[2]);

        Assert.Equal(("CONFIRMED", 0), (picked.Status, picked.Sequence));
        Assert.Equal(("CANCELLED", 1), (skipped.Status, skipped.Sequence));
        Assert.Equal(("CONFIRMED", 2), (back.Status, back.Sequence));
        Assert.Equal(picked.Uid, skipped.Uid);
        Assert.Equal(picked.Uid, back.Uid);
        Assert.Equal(picked.DtStart, skipped.DtStart);
    }
}
