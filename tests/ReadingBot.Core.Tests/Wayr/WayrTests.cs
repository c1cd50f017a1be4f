using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Wayr;

public sealed class WayrPostParserTests
{
    [Theory]
    [InlineData("1706.03762 read: the attention figure clicked", "1706.03762", ReadingStatus.Read, "the attention figure clicked")]
    [InlineData("skimmed https://distill.pub/2017/momentum/ nice plots", "https://distill.pub/2017/momentum/", ReadingStatus.Skimmed, "nice plots")]
    [InlineData("#3 implemented", "#3", ReadingStatus.Implemented, "")]
    [InlineData("a long note about e.g. optimisers and 3 papers", null, ReadingStatus.Reading, "a long note about e.g. optimisers and 3 papers")]
    [InlineData("status:read notes only", null, ReadingStatus.Read, "notes only")]
    [InlineData("I liked arXiv:2301.00001v2 a lot", "arXiv:2301.00001v2", ReadingStatus.Reading, "I liked a lot")]
    public void A_post_names_its_paper_status_and_note(string text, string? reference, ReadingStatus status, string note)
    {
        var parsed = WayrPostParser.Parse(text);

        Assert.Null(parsed.Error);
        Assert.Equal((reference, status, note), (parsed.Reference, parsed.Status, parsed.Note));
    }

    [Theory]
    [InlineData("", "That post is empty")]
    [InlineData("read", "That post is empty")]
    [InlineData("status:devoured 1706.03762", "is not a status")]
    public void Empty_posts_and_unknown_statuses_are_refused(string text, string expected)
    {
        Assert.Contains(expected, WayrPostParser.Parse(text).Error, StringComparison.Ordinal);
    }
}

public sealed class StreakRulesTests
{
    private static readonly FreezeRules Rules = new(4, 2);
    private static readonly GroupId Group = new("local:test");

    private static MemberStreak Run(params WeekResult[] results)
    {
        var week = new WeekKey(2026, 1);
        var streak = new MemberStreak(Group, "alice");
        foreach (var r in results)
        {
            streak = StreakRules.Apply(streak, new LedgerEntry(Group, "alice", week, r, "test", default), Rules);
            week = week.Next();
        }

        return streak;
    }

    [Fact]
    public void Every_fourth_kept_week_earns_a_freeze_up_to_the_maximum()
    {
        var kept = Enumerable.Repeat(WeekResult.Kept, 12).ToArray();

        Assert.Equal(1, Run(kept[..4]).Freezes);
        Assert.Equal(2, Run(kept[..8]).Freezes);
        Assert.Equal(2, Run(kept).Freezes);
        Assert.Equal(12, Run(kept).Current);
    }

    [Fact]
    public void A_freeze_covers_exactly_one_missed_week_and_a_two_week_gap_breaks_the_streak()
    {
        var before = Run(WeekResult.Kept, WeekResult.Kept, WeekResult.Kept, WeekResult.Kept);

        Assert.Equal(WeekResult.Frozen, StreakRules.Decide(before, qualified: false));
        var frozen = Run(WeekResult.Kept, WeekResult.Kept, WeekResult.Kept, WeekResult.Kept, WeekResult.Frozen);
        Assert.Equal((4, 0), (frozen.Current, frozen.Freezes));
        Assert.Equal(WeekResult.Missed, StreakRules.Decide(frozen, qualified: false));
        var broken = Run(WeekResult.Kept, WeekResult.Kept, WeekResult.Kept, WeekResult.Kept, WeekResult.Frozen, WeekResult.Missed, WeekResult.Kept);
        Assert.Equal((1, 4, 5), (broken.Current, broken.Longest, broken.TotalKept));
    }

    [Fact]
    public void Replaying_a_ledger_out_of_order_gives_the_same_streak()
    {
        var entries = new[] { 3, 1, 2 }.Select(w => new LedgerEntry(Group, "alice", new WeekKey(2026, w), WeekResult.Kept, "x", default));

        Assert.Equal(3, StreakRules.Replay(Group, "alice", entries, Rules).Current);
    }
}

public sealed class WayrFlowTests : IDisposable
{
    // Monday 2026-11-23 09:00 UTC, week 2026-W48; the week closes sunday 20:00 UTC.
    private readonly TestBot bot = TestBot.Create();

    public void Dispose() => bot.Dispose();

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    private Task<int> Tick() => bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    /// <summary>Runs a week: the named members post, then the week closes (Sunday 20:00 in the group's zone).</summary>
    private async Task Week(WeekKey week, params string[] posters)
    {
        await bot.SendAsync("/help");
        var zone = (bot.Get<IGroupStore>().Find(TestBot.LocalGroup.Id)!).Zone();
        bot.Time.SetUtcNow(WeeklySchedule.ToInstant(week.Monday, new TimeOnly(10, 0), zone));
        foreach (var member in posters)
        {
            Assert.StartsWith("Posted", await bot.TextAsync("/wayr reading a long enough note about the paper I read", member), StringComparison.Ordinal);
        }

        bot.Time.SetUtcNow(WeeklySchedule.ToInstant(week.Monday.AddDays(6), new TimeOnly(20, 0), zone));
        await Tick();
    }

    [Fact]
    public async Task Members_post_list_edit_and_delete_their_own_posts()
    {
        var posted = await bot.TextAsync("/wayr 1706.03762 read: the attention figure clicked", "alice");
        await bot.SendAsync("/wayr skimmed a long note on optimisers and schedules", "bob");

        var list = Assert.IsType<ListReply>(await bot.SendAsync("/wayr list"));
        var foreign = await bot.TextAsync("/wayr edit 2 hijacked", "alice");
        var edited = await bot.TextAsync("/wayr edit 1 1706.03762 implemented: wrote it in JAX", "alice");
        var deleted = await bot.TextAsync("/wayr delete 2", "bob");

        Assert.StartsWith("Posted to WAYR #1 (2026-W48) as post 1: #1 Attention Is All You Need [read]: the attention figure clicked", posted, StringComparison.Ordinal);
        Assert.Equal(2, list.Items.Count);
        Assert.Equal("Error: Post 2 is bob's; you can edit only your own posts.", foreign);
        Assert.Equal("Post 1 is now: #1 Attention Is All You Need [implemented]: wrote it in JAX.", edited);
        Assert.Equal("Deleted post 2 from this week's WAYR.", deleted);
        Assert.Single(Assert.IsType<ListReply>(await bot.SendAsync("/wayr list")).Items);
    }

    [Theory]
    [InlineData("/wayr", "/wayr post needs a paper, a status (skimmed/reading/read/implemented) and a note.")]
    [InlineData("/wayr status:devoured 1706.03762", "is not a status")]
    [InlineData("/wayr 1706.0376", "is not an arXiv id")]
    [InlineData("/wayr edit 9 something", "There is no post 9")]
    public async Task Bad_posts_get_a_clear_error_and_store_nothing(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.IsType<ListReply>(await bot.SendAsync("/wayr list")).Items);
    }

    [Fact]
    public async Task The_week_opens_a_numbered_thread_collects_thread_replies_and_closes_with_a_digest()
    {
        await bot.SendAsync("/wayr 1706.03762 read: transformers", "alice");
        await bot.SendAsync("/wayr 1706.03762 reading", "bob");
        await bot.SendAsync("/read #1 done", "alice");
        bot.Time.SetUtcNow(Utc(2026, 11, 29, 20));
        await Tick();

        // Next week: the thread opens at monday 08:00 and replies in it become posts.
        bot.Time.SetUtcNow(Utc(2026, 11, 30, 8));
        await Tick();
        var open = bot.Outbound.Posts.Last(p => p.ThreadTitle?.StartsWith("WAYR", StringComparison.Ordinal) == true);
        var thread = bot.Get<IWayrStore>().FindWeek(TestBot.LocalGroup.Id, new WeekKey(2026, 49))!.ThreadId;
        var threadReply = await bot.Dispatcher.HandleThreadMessageAsync(new CommandContext(TestBot.LocalGroup, TestBot.Member("carol"), "home", thread), "1512.03385 skimmed residual connections everywhere", CancellationToken.None);

        var digestPost = bot.Outbound.Posts.Select(p => p.Content).OfType<CardReply>().Single(c => c.Card.Title.StartsWith("WAYR #1 digest", StringComparison.Ordinal));
        Assert.Contains("#1 Attention Is All You Need — 2 readers (alice: read, bob: reading)", digestPost.Card.Body, StringComparison.Ordinal);
        Assert.Contains("alice finished #1 Attention Is All You Need", digestPost.Card.Body, StringComparison.Ordinal);
        Assert.Contains("New this week: alice, bob", digestPost.Card.Body, StringComparison.Ordinal);
        Assert.Equal("WAYR #2 — 2026-W49", open.ThreadTitle);
        Assert.StartsWith("Posted to WAYR #2 (2026-W49) as post 1", PlainTextRenderer.Render(threadReply!), StringComparison.Ordinal);
        Assert.Contains("WAYR #1 digest — 2026-W48", await bot.TextAsync("/digest 2026-W48"), StringComparison.Ordinal);
        Assert.Contains("WAYR #1 digest", await bot.TextAsync("/digest"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_to_a_closed_week_is_refused()
    {
        await bot.SendAsync("/wayr list");
        bot.Time.SetUtcNow(Utc(2026, 11, 29, 20));
        await Tick();

        bot.Time.SetUtcNow(Utc(2026, 11, 29, 21));
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/wayr a late note that is long enough to count anyway"));

        Assert.Contains("has closed. The next one opens Mon 30 Nov 2026 08:00 (Etc/UTC)", PlainTextRenderer.Render(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaks_grow_with_kept_weeks_use_freezes_and_break_on_a_two_week_gap()
    {
        var week = new WeekKey(2026, 48);
        for (var i = 0; i < 5; i++, week = week.Next())
        {
            await Week(week, "alice", "bob");
        }

        await Week(week, "bob");
        week = week.Next();
        var afterFreeze = await bot.TextAsync("/streak", "alice");
        await Week(week, "bob");
        var afterGap = await bot.TextAsync("/streak", "alice");

        Assert.StartsWith("alice's streak: 5 weeks", afterFreeze, StringComparison.Ordinal);
        Assert.Contains("Freezes held: 0", afterFreeze, StringComparison.Ordinal);
        // 2026 has 53 ISO weeks: the sixth week is 2026-W53, and the gap week 2027-W01.
        Assert.Contains("2026-W53: frozen (a freeze covered the week)", afterFreeze, StringComparison.Ordinal);
        Assert.Contains("2027-W01: missed (no qualifying post)", afterGap, StringComparison.Ordinal);
        Assert.StartsWith("alice's streak: 0 weeks", afterGap, StringComparison.Ordinal);
        Assert.Contains("Longest: 5 weeks", afterGap, StringComparison.Ordinal);
        Assert.StartsWith("bob's streak: 7 weeks", await bot.TextAsync("/streak bob"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_week_is_not_counted_before_it_closes()
    {
        await Week(new WeekKey(2026, 48), "alice");
        bot.Time.SetUtcNow(Utc(2026, 12, 6, 19, 59));

        var streak = await bot.TextAsync("/streak", "alice");

        Assert.StartsWith("alice's streak: 1 week", streak, StringComparison.Ordinal);
        Assert.Contains("This week: nothing yet; post with /wayr before Sun 6 Dec 2026 20:00", streak, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_late_on_sunday_utc_counts_for_the_groups_own_week()
    {
        await bot.SendAsync("/settings timezone Asia/Tokyo", "mod", moderator: true);
        // Sunday 2026-11-29 16:00 UTC is Monday 01:00 in Tokyo: week 49 there, whose close is a week later.
        bot.Time.SetUtcNow(Utc(2026, 11, 29, 16));

        var reply = await bot.TextAsync("/wayr a long enough note about what I read this week", "alice");

        Assert.Contains("(2026-W49)", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_leaderboard_is_frozen_at_the_close_and_respects_opt_outs()
    {
        await Week(new WeekKey(2026, 48), "alice", "bob", "carol");
        await Week(new WeekKey(2026, 49), "bob", "carol");
        await bot.SendAsync("/settings leaderboard off", "carol");
        bot.Time.SetUtcNow(Utc(2026, 12, 7, 10));
        await bot.SendAsync("/wayr a long enough note about what I read this week", "alice");

        var board = Assert.IsType<ListReply>(await bot.SendAsync("/leaderboard"));

        Assert.Equal("Leaderboard (as of 2026-W49)", board.Title);
        Assert.Equal(["1. bob — streak 2, longest 2, 2 weeks in all", "2. alice — streak 0, longest 1, 1 week in all"], board.Items.Select(i => i.Text));
    }

    [Fact]
    public async Task A_moderator_corrects_a_week_with_a_reason_and_the_audit_log_keeps_it()
    {
        await Week(new WeekKey(2026, 48), "alice");
        await Week(new WeekKey(2026, 49));
        await Week(new WeekKey(2026, 50), "alice");

        var refused = await bot.TextAsync("/streak correct alice 2026-W49 kept posted on paper", "bob");
        var noReason = await bot.TextAsync("/streak correct alice 2026-W49 kept", "mod", moderator: true);
        var open = await bot.TextAsync("/streak correct alice 2026-W51 kept offline", "mod", moderator: true);
        var corrected = await bot.TextAsync("/streak correct alice 2026-W49 kept she posted in the wrong channel", "mod", moderator: true);
        var audit = await bot.TextAsync("/streak audit", "mod", moderator: true);

        Assert.StartsWith("Error: /streak correct is for moderators only", refused, StringComparison.Ordinal);
        Assert.StartsWith("Error: /streak correct needs the reason, kept in the audit log. Usage:", noReason, StringComparison.Ordinal);
        Assert.StartsWith("Error: 2026-W51 has not closed yet", open, StringComparison.Ordinal);
        Assert.Equal("alice's 2026-W49 is now kept (was missed); streak 3, longest 3. Recorded in the audit log.", corrected);
        Assert.Contains("set alice's 2026-W49 from missed to kept: she posted in the wrong channel", audit, StringComparison.Ordinal);
        Assert.StartsWith("alice's streak: 3 weeks", await bot.TextAsync("/streak", "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_note_only_post_is_told_it_does_not_keep_the_week_and_what_would()
    {
        var first = await bot.TextAsync("/wayr liked it", "alice");
        var paper = await bot.TextAsync("/wayr 1706.03762 read", "alice");
        var second = await bot.TextAsync("/wayr me too", "alice");
        var edited = await bot.TextAsync("/wayr edit 1 liked it a lot, especially the part on multi-head attention", "alice");

        Assert.EndsWith(" This post does not count toward your streak: a post without a paper needs a note of at least 40 characters (this one has 8). To keep the week, name a paper (a link, an arXiv id, a DOI or #n) or write a longer note, with /wayr edit 1 <text> or a new post.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("streak", paper, StringComparison.Ordinal);
        Assert.EndsWith(" This post alone would not keep your streak (a post without a paper needs a note of at least 40 characters (this one has 6)), but your post 2 keeps this week.", second, StringComparison.Ordinal);
        Assert.DoesNotContain("streak", edited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderators_correction_shows_on_the_leaderboard_at_once()
    {
        await bot.SendAsync("/wayr list", "carol");
        await Week(new WeekKey(2026, 48), "alice", "bob");
        await Week(new WeekKey(2026, 49), "bob");
        var before = Assert.IsType<ListReply>(await bot.SendAsync("/leaderboard")).Items.Select(i => i.Text).ToList();

        await bot.SendAsync("/streak correct carol 2026-W49 kept she posted in the wrong channel", "mod", moderator: true);
        await bot.SendAsync("/streak correct alice 2026-W49 kept she was travelling", "mod", moderator: true);
        var board = Assert.IsType<ListReply>(await bot.SendAsync("/leaderboard"));

        Assert.Equal(["1. bob — streak 2, longest 2, 2 weeks in all", "2. alice — streak 0, longest 1, 1 week in all"], before);
        Assert.Equal("Leaderboard (as of 2026-W49)", board.Title);
        Assert.Equal(["1. alice — streak 2, longest 2, 2 weeks in all", "2. bob — streak 2, longest 2, 2 weeks in all", "3. carol — streak 1, longest 1, 1 week in all"], board.Items.Select(i => i.Text));
    }

    [Fact]
    public async Task The_audit_log_shows_times_in_the_groups_zone()
    {
        await bot.SendAsync("/settings timezone America/New_York", "mod", moderator: true);
        await Week(new WeekKey(2026, 48), "alice");
        await Week(new WeekKey(2026, 49));
        bot.Time.SetUtcNow(Utc(2026, 12, 7, 3, 30));

        await bot.SendAsync("/streak correct alice 2026-W49 kept she was travelling", "mod", moderator: true);
        var audit = Assert.Single(Assert.IsType<ListReply>(await bot.SendAsync("/streak audit", "mod", moderator: true)).Items);

        Assert.StartsWith("Sun 6 Dec 2026 22:30 (America/New_York) — mod set alice's 2026-W49 from missed to kept", Moment.Plain(audit.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_progress_is_recorded_per_member()
    {
        await bot.SendAsync("/read 1706.03762 pass1", "alice");
        await bot.SendAsync("/read #1 pass2", "alice");

        var progress = await bot.TextAsync("/progress", "alice");
        var others = await bot.TextAsync("/progress alice", "bob");

        Assert.Contains("#1 Attention Is All You Need — the second pass", progress, StringComparison.Ordinal);
        Assert.Equal(progress, others);
        Assert.IsType<ErrorReply>(await bot.SendAsync("/read #1 pass4"));
        Assert.IsType<ErrorReply>(await bot.SendAsync("/progress nobody"));
    }

    [Fact]
    public async Task The_streak_card_carries_a_heatmap_picture_that_matches_the_ledger()
    {
        var week = new WeekKey(2026, 48);
        await Week(week, "alice", "bob");
        await Week(week.Next(), "bob");
        await Week(week.Next().Next(), "bob");

        // No freeze is held yet (one is earned every four kept weeks), so both gaps are missed weeks; the clock stands
        // at the third week's close, so that week is the last cell, and the week before the group is not counted.
        var card = Assert.IsType<CardReply>(await bot.SendAsync("/streak", "alice")).Card;
        var cells = bot.Get<ReadingCharts>().Heatmap(bot.Get<IGroupStore>().Find(TestBot.LocalGroup.Id)!, "alice", "alice").Weeks;

        var image = Assert.IsType<CardImage>(card.Image);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.Content.Take(4));
        Assert.Equal("streak-alice.png", image.FileName);
        Assert.Contains("1 kept, 0 frozen, 2 missed of the last 26 weeks", image.AltText, StringComparison.Ordinal);
        Assert.Equal([StreakCell.NotCounted, StreakCell.Kept, StreakCell.Missed, StreakCell.Missed], cells.TakeLast(4).Select(c => c.Cell));
        Assert.Equal(ReadingCharts.Weeks, cells.Count);
    }

    [Fact]
    public async Task The_posted_digest_carries_the_papers_read_chart_up_to_its_week()
    {
        await bot.SendAsync("/wayr 1706.03762 read: transformers", "alice");
        await bot.SendAsync("/read #1 done", "alice");
        await bot.SendAsync("/wayr 1706.03762 implemented it over the weekend", "bob");
        await bot.SendAsync("/wayr 1512.03385 reading", "carol");
        bot.Time.SetUtcNow(Utc(2026, 11, 29, 20));
        await Tick();

        var digest = bot.Outbound.Posts.Select(p => p.Content).OfType<CardReply>().Single(c => c.Card.Title.StartsWith("WAYR #1 digest", StringComparison.Ordinal));

        var image = Assert.IsType<CardImage>(digest.Card.Image);
        Assert.Equal("reading-2026-W48.png", image.FileName);
        // alice's post and /read done are one reading; bob implemented it; carol is still reading.
        Assert.Contains("2 in all, at most 2 in one week", image.AltText, StringComparison.Ordinal);
        Assert.Null(Assert.IsType<CardReply>(await bot.SendAsync("/digest 2026-W48")).Card.Image);
    }
}

public sealed class FirstWeekTests
{
    [Fact]
    public async Task A_member_who_joins_after_the_week_opened_is_not_counted_as_missing_it_but_may_keep_it()
    {
        // Monday 2026-11-23 07:00 UTC: the WAYR week opens at 08:00 and closes sunday 20:00.
        using var bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));
        await bot.SendAsync("/wayr list", "dave");
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await bot.SendAsync("/wayr list", "carol");
        await bot.SendAsync("/wayr 1706.03762 read", "erin");
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        var store = bot.Get<IStreakStore>();
        var first = store.LedgerForWeek(TestBot.LocalGroup.Id, new WeekKey(2026, 48)).ToDictionary(e => e.Member, e => e.Outcome);
        var second = store.LedgerForWeek(TestBot.LocalGroup.Id, new WeekKey(2026, 49)).ToDictionary(e => e.Member, e => e.Outcome);

        Assert.Equal(new Dictionary<string, WeekResult> { ["dave"] = WeekResult.Missed, ["erin"] = WeekResult.Kept }, first);
        Assert.Equal(WeekResult.Missed, second["carol"]);
        Assert.DoesNotContain("2026-W48", await bot.TextAsync("/streak", "carol"), StringComparison.Ordinal);
    }
}

public sealed class WeekCloseDurabilityTests
{
    [Fact]
    public async Task A_crash_during_the_close_loses_and_duplicates_no_ledger_entry()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        using var bot = TestBot.Create(database: db);
        foreach (var member in new[] { "alice", "bob", "carol" })
        {
            await bot.SendAsync("/wayr a long enough note about what I read this week", member);
        }

        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero));
        var group = bot.Get<IGroupStore>().Find(TestBot.LocalGroup.Id)!;
        var week = new WeekKey(2026, 48);
        var close = bot.Get<WayrJob>().BuildClose(group, week)!;
        var store = bot.Get<IStreakStore>();

        // The process dies after writing the second ledger entry: the transaction must leave nothing behind.
        var crashing = close with { Entries = close.Entries.Select((e, i) => i < 2 ? e : throw new IOException("simulated crash")) };
        Assert.Throws<IOException>(() => store.CloseWeek(crashing));
        Assert.Empty(store.LedgerForWeek(group.Id, week));
        Assert.False(bot.Get<IWayrStore>().FindWeek(group.Id, week)!.Closed);

        // The restarted scheduler closes the week once; a second close changes nothing.
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        Assert.False(store.CloseWeek(bot.Get<WayrJob>().BuildClose(group, week) ?? close));

        Assert.Equal(["alice", "bob", "carol"], store.LedgerForWeek(group.Id, week).Select(e => e.Member).Order());
        Assert.All(store.LedgerForWeek(group.Id, week), e => Assert.Equal(WeekResult.Kept, e.Outcome));
    }
}

public sealed class ChartFailureTests
{
    [Fact]
    public async Task A_chart_that_cannot_be_drawn_leaves_the_streak_card_without_a_picture()
    {
        using var bot = TestBot.Create(s => s.AddSingleton<IChartRenderer, BrokenChartRenderer>());

        var card = Assert.IsType<CardReply>(await bot.SendAsync("/streak", "alice")).Card;

        Assert.StartsWith("alice's streak: 0 weeks", card.Title, StringComparison.Ordinal);
        Assert.Null(card.Image);
    }

    private sealed class BrokenChartRenderer : IChartRenderer
    {
        public CardImage RenderStreak(StreakHeatmap heatmap) => throw new InvalidOperationException("no fonts");

        public CardImage RenderReading(ReadingChart chart) => throw new InvalidOperationException("no fonts");
    }
}
