using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class WeeklyPaperTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC; the group's default announcement is monday 09:00 UTC, so this week is still open.
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task The_queue_ranks_by_votes_then_by_age_with_who_suggested()
    {
        await bot.SendAsync("/paper suggest 1706.03762 the transformer", "alice");
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.SendAsync("/paper suggest 1512.03385 residual nets", "bob");
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.SendAsync("/paper suggest 1409.0473", "carol");
        await bot.SendAsync("/paper vote #3", "alice");
        await bot.SendAsync("/paper vote #3", "bob");
        await bot.SendAsync("/paper vote #2", "carol");

        var queue = Assert.IsType<ListReply>(await bot.SendAsync("/paper queue"));

        Assert.Equal(["#3", "#2", "#1"], queue.Items.Select(i => i.Text.Split(' ')[0]));
        Assert.Contains("2 votes — suggested by carol", queue.Items[0].Text, StringComparison.Ordinal);
        Assert.Contains("suggested by bob: residual nets", queue.Items[1].Text, StringComparison.Ordinal);
        Assert.Equal("paper vote #3", queue.Items[0].Button!.CommandLine);
    }

    [Fact]
    public async Task Voting_again_takes_the_vote_back_and_never_counts_twice()
    {
        await bot.SendAsync("/paper suggest 1706.03762");

        var first = await bot.TextAsync("/paper vote #1", "bob");
        var second = await bot.TextAsync("/paper vote 1706.03762v2", "bob");

        Assert.Contains("(1 vote)", first, StringComparison.Ordinal);
        Assert.Contains("Took back your vote", second, StringComparison.Ordinal);
        Assert.Contains("0 votes", await bot.TextAsync("/paper queue"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/paper vote #9", "There is no paper #9")]
    [InlineData("/paper vote 1706.03762", "is not in the library yet")]
    public async Task Votes_for_unknown_papers_are_refused(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paper_in_the_library_but_not_suggested_cannot_be_voted_for()
    {
        await bot.SendAsync("/paper add 1706.03762");

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/paper vote #1"));

        Assert.Equal("#1 has not been suggested. Suggest it first with /paper suggest #1.", reply.Message);
    }

    [Fact]
    public async Task Suggesting_a_paper_twice_points_to_the_vote()
    {
        await bot.SendAsync("/paper suggest 1706.03762", "alice");

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/paper suggest https://arxiv.org/abs/1706.03762", "bob"));

        Assert.Equal("#1 was already suggested by alice. Vote for it with /paper vote #1.", reply.Message);
    }

    [Fact]
    public async Task A_pick_takes_the_next_free_week_and_leaves_the_queue()
    {
        await bot.SendAsync("/paper suggest 1706.03762");
        await bot.SendAsync("/paper suggest 1512.03385");

        var first = await bot.TextAsync("/week pick #1", "mod", moderator: true);
        var second = await bot.TextAsync("/week pick #2", "mod", moderator: true);

        Assert.StartsWith("#1 Attention Is All You Need", first, StringComparison.Ordinal);
        Assert.Contains("is the paper of 2026-W48", first, StringComparison.Ordinal);
        Assert.Contains("is the paper of 2026-W49", second, StringComparison.Ordinal);
        Assert.Contains("No open suggestions", await bot.TextAsync("/paper queue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_cannot_pick_and_nothing_changes()
    {
        await bot.SendAsync("/paper suggest 1706.03762");

        var reply = await bot.TextAsync("/week pick #1", "bob");

        Assert.Equal("Error: /week pick is for moderators only. Ask a moderator of this group to run it.", reply);
        Assert.Contains("not picked yet", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-W40", "2026-W40 is in the past")]
    [InlineData("2026-10-01", "is in the past")]
    [InlineData("someday", "is not a date or a week")]
    [InlineData("2031-W01", "too far ahead")]
    public async Task Bad_weeks_are_refused(string when, string expected)
    {
        await bot.SendAsync("/paper add 1706.03762");

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync($"/week pick #1 {when}", "mod", moderator: true));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task This_week_cannot_be_picked_again_once_its_meeting_started()
    {
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.Advance(TimeSpan.FromHours(2));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero));

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/week pick 1512.03385 2026-W48", "mod", moderator: true));

        Assert.StartsWith("This week's meeting already started (", reply.Message, StringComparison.Ordinal);
        Assert.EndsWith("); choose 2026-W49 or later.", reply.Message, StringComparison.Ordinal);
        Assert.Contains("This week (2026-W48): #1", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_announcement_time_with_nothing_announced_this_week_can_still_be_picked()
    {
        bot.Time.Advance(TimeSpan.FromHours(3));

        var reply = await bot.TextAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);

        Assert.Contains("is the paper of 2026-W48; this week's announcement time, Mon 23 Nov 2026 09:00 (Etc/UTC), has passed, so it will be announced in a moment.", reply, StringComparison.Ordinal);
        Assert.Contains("This week (2026-W48): #1", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pick_takes_the_week_and_the_paper_in_either_order()
    {
        var reply = await bot.TextAsync("/week pick 2026-W49 1706.03762", "mod", moderator: true);
        await bot.SendAsync("/paper add 1512.03385");
        var byDate = await bot.TextAsync("/week pick 2026-12-09 #2", "mod", moderator: true);

        Assert.StartsWith("#1 Attention Is All You Need is the paper of 2026-W49", reply, StringComparison.Ordinal);
        Assert.StartsWith("#2 ", byDate, StringComparison.Ordinal);
        Assert.Contains("is the paper of 2026-W50", byDate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/week pick 2026-W49", "'2026-W49' is a week, not a paper. Name the paper first: /week pick <paper> 2026-W49, such as /week pick #3 2026-W49.")]
    [InlineData("/week pick #1 #1", "'#1' is a paper, not a week. Give a date in the week, such as 2026-12-03, or a week, such as 2026-W49.")]
    [InlineData("/week skip 1706.03762", "'1706.03762' is a paper, not a week. Give a date in the week, such as 2026-12-03, or a week, such as 2026-W49.")]
    public async Task A_week_where_a_paper_belongs_and_a_paper_where_a_week_belongs_are_named(string line, string expected)
    {
        await bot.SendAsync("/paper add 1706.03762");

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line, "mod", moderator: true));

        Assert.Equal(expected, reply.Message);
    }

    [Fact]
    public async Task A_paper_cannot_be_planned_for_two_weeks()
    {
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/week pick #1 2026-W50", "mod", moderator: true));

        Assert.Contains("#1 is already the paper of 2026-W48", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skipping_a_week_returns_its_paper_to_the_queue()
    {
        await bot.SendAsync("/paper suggest 1706.03762");
        await bot.SendAsync("/week pick #1", "mod", moderator: true);

        var skipped = await bot.TextAsync("/week skip 2026-W48", "mod", moderator: true);

        Assert.Contains("2026-W48 is a break", skipped, StringComparison.Ordinal);
        Assert.Contains("#1", await bot.TextAsync("/paper queue"), StringComparison.Ordinal);
        Assert.Contains("This week (2026-W48): a break", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/week schedule funday 09:00 Europe/Berlin", "'funday' is not a choice here: /week schedule takes monday, tuesday, wednesday, thursday, friday, saturday or sunday (the day of the week).")]
    [InlineData("/week schedule monday 25:00 Europe/Berlin", "is not a time")]
    [InlineData("/week schedule monday 9am Europe/Berlin", "is not a time")]
    [InlineData("/week schedule monday 09:00 Berlin/Mitte", "is not an IANA time zone")]
    public async Task Bad_schedules_are_refused_and_change_nothing(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line, "mod", moderator: true));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
        Assert.Contains("announce = monday 09:00", await bot.TextAsync("/settings announce"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_sets_the_announcement_and_the_zone()
    {
        var reply = await bot.TextAsync("/week schedule wednesday 18:30 America/New_York", "mod", moderator: true);

        Assert.Contains("announced every wednesday 18:30 (America/New_York)", reply, StringComparison.Ordinal);
        Assert.Contains("Next announcement: Wed 25 Nov 2026 18:30 (America/New_York)", reply, StringComparison.Ordinal);
        Assert.Contains("timezone = America/New_York", await bot.TextAsync("/settings timezone"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presenters_rotate_to_the_volunteer_who_presented_least_recently()
    {
        await bot.SendAsync("/settings presenters on", "mod", moderator: true);
        await bot.SendAsync("/week present", "bob");
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await bot.SendAsync("/week present", "carol");

        var first = await bot.TextAsync("/week pick 1706.03762", "mod", moderator: true);
        var second = await bot.TextAsync("/week pick 1512.03385", "mod", moderator: true);
        var third = await bot.TextAsync("/week pick 1409.0473", "mod", moderator: true);

        Assert.Contains("Proposed presenter: bob", first, StringComparison.Ordinal);
        Assert.Contains("Proposed presenter: carol", second, StringComparison.Ordinal);
        Assert.Contains("Proposed presenter: bob", third, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discussion_notes_need_a_paper_of_the_week_and_show_on_its_card()
    {
        var none = Assert.IsType<ErrorReply>(await bot.SendAsync("/discuss great paper"));
        await bot.SendAsync("/paper suggest 1706.03762 must read", "alice");
        await bot.SendAsync("/paper vote #1", "bob");
        await bot.SendAsync("/week pick #1", "mod", moderator: true);

        var noted = await bot.TextAsync("/discuss The attention figure finally made sense", "bob");
        var card = Assert.IsType<CardReply>(await bot.SendAsync("/paper show #1")).Card;

        Assert.Contains("no paper of the week", none.Message, StringComparison.Ordinal);
        Assert.Contains("(1 note)", noted, StringComparison.Ordinal);
        Assert.Contains(card.Fields, f => f.Name == "Suggested by" && f.Value == "alice: must read");
        Assert.Contains(card.Fields, f => f.Name == "Votes" && f.Value == "1 (picked)");
        Assert.Contains(card.Fields, f => f.Name == "Discussion" && f.Value.Contains("bob: The attention figure", StringComparison.Ordinal));
    }
}
