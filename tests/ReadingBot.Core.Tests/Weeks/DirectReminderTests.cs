using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class DirectReminderTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC; announced monday 09:00, meeting thursday 2026-11-26 18:00 (UTC).
    private static readonly DateTimeOffset Meeting = new(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private Task<int> Tick() => bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    private List<OutboundPost> DirectTo(string member) => bot.Outbound.Posts.Where(p => p.DirectTo == member).ToList();

    private async Task PickAndAnnounceAsync()
    {
        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 1, 0, TimeSpan.Zero));
        await Tick();
    }

    private async Task AtAsync(DateTimeOffset instant)
    {
        bot.Time.SetUtcNow(instant);
        await Tick();
    }

    [Fact]
    public async Task Each_member_gets_one_direct_message_per_offset_they_asked_for()
    {
        await bot.SendAsync("/settings remind-me 1d,1h", "alice");
        await bot.SendAsync("/settings remind-me 1h", "bob");
        await bot.SendAsync("/week", "dave");
        await PickAndAnnounceAsync();

        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        await AtAsync(Meeting - TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await Tick();

        Assert.Equal(2, DirectTo("alice").Count);
        Assert.Single(DirectTo("bob"));
        Assert.Empty(DirectTo("dave"));
        var card = Assert.IsType<CardReply>(DirectTo("bob")[0].Content).Card;
        Assert.StartsWith("Reminder: we meet in 1 hour about #1", card.Title, StringComparison.Ordinal);
        Assert.Equal("https://arxiv.org/abs/1706.03762", card.Url);
        Assert.StartsWith("Thu 26 Nov 2026 18:00 (Etc/UTC)", Moment.Plain(card.Fields.Single(f => f.Name == "Meeting").Value), StringComparison.Ordinal);
        Assert.StartsWith("not started", card.Fields.Single(f => f.Name == "Your reading").Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reminder_carries_the_members_three_pass_progress()
    {
        await bot.SendAsync("/settings remind-me 1d", "alice");
        await PickAndAnnounceAsync();
        await bot.SendAsync("/read #1 pass2", "alice");

        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var card = Assert.IsType<CardReply>(Assert.Single(DirectTo("alice")).Content).Card;
        Assert.StartsWith("the second pass", card.Fields.Single(f => f.Name == "Your reading").Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_who_answered_not_this_week_gets_none()
    {
        await bot.SendAsync("/settings remind-me 1d", "carol");
        await PickAndAnnounceAsync();
        await bot.SendAsync("/week rsvp no", "carol");

        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.Empty(DirectTo("carol"));
    }

    [Fact]
    public async Task A_restart_sends_nothing_twice()
    {
        await bot.SendAsync("/settings remind-me 1d", "alice");
        await PickAndAnnounceAsync();
        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        using var restarted = TestBot.Create(database: bot.Database, start: bot.Time.GetUtcNow().AddMinutes(1));
        await restarted.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        Assert.Single(DirectTo("alice"));
        Assert.DoesNotContain(restarted.Outbound.Posts, p => p.DirectTo == "alice");
    }

    [Fact]
    public async Task Closed_direct_messages_turn_the_setting_off_once_and_are_not_retried()
    {
        await bot.SendAsync("/settings remind-me 1d,1h", "alice");
        await PickAndAnnounceAsync();
        bot.Outbound.ClosedDirectMessages.Add("alice");

        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        bot.Outbound.ClosedDirectMessages.Clear();
        await AtAsync(Meeting - TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        Assert.Empty(DirectTo("alice"));
        Assert.Equal("off", bot.Get<IMemberStore>().Find(TestBot.LocalGroup.Id, "alice")!.Setting(WeeklySchedule.RemindMe));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1d,2w")]
    public async Task A_bad_offset_list_gets_one_friendly_line(string value)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync($"/settings remind-me {value}", "alice"));

        Assert.Contains("Use a value such as 1d,1h or off.", reply.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reply.Message);
    }

    [Fact]
    public async Task A_week_without_a_paper_sends_no_reminder()
    {
        await bot.SendAsync("/settings remind-me 1d", "alice");
        await AtAsync(new DateTimeOffset(2026, 11, 23, 9, 1, 0, TimeSpan.Zero));

        await AtAsync(Meeting - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.Empty(DirectTo("alice"));
    }
}
