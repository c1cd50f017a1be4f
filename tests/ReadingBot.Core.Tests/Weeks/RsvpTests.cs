using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class RsvpTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC: announced monday 09:00, meeting thursday 18:00 (UTC), so 2026-W48's meeting is next.
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private static string Going(CardReply week) => week.Card.Fields.Single(f => f.Name.StartsWith("Going", StringComparison.Ordinal)).Value;

    [Fact]
    public async Task The_announcement_carries_going_and_not_this_week_buttons_for_its_week()
    {
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.Advance(TimeSpan.FromHours(2));

        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        var card = Assert.IsType<CardReply>(Assert.Single(bot.Outbound.Posts, p => p.Key == ScheduledPostRecord.KeyOf(RsvpGroup(), new WeekKey(2026, 48), WeeklyPaperJob.AnnounceKind)).Content).Card;
        Assert.Equal([new ReplyButton("Going", "week rsvp yes 2026-W48"), new ReplyButton("Not this week", "week rsvp no 2026-W48")], card.Buttons);
    }

    [Fact]
    public async Task A_press_of_the_announcement_button_is_answered_privately_and_counted_in_week()
    {
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);

        var reply = Assert.IsType<TextReply>(await bot.SendAsync("week rsvp yes 2026-W48", "alice"));

        Assert.True(reply.Ephemeral);
        Assert.Contains("You're going to the meeting of 2026-W48 (#1", reply.Text, StringComparison.Ordinal);
        Assert.Equal("1 going: alice. Answer with /week rsvp yes or /week rsvp no.", Going(Assert.IsType<CardReply>(await bot.SendAsync("/week", "bob"))));
    }

    [Fact]
    public async Task Changing_your_answer_replaces_it()
    {
        await bot.SendAsync("/week rsvp yes", "alice");
        await bot.SendAsync("/week rsvp yes", "bob");
        bot.Time.Advance(TimeSpan.FromMinutes(1));

        await bot.SendAsync("/week rsvp no", "alice");

        var week = Assert.IsType<CardReply>(await bot.SendAsync("/week"));
        Assert.Equal("1 going: bob; 1 not this week. Answer with /week rsvp yes or /week rsvp no.", Going(week));
        Assert.Equal(RsvpAnswer.NotGoing, bot.Get<IRsvpStore>().Find(RsvpGroup(), new WeekKey(2026, 48), "alice")!.Answer);
    }

    [Fact]
    public async Task Members_off_the_leaderboard_are_counted_but_not_named()
    {
        await bot.SendAsync("/settings leaderboard off", "carol");
        await bot.SendAsync("/week rsvp yes", "alice");
        await bot.SendAsync("/week rsvp yes", "carol");

        var week = Assert.IsType<CardReply>(await bot.SendAsync("/week"));

        Assert.StartsWith("2 going: alice and 1 more.", Going(week), StringComparison.Ordinal);
        Assert.DoesNotContain("carol", Going(week), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_meeting_the_next_weeks_meeting_is_answered()
    {
        bot.Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(12));

        var reply = Assert.IsType<TextReply>(await bot.SendAsync("/week rsvp no", "alice"));

        Assert.Contains("not this week (2026-W49)", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/week rsvp maybe", "maybe")]
    [InlineData("/week rsvp yes 2026-W40", "The meeting of 2026-W40 is over. Answer for 2026-W48 or later.")]
    [InlineData("/week rsvp yes someday", "is not a date or a week")]
    public async Task Bad_answers_get_one_friendly_line_and_store_nothing(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reply.Message);
        Assert.Empty(bot.Get<IRsvpStore>().ForWeek(RsvpGroup(), new WeekKey(2026, 48)));
    }

    [Fact]
    public async Task A_break_has_no_meeting_to_answer_for()
    {
        await bot.SendAsync("/week skip 2026-W49", "mod", moderator: true);

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/week rsvp yes 2026-W49"));

        Assert.Equal("2026-W49 is a break: there is no meeting to answer for.", reply.Message);
    }

    private static Groups.GroupId RsvpGroup() => TestBot.LocalGroup.Id;
}
