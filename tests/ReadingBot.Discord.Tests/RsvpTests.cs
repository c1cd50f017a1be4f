using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// RSVPs and DM reminders on Discord: the real announcement goes out with its Going / Not this week components, a
/// press comes back as a component interaction and is answered only to the member who pressed; reminders arrive in
/// the member's DM channel (<c>POST /users/@me/channels</c>). The scheduler runs on a fake clock over the bot's stores.
/// </summary>
public sealed class RsvpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private sealed record Announced(DiscordHarness Bot, FakeTimeProvider Time, WeeklyScheduler Scheduler, Group Group, WeekKey Week, JsonObject Message) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Bot.DisposeAsync();
    }

    /// <summary>A home channel, a paper picked, <paramref name="before"/> run, and the week's announcement posted.</summary>
    private static async Task<Announced> AnnounceAsync(Func<DiscordHarness, Task>? before = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bot = await StartAsync(o => o.Time = time);
        await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"))).WaitForReplyAsync(Wait);
        await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "week", "pick", ("ref", "1706.03762"))).WaitForReplyAsync(Wait);
        if (before is not null)
        {
            await before(bot);
        }

        var group = bot.Get<IGroupStore>().Find(GroupA.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var week = Assert.Single(bot.Get<IWeekPlanStore>().Range(GroupA.Id, current, current.Advance(2))).Week;
        var scheduler = new WeeklyScheduler(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
            bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>(), bot.Services.GetServices<IGroupOwnership>());
        time.SetUtcNow(scheduler.EventsOf(group, week).Single(e => e.Kind == WeeklyPaperJob.AnnounceKind).At.AddMinutes(1));
        await scheduler.RunDueAsync(CancellationToken.None);
        var key = ScheduledPostRecord.KeyOf(GroupA.Id, week, WeeklyPaperJob.AnnounceKind);
        var message = bot.Emulator.MessagesIn(ChannelA).Single(m => m["nonce"]?.ToString() == DiscordOutbound.NonceOf(key));
        return new Announced(bot, time, scheduler, group, week, message);
    }

    [Fact]
    public async Task Pressing_going_on_the_announcement_stores_the_rsvp_and_answers_ephemerally()
    {
        await using var run = await AnnounceAsync();

        var buttons = run.Message["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).OfType<JsonObject>().ToList();
        Assert.Equal(["Going", "Not this week"], buttons.Select(b => b["label"]!.ToString()));
        var going = buttons[0]["custom_id"]!.ToString();
        Assert.Equal($"rb:week rsvp yes {run.Week}", going);

        var press = await run.Bot.Emulator.SendButtonAsync(GuildA, ChannelA, Alice, going);

        Assert.Contains($"You're going to the meeting of {run.Week}", await press.ReplyTextAsync(Wait), StringComparison.Ordinal);
        Assert.Equal(64, press.InitialFlags & 64);
        Assert.Equal(RsvpAnswer.Going, run.Bot.Get<IRsvpStore>().Find(GroupA.Id, run.Week, Alice.Id)!.Answer);
    }

    [Fact]
    public async Task A_reminder_arrives_once_in_the_members_dm_channel_and_closed_dms_turn_it_off()
    {
        await using var run = await AnnounceAsync(async bot =>
        {
            await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "settings", null, ("key", "remind-me"), ("value", "1d"))).WaitForReplyAsync(Wait);
            await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "settings", null, ("key", "remind-me"), ("value", "1d"))).WaitForReplyAsync(Wait);
        });
        run.Bot.Emulator.ClosedDirectMessages[Bob.Id] = true;
        var due = run.Scheduler.EventsOf(run.Group, run.Week).Single(e => e.Kind == DirectReminderJob.KindPrefix + "1d");
        run.Time.SetUtcNow(due.At.AddMinutes(1));

        await run.Scheduler.RunDueAsync(CancellationToken.None);
        run.Time.Advance(TimeSpan.FromMinutes(10));
        await run.Scheduler.RunDueAsync(CancellationToken.None);

        var reminder = Assert.Single(run.Bot.Emulator.DirectMessagesTo(Alice.Id));
        Assert.Contains("Reminder: we meet in 1 day about #1", reminder.ToJsonString(), StringComparison.Ordinal);
        var meeting = reminder["embeds"]![0]!["fields"]!.AsArray().OfType<JsonObject>().Single(f => f["name"]!.ToString() == "Meeting");
        Assert.StartsWith("<t:", meeting["value"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Bot.Emulator.DirectMessagesTo(Bob.Id));
        Assert.Equal("off", run.Bot.Get<IMemberStore>().Find(GroupA.Id, Bob.Id)!.Setting(WeeklySchedule.RemindMe));
    }
}
