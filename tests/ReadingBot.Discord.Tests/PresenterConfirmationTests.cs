using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// The presenter's confirmation on Discord: 24 hours before the meeting (on the scheduler's fake clock) the week's
/// presenter gets a DM (<c>POST /users/@me/channels</c>) whose buttons work from the DM, where Discord sends no
/// guild_id; the typed command works too; closed DMs are noted once.
/// </summary>
public sealed class PresenterConfirmationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private sealed record Asked(DiscordHarness Bot, FakeTimeProvider Time, WeekKey Week, string Key) : IAsyncDisposable
    {
        public Task PassAsync() => Bot.RunSchedulerAsync(Time);

        public ValueTask DisposeAsync() => Bot.DisposeAsync();
    }

    /// <summary>Bob volunteered, presenters on, a paper picked (Bob proposed), and the clock a minute past the confirmation's time.</summary>
    private static async Task<Asked> DueAsync(Action<DiscordHarness>? before = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bot = await StartAsync(o => o.Time = time);
        var run = new Asked(bot, time, default, "");
        await run.Bot.CommandAsync(Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"));
        await run.Bot.CommandAsync(Mod, "settings", null, ("key", "presenters"), ("value", "on"));
        await run.Bot.CommandAsync(Bob, "week", "present");
        await run.Bot.CommandAsync(Mod, "week", "pick", ("ref", "1706.03762"));
        before?.Invoke(bot);
        var group = bot.Get<IGroupStore>().Find(GroupA.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var plan = Assert.Single(bot.Get<IWeekPlanStore>().Range(GroupA.Id, current, current.Advance(2)));
        Assert.Equal(Bob.Id, plan.Presenter);
        var due = bot.Get<WeeklyScheduler>().EventsOf(group, plan.Week).Single(e => e.Kind == PresenterConfirmationJob.Kind);
        time.SetUtcNow(due.At.AddMinutes(1));
        return run with { Week = plan.Week, Key = ScheduledPostRecord.KeyOf(GroupA.Id, plan.Week, PresenterConfirmationJob.Kind) };
    }

    private static List<string> ButtonsOf(JsonObject message) =>
        [.. message["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).OfType<JsonObject>().Select(b => b["custom_id"]!.ToString())];

    [Fact]
    public async Task The_presenter_gets_one_dm_24_hours_before_and_its_ready_button_confirms_from_the_dm()
    {
        await using var run = await DueAsync();
        await run.PassAsync();
        await run.PassAsync();

        var dm = Assert.Single(run.Bot.Emulator.DirectMessagesTo(Bob.Id));
        Assert.Contains("You present #1", dm.ToJsonString(), StringComparison.Ordinal);
        var ready = ButtonsOf(dm)[0];
        Assert.Equal($"rb@{GuildA}:week present confirm {run.Week}", ready);

        var press = await run.Bot.Emulator.SendButtonAsync(null!, dm["channel_id"]!.ToString(), Bob, ready);

        Assert.Contains($"you are confirmed as the presenter of {run.Week}", await press.ReplyTextAsync(Wait), StringComparison.Ordinal);
        Assert.Contains("(confirmed)", await run.Bot.CommandAsync(Alice, "week", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_with_the_typed_command_frees_the_slot_and_tells_moderators()
    {
        await using var run = await DueAsync();
        await run.PassAsync();

        var reply = await run.Bot.CommandAsync(Bob, "week", "present", ("answer", "decline"), ("date", run.Week.ToString()));

        Assert.Contains($"Noted: you can't present {run.Week}", reply, StringComparison.Ordinal);
        Assert.Contains($"can't present {run.Week}: the slot is free.", await run.Bot.CommandAsync(Mod, "week", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_dms_are_noted_once_and_not_knocked_on_again()
    {
        await using var run = await DueAsync(bot => bot.Emulator.ClosedDirectMessages[Bob.Id] = true);
        await run.PassAsync();
        run.Time.Advance(TimeSpan.FromHours(1));
        await run.PassAsync();

        Assert.Empty(run.Bot.Emulator.DirectMessagesTo(Bob.Id));
        Assert.Single(run.Bot.Emulator.Recorder.To("POST", "POST channels/{channel}/messages"), r => r.Status == 403);
        var record = run.Bot.Get<IScheduledPostStore>().Find(run.Key)!;
        Assert.Equal((ScheduledPostState.Skipped, "the presenter's direct messages are closed"), (record.State, record.Detail));
    }
}
