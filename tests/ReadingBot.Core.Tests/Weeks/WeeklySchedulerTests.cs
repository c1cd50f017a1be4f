using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Weeks;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class WeeklySchedulerTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    private static async Task SetUp(TestBot bot, string zone, string announce = "monday 09:00", string reminders = "off", string autopick = "off")
    {
        await bot.SendAsync($"/settings timezone {zone}", "mod", moderator: true);
        await bot.SendAsync($"/settings announce {announce}", "mod", moderator: true);
        await bot.SendAsync($"/settings reminders {reminders}", "mod", moderator: true);
        await bot.SendAsync($"/settings autopick {autopick}", "mod", moderator: true);
    }

    private static Task<int> Tick(TestBot bot) => bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    /// <summary>What the weekly-paper job posted (the WAYR job posts to the same recorder).</summary>
    private static List<OutboundPost> PaperPosts(TestBot bot) => bot.Outbound.Posts.Where(p =>
        !(p.ThreadTitle?.StartsWith("WAYR", StringComparison.Ordinal) ?? false)
        && !(p.Content is CardReply c && c.Card.Title.StartsWith("WAYR", StringComparison.Ordinal))).ToList();

    private static List<CardReply> Announcements(TestBot bot) => PaperPosts(bot).Select(p => p.Content).OfType<CardReply>().ToList();

    private static string? ThreadOf(TestBot bot, WeekKey week, GroupAddress? group = null) =>
        bot.Get<IWeekPlanStore>().Find((group ?? TestBot.LocalGroup).Id, week)?.ThreadId;

    [Theory]
    // Europe/Berlin: summer time starts 2026-03-29 and ends 2026-10-25.
    [InlineData("Europe/Berlin", "2026-03-20", "2026-W13", "2026-03-23T08:00:00Z", "2026-W14", "2026-03-30T07:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-16", "2026-W43", "2026-10-19T07:00:00Z", "2026-W44", "2026-10-26T08:00:00Z")]
    // America/New_York: daylight time starts 2026-03-08 and ends 2026-11-01.
    [InlineData("America/New_York", "2026-02-27", "2026-W10", "2026-03-02T14:00:00Z", "2026-W11", "2026-03-09T13:00:00Z")]
    [InlineData("America/New_York", "2026-10-23", "2026-W44", "2026-10-26T13:00:00Z", "2026-W45", "2026-11-02T14:00:00Z")]
    public async Task Announcements_follow_local_time_across_daylight_saving_changes(string zone, string startDay, string week1, string due1, string week2, string due2)
    {
        using var bot = TestBot.Create(start: DateTimeOffset.Parse(startDay + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await SetUp(bot, zone);
        await bot.SendAsync($"/week pick 1706.03762 {week1}", "mod", moderator: true);
        await bot.SendAsync($"/week pick 1512.03385 {week2}", "mod", moderator: true);
        var first = DateTimeOffset.Parse(due1, System.Globalization.CultureInfo.InvariantCulture);
        var second = DateTimeOffset.Parse(due2, System.Globalization.CultureInfo.InvariantCulture);

        bot.Time.SetUtcNow(first.AddMinutes(-1));
        await Tick(bot);
        Assert.Empty(Announcements(bot));
        bot.Time.SetUtcNow(first);
        await Tick(bot);
        Assert.Single(Announcements(bot));
        bot.Time.SetUtcNow(second.AddMinutes(-1));
        await Tick(bot);
        Assert.Single(Announcements(bot));
        bot.Time.SetUtcNow(second);
        await Tick(bot);

        Assert.Equal([$"Paper of the week {week1}: #1", $"Paper of the week {week2}: #2"], Announcements(bot).Select(a => a.Card.Title[..(a.Card.Title.IndexOf(':', StringComparison.Ordinal) + 4)]));
    }

    [Fact]
    public void A_time_in_the_spring_gap_moves_forward_and_an_autumn_time_takes_its_first_occurrence()
    {
        var berlin = TimeZones.FindOrUtc("Europe/Berlin");

        var gap = WeeklySchedule.ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), berlin);
        var ambiguous = WeeklySchedule.ToInstant(new DateOnly(2026, 10, 25), new TimeOnly(2, 30), berlin);

        Assert.Equal(Utc(2026, 3, 29, 1, 30), gap.ToUniversalTime());
        Assert.Equal(Utc(2026, 10, 25, 0, 30), ambiguous.ToUniversalTime());
    }

    [Fact]
    public async Task The_announcement_has_the_paper_the_suggestion_the_meeting_and_a_thread()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Europe/Berlin");
        await bot.SendAsync("/settings meeting thursday 18:00", "mod", moderator: true);
        await bot.SendAsync("/paper suggest 1706.03762 it changed NLP", "alice");
        await bot.SendAsync("/week pick #1", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 8));
        await Tick(bot);

        var post = Assert.Single(PaperPosts(bot));
        var card = Assert.IsType<CardReply>(post.Content).Card;
        Assert.StartsWith("2026-W48: ", post.ThreadTitle, StringComparison.Ordinal);
        Assert.Contains(card.Fields, f => f.Name == "Meeting" && Moment.Plain(f.Value) == "Thu 26 Nov 2026 18:00 (Europe/Berlin)");
        Assert.Contains(card.Fields, f => f.Name == "Suggested by" && f.Value == "alice: it changed NLP");
        Assert.Contains("The core contribution", card.Body, StringComparison.Ordinal);
        Assert.Null(post.ChannelId);
    }

    [Fact]
    public async Task Reminders_go_to_the_thread_at_their_offsets_before_the_meeting()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Europe/Berlin", reminders: "1d,1h");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 8));
        await Tick(bot);
        bot.Time.SetUtcNow(Utc(2026, 11, 25, 16, 59));
        await Tick(bot);
        Assert.Single(PaperPosts(bot));
        bot.Time.SetUtcNow(Utc(2026, 11, 25, 17));
        await Tick(bot);
        bot.Time.SetUtcNow(Utc(2026, 11, 26, 16));
        await Tick(bot);

        var reminders = PaperPosts(bot).Skip(1).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(ThreadOf(bot, new WeekKey(2026, 48)), r.InThreadId));
        Assert.NotNull(reminders[0].InThreadId);
        Assert.StartsWith("Reminder: we meet in 1 day, Thu 26 Nov 2026 18:00 (Europe/Berlin), to discuss", PlainTextRenderer.Render(reminders[0].Content), StringComparison.Ordinal);
        Assert.StartsWith("Reminder: we meet in 1 hour", ((TextReply)reminders[1].Content).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_moved_later_in_the_week_after_the_old_time_passed_still_announces()
    {
        // The group is created on Thursday, after the default Monday announcement: that one was never owed.
        using var bot = TestBot.Create(start: Utc(2026, 11, 26, 11));
        await bot.SendAsync("/week pick 1706.03762 2026-W49", "mod", moderator: true);
        await Tick(bot);

        await bot.SendAsync("/week schedule thursday 11:30 Etc/UTC", "mod", moderator: true);
        await bot.SendAsync("/week pick 1512.03385", "mod", moderator: true);
        bot.Time.SetUtcNow(Utc(2026, 11, 26, 11, 30));
        await Tick(bot);

        Assert.StartsWith("Paper of the week 2026-W48: #2", Assert.Single(Announcements(bot)).Card.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("0")]
    public async Task A_group_that_starts_mid_week_can_pick_this_week_and_it_is_announced_at_once(string catchUpHours)
    {
        // Wednesday of 2026-W49: the default Monday 09:00 announcement passed before the group existed.
        using var bot = TestBot.Create(settings: new Dictionary<string, string?> { ["Scheduler:CatchUpHours"] = catchUpHours }, start: Utc(2026, 12, 2, 12));

        var picked = await bot.TextAsync("/week pick 1706.03762 2026-W49", "mod", moderator: true);
        bot.Time.Advance(TimeSpan.FromSeconds(20));
        await Tick(bot);
        await Tick(bot);

        Assert.Contains("is the paper of 2026-W49", picked, StringComparison.Ordinal);
        Assert.Contains("it will be announced in a moment", picked, StringComparison.Ordinal);
        var post = Assert.Single(PaperPosts(bot));
        Assert.StartsWith("Paper of the week 2026-W49: #1", Assert.IsType<CardReply>(post.Content).Card.Title, StringComparison.Ordinal);
        Assert.NotNull(ThreadOf(bot, new WeekKey(2026, 49)));
        // Announced: a second pick before the meeting is a change of plan, told with a notice, not a second announcement.
        Assert.Contains("is now the paper of 2026-W49", await bot.TextAsync("/week pick 1512.03385 2026-W49", "mod", moderator: true), StringComparison.Ordinal);
        await Tick(bot);
        Assert.Single(Announcements(bot));
        Assert.StartsWith("Change of plan for 2026-W49: we now read #2", Assert.IsType<TextReply>(PaperPosts(bot)[^1].Content).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pick_after_the_no_paper_nudge_is_announced_that_week()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC");
        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);

        bot.Time.SetUtcNow(Utc(2026, 11, 24, 10));
        var picked = await bot.TextAsync("/week pick 1706.03762 2026-11-24", "mod", moderator: true);
        bot.Time.Advance(TimeSpan.FromSeconds(20));
        await Tick(bot);

        Assert.Contains("is the paper of 2026-W48", picked, StringComparison.Ordinal);
        Assert.Equal(2, PaperPosts(bot).Count);
        Assert.StartsWith("Paper of the week 2026-W48: #1", Assert.Single(Announcements(bot)).Card.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_pick_the_bot_could_not_announce_before_the_week_ended_is_not_announced_the_week_after()
    {
        using var bot = TestBot.Create(start: Utc(2026, 12, 2, 12));
        await bot.SendAsync("/week pick 1706.03762 2026-W49", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 12, 7, 1));
        await Tick(bot);

        Assert.Empty(Announcements(bot));
        Assert.Equal(ScheduledPostState.Missed, bot.Get<IScheduledPostStore>().Find(ScheduledPostRecord.KeyOf(TestBot.LocalGroup.Id, new WeekKey(2026, 49), WeeklyPaperJob.LateAnnounceKind))?.State);
    }

    [Fact]
    public async Task A_restart_never_posts_twice()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        using (var before = TestBot.Create(start: Utc(2026, 11, 20, 12), database: db))
        {
            await SetUp(before, "Etc/UTC", reminders: "1h");
            await before.SendAsync("/week pick 1706.03762", "mod", moderator: true);
            before.Time.SetUtcNow(Utc(2026, 11, 23, 9, 1));
            await Tick(before);
            Assert.Single(PaperPosts(before));
        }

        using var after = TestBot.Create(start: Utc(2026, 11, 23, 9, 2), database: db);
        await Tick(after);
        await Tick(after);

        Assert.Empty(PaperPosts(after));
    }

    [Fact]
    public async Task A_bot_that_was_down_posts_once_on_start_within_the_window()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 20, 59));
        await Tick(bot);
        await Tick(bot);

        Assert.Single(Announcements(bot));
    }

    [Fact]
    public async Task A_bot_that_was_down_past_the_window_records_the_week_as_missed()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 21, 1));
        await Tick(bot);

        Assert.Empty(PaperPosts(bot));
        var week = await bot.TextAsync("/week", "mod", moderator: true);
        Assert.Contains("2026-W48 announce: missed (the bot was not running within 12h", week, StringComparison.Ordinal);
        Assert.DoesNotContain("missed", await bot.TextAsync("/week", "bob"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_group_is_recorded_and_does_not_stop_the_others()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        var broken = new GroupAddress(Platforms.Local, "broken");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true, group: broken);
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);
        bot.Outbound.FailingGroups.Add(broken.Id.Value);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);

        var post = Assert.Single(PaperPosts(bot));
        Assert.Equal(TestBot.LocalGroup, post.Group);
        Assert.Contains("announce: failed (the home channel does not exist any more)", await bot.TextAsync("/week", "mod", moderator: true, group: broken), StringComparison.Ordinal);

        // Once the channel is back, the post goes out on a later pass within the window, once.
        bot.Outbound.FailingGroups.Clear();
        bot.Time.Advance(TimeSpan.FromMinutes(11));
        await Tick(bot);
        await Tick(bot);
        Assert.Equal(2, PaperPosts(bot).Count);
    }

    [Fact]
    public async Task With_no_pick_the_most_voted_suggestion_is_picked_at_the_cutoff()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC", autopick: "on");
        await bot.SendAsync("/settings autopick-cutoff 6h", "mod", moderator: true);
        await bot.SendAsync("/paper suggest 1706.03762", "alice");
        await bot.SendAsync("/paper suggest 1512.03385", "bob");
        await bot.SendAsync("/paper vote #2", "carol");

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 3));
        await Tick(bot);
        var week = await bot.TextAsync("/week");
        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);

        Assert.Contains("#2", week, StringComparison.Ordinal);
        Assert.Contains("(picked automatically)", week, StringComparison.Ordinal);
        var card = Assert.Single(Announcements(bot)).Card;
        Assert.Contains(card.Fields, f => f.Name == "Picked" && f.Value.Contains("most-voted", StringComparison.Ordinal));
        Assert.DoesNotContain("#2", await bot.TextAsync("/paper queue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_week_without_a_paper_gets_a_nudge_and_a_break_gets_nothing()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC");
        await bot.SendAsync("/week skip 2026-W49", "mod", moderator: true);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);
        bot.Time.SetUtcNow(Utc(2026, 11, 30, 9));
        await Tick(bot);

        var post = Assert.Single(PaperPosts(bot));
        Assert.StartsWith("No paper has been picked for 2026-W48", ((TextReply)post.Content).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Week_53_and_the_year_boundary_are_announced_in_order()
    {
        using var bot = TestBot.Create(start: Utc(2026, 12, 24, 12));
        await SetUp(bot, "Pacific/Auckland");
        await bot.SendAsync("/week pick 1706.03762 2026-W53", "mod", moderator: true);
        await bot.SendAsync("/week pick 1512.03385 2027-01-06", "mod", moderator: true);

        // Monday 09:00 in Auckland (UTC+13 in summer) is Sunday 20:00 UTC.
        bot.Time.SetUtcNow(Utc(2026, 12, 27, 20));
        await Tick(bot);
        bot.Time.SetUtcNow(Utc(2027, 1, 3, 20));
        await Tick(bot);

        Assert.Equal(["Paper of the week 2026-W53", "Paper of the week 2027-W01"], Announcements(bot).Select(a => a.Card.Title[..26]));
    }

    [Fact]
    public async Task A_message_in_the_announcement_thread_becomes_a_discussion_note()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        await SetUp(bot, "Etc/UTC");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);
        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);
        var thread = ThreadOf(bot, new WeekKey(2026, 48));

        var reply = await bot.Dispatcher.HandleThreadMessageAsync(new CommandContext(TestBot.LocalGroup, TestBot.Member("dave"), "home", thread), "Section 3.2 is the key", CancellationToken.None);
        var ignored = await bot.Dispatcher.HandleThreadMessageAsync(new CommandContext(TestBot.LocalGroup, TestBot.Member("dave"), "home", "some-other-thread"), "hello", CancellationToken.None);

        Assert.Contains("Noted in the discussion of #1", PlainTextRenderer.Render(reply!), StringComparison.Ordinal);
        Assert.Null(ignored);
        var card = Assert.IsType<CardReply>(await bot.SendAsync("/paper show #1")).Card;
        Assert.Contains(card.Fields, f => f.Name == "Discussion" && f.Value.Contains("dave: Section 3.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_whose_platform_is_not_running_are_left_alone()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        var discord = new GroupAddress(Platforms.Discord, "g1");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true, group: discord);

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 9));
        await Tick(bot);

        Assert.Empty(PaperPosts(bot));
        Assert.Null(bot.Get<IScheduledPostStore>().Find($"{discord.Id.Value}|2026-W48|announce"));
    }
}
