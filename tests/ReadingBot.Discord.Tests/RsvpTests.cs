using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// RSVPs on Discord: the real announcement goes out with its Going / Not this week components, a press on one comes
/// back as a component interaction, and the answer is stored and acknowledged only to the member who pressed.
/// </summary>
public sealed class RsvpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    [Fact]
    public async Task Pressing_going_on_the_announcement_stores_the_rsvp_and_answers_ephemerally()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = await StartAsync(o => o.Time = time);
        var set = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"));
        await set.WaitForReplyAsync(Wait);
        var pick = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "week", "pick", ("ref", "1706.03762"));
        await pick.WaitForReplyAsync(Wait);
        var group = bot.Get<IGroupStore>().Find(GroupA.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var week = Assert.Single(bot.Get<IWeekPlanStore>().Range(GroupA.Id, current, current.Advance(2))).Week;
        var scheduler = new WeeklyScheduler(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
            bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>());
        time.SetUtcNow(scheduler.EventsOf(group, week).Single(e => e.Kind == WeeklyPaperJob.AnnounceKind).At.AddMinutes(1));

        await scheduler.RunDueAsync(CancellationToken.None);

        var announcement = bot.Emulator.MessagesIn(ChannelA).Single(m => m["nonce"]?.ToString() == DiscordOutbound.NonceOf(ScheduledPostRecord.KeyOf(GroupA.Id, week, WeeklyPaperJob.AnnounceKind)));
        var buttons = announcement["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).OfType<JsonObject>().ToList();
        Assert.Equal(["Going", "Not this week"], buttons.Select(b => b["label"]!.ToString()));
        var going = buttons[0]["custom_id"]!.ToString();
        Assert.Equal($"rb:week rsvp yes {week}", going);

        var press = await bot.Emulator.SendButtonAsync(GuildA, ChannelA, Alice, going);

        Assert.Contains($"You're going to the meeting of {week}", await press.ReplyTextAsync(Wait), StringComparison.Ordinal);
        Assert.Equal(64, press.InitialFlags & 64);
        Assert.Equal(RsvpAnswer.Going, bot.Get<IRsvpStore>().Find(GroupA.Id, week, Alice.Id)!.Answer);
    }
}
