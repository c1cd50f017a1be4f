using System.Text;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;
using IcalCalendar = Ical.Net.Calendar;

namespace ReadingBot.Core.Tests.Weeks;

/// <summary>
/// A moderator changes or skips a week whose paper was already announced, up to its meeting: the plan changes (and its
/// revision), the group is told once in the announcement's thread, and the reminders follow the plan.
/// </summary>
public sealed class WeekChangeTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC: announced monday 09:00, meeting thursday 2026-11-26 18:00 (UTC), reminders 1d,1h.
    private static readonly DateTimeOffset Meeting = new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
    private static readonly WeekKey Week = new(2026, 48);
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private Task<int> PassAsync() => bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    private WeekPlan Plan => bot.Get<IWeekPlanStore>().Find(TestBot.LocalGroup.Id, Week)!;

    private List<string> Notices => bot.Outbound.Posts.Select(p => p.Content).OfType<TextReply>().Select(t => t.Text)
        .Where(t => t.StartsWith("Change of plan", StringComparison.Ordinal) || t.Contains("is called off", StringComparison.Ordinal)).ToList();

    private Task<string> ModAsync(string line) => bot.TextAsync(line, "mod", moderator: true);

    private async Task AnnouncedAsync()
    {
        await ModAsync("/week pick 1706.03762 2026-W48");
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 1, 0, TimeSpan.Zero));
        await PassAsync();
        Assert.NotNull(Plan.ChannelId);
    }

    [Fact]
    public async Task An_announced_week_can_be_picked_again_before_its_meeting_and_the_group_is_told_once_in_its_thread()
    {
        await AnnouncedAsync();
        var thread = Plan.ThreadId;

        var reply = await ModAsync("/week pick 1512.03385 2026-W48");
        await PassAsync();
        await PassAsync();

        Assert.Contains("#2 Deep Residual Learning for Image Recognition is now the paper of 2026-W48", reply, StringComparison.Ordinal);
        var notice = Assert.Single(bot.Outbound.Posts, p => p.Content is TextReply t && t.Text.StartsWith("Change of plan", StringComparison.Ordinal));
        Assert.StartsWith("Change of plan for 2026-W48: we now read #2 Deep Residual Learning", ((TextReply)notice.Content).Text, StringComparison.Ordinal);
        Assert.Contains("arxiv.org/abs/1512.03385", ((TextReply)notice.Content).Text, StringComparison.Ordinal);
        Assert.Equal((thread, 1), (notice.InThreadId, Plan.Revision));
        Assert.Single(bot.Outbound.Posts, p => p.Content is CardReply c && c.Card.Title.StartsWith("Paper of the week", StringComparison.Ordinal));
        Assert.Equal(thread, Plan.ThreadId);
    }

    [Fact]
    public async Task The_notice_is_posted_once_across_a_restart_and_a_second_change_gets_its_own()
    {
        await AnnouncedAsync();
        await ModAsync("/week pick 1512.03385 2026-W48");
        await PassAsync();

        using (var restarted = TestBot.Create(database: bot.Database, start: bot.Time.GetUtcNow().AddMinutes(1)))
        {
            await restarted.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
            Assert.Empty(restarted.Outbound.Posts);
        }

        await ModAsync("/week skip 2026-W48");
        await PassAsync();
        await PassAsync();

        Assert.Equal(2, Notices.Count);
        Assert.StartsWith("2026-W48's meeting (", Notices[1], StringComparison.Ordinal);
        Assert.Contains("is called off", Notices[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Picking_the_announced_paper_again_changes_nothing_and_tells_no_one()
    {
        await AnnouncedAsync();

        var reply = await ModAsync("/week pick 1706.03762 2026-W48");
        await PassAsync();

        Assert.Equal("#1 Attention Is All You Need is already the paper of 2026-W48; nothing changed.", reply);
        Assert.Equal(0, Plan.Revision);
        Assert.Empty(Notices);
    }

    [Fact]
    public async Task A_change_undone_before_its_notice_went_out_says_nothing()
    {
        await AnnouncedAsync();

        await ModAsync("/week pick 1512.03385 2026-W48");
        await ModAsync("/week pick 1706.03762 2026-W48");
        await PassAsync();

        Assert.Empty(Notices);
    }

    [Fact]
    public async Task Once_the_meeting_started_the_week_is_refused_with_one_line()
    {
        await AnnouncedAsync();
        bot.Time.SetUtcNow(Meeting);

        var pick = Assert.IsType<ErrorReply>(await bot.SendAsync("/week pick 1512.03385 2026-W48", "mod", moderator: true));
        var skip = Assert.IsType<ErrorReply>(await bot.SendAsync("/week skip 2026-W48", "mod", moderator: true));
        var past = Assert.IsType<ErrorReply>(await bot.SendAsync("/week skip 2026-W47", "mod", moderator: true));

        Assert.StartsWith("This week's meeting already started (", pick.Message, StringComparison.Ordinal);
        Assert.EndsWith("choose 2026-W49 or later.", pick.Message, StringComparison.Ordinal);
        Assert.Equal(pick.Message, skip.Message);
        Assert.Equal("2026-W47 is in the past. Choose 2026-W49 or later.", past.Message);
        Assert.Equal("arxiv:1706.03762", Plan.PaperKey);
    }

    [Fact]
    public async Task Members_who_are_not_moderators_cannot_change_an_announced_week()
    {
        await AnnouncedAsync();

        Assert.IsType<ErrorReply>(await bot.SendAsync("/week pick 1512.03385 2026-W48", "alice"));
        Assert.IsType<ErrorReply>(await bot.SendAsync("/week skip 2026-W48", "alice"));

        Assert.Equal((WeekPlanState.Planned, "arxiv:1706.03762", 0), (Plan.State, Plan.PaperKey, Plan.Revision));
    }

    [Fact]
    public async Task After_a_repick_the_reminders_name_the_new_paper_and_after_a_skip_none_is_sent()
    {
        await AnnouncedAsync();
        await ModAsync("/week pick 1512.03385 2026-W48");
        bot.Time.SetUtcNow(Meeting - TimeSpan.FromDays(1));
        await PassAsync();
        await ModAsync("/week skip 2026-W48");
        bot.Time.SetUtcNow(Meeting - TimeSpan.FromHours(1));
        await PassAsync();

        var reminder = Assert.Single(bot.Outbound.Posts.Select(p => p.Content).OfType<TextReply>(), t => t.Text.StartsWith("Reminder", StringComparison.Ordinal));
        Assert.Contains("#2 Deep Residual Learning", reminder.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calendar_bumps_the_sequence_on_a_repick_and_cancels_the_skipped_week()
    {
        await AnnouncedAsync();
        var first = await SessionAsync();
        await ModAsync("/week pick 1512.03385 2026-W48");
        var repicked = await SessionAsync();
        await ModAsync("/week skip 2026-W48");
        var skipped = await SessionAsync();

        Assert.Equal([0, 1, 2], new[] { first, repicked, skipped }.Select(e => e.Sequence));
        Assert.Contains("Deep Residual Learning", repicked.Summary, StringComparison.Ordinal);
        Assert.Equal(("CONFIRMED", "CANCELLED"), (repicked.Status, skipped.Status));
        Assert.Equal(first.Uid, skipped.Uid);
    }

    [Fact]
    public async Task Rsvps_stay_with_the_meeting_through_a_repick()
    {
        await AnnouncedAsync();
        await bot.SendAsync("/week rsvp yes", "alice");

        await ModAsync("/week pick 1512.03385 2026-W48");

        Assert.Contains("1 going", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    private async Task<Ical.Net.CalendarComponents.CalendarEvent> SessionAsync()
    {
        var file = Assert.IsType<FileReply>(await bot.SendAsync("/export ics"));
        var calendar = IcalCalendar.Load(Encoding.UTF8.GetString(file.Content));
        Assert.NotNull(calendar);
        return Assert.Single(calendar.Events, e => e.Uid!.EndsWith($"/{Week}@readingbot", StringComparison.Ordinal));
    }
}
