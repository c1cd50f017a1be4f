using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class PresenterConfirmationTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC; the meeting is thursday 2026-11-26 18:00 (UTC), so the presenter is asked wednesday 18:00.
    private static readonly DateTimeOffset AskedAt = new(2026, 11, 25, 18, 1, 0, TimeSpan.Zero);
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private async Task PresenterAskedAsync()
    {
        await bot.SendAsync("/settings presenters on", "mod", moderator: true);
        await bot.SendAsync("/week present", "bob");
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.SetUtcNow(AskedAt);
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_presenter_is_asked_once_24_hours_before_with_ready_and_cant_make_it_buttons()
    {
        await PresenterAskedAsync();

        var asked = Assert.Single(bot.Outbound.Posts, p => p.DirectTo == "bob");
        var card = Assert.IsType<CardReply>(asked.Content).Card;
        Assert.StartsWith("You present #1", card.Title, StringComparison.Ordinal);
        Assert.Equal([new ReplyButton("I'm ready", "week present confirm 2026-W48"), new ReplyButton("Can't make it", "week present decline 2026-W48")], card.Buttons);
    }

    [Fact]
    public async Task Confirming_shows_the_presenter_as_confirmed_in_week()
    {
        await PresenterAskedAsync();

        var reply = Assert.IsType<TextReply>(await bot.SendAsync("week present confirm 2026-W48", "bob"));

        Assert.True(reply.Ephemeral);
        Assert.Contains("presented by bob (confirmed)", await bot.TextAsync("/week"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_frees_the_slot_and_tells_moderators_in_week()
    {
        await PresenterAskedAsync();

        var reply = Assert.IsType<TextReply>(await bot.SendAsync("week present decline 2026-W48", "bob"));

        Assert.Contains("The slot is free again", reply.Text, StringComparison.Ordinal);
        Assert.Null(bot.Get<IWeekPlanStore>().Find(TestBot.LocalGroup.Id, new WeekKey(2026, 48))!.Presenter);
        Assert.Contains("bob can't present 2026-W48: the slot is free.", await bot.TextAsync("/week", "mod", moderator: true), StringComparison.Ordinal);
        Assert.DoesNotContain("can't present", await bot.TextAsync("/week", "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_weeks_presenter_can_answer()
    {
        await PresenterAskedAsync();

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("week present decline 2026-W48", "alice"));

        Assert.Equal("You are not the presenter of 2026-W48. Volunteer for a coming week with /week present.", reply.Message);
        Assert.Equal("bob", bot.Get<IWeekPlanStore>().Find(TestBot.LocalGroup.Id, new WeekKey(2026, 48))!.Presenter);
    }

    [Fact]
    public async Task A_week_without_a_presenter_asks_nobody()
    {
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.SetUtcNow(AskedAt);

        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        Assert.DoesNotContain(bot.Outbound.Posts, p => p.DirectTo is not null);
    }
}
