using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// RSVPs on Slack: the real announcement goes out with Going / Not this week Block Kit buttons, a press comes back as
/// a block_actions payload, and the answer is stored and acknowledged only to the member who pressed.
/// </summary>
public sealed class RsvpTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync()
    {
        emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Time = time, EnforceChannelRate = false, EchoBotMessages = false });
        bot = await SlackTestBot.StartAsync(emulator);
        var group = bot.Get<GroupDirectory>().EnsureGroup(Threads.Group);
        bot.Get<IGroupStore>().Save(group with { Settings = new Dictionary<string, string>(group.Settings) { ["channel"] = SlackEmulator.GeneralChannel } });
    }

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    [Fact]
    public async Task Pressing_not_this_week_on_the_announcement_stores_the_rsvp_and_answers_ephemerally()
    {
        await (await emulator.SlashCommandAsync("paper add 1706.03762 Attention Is All You Need")).WaitForResponseAsync();
        var pick = await emulator.SlashCommandAsync("week pick #1", user: SlackEmulator.Admin);
        Assert.Contains("is the paper of", SlackJson.Strings(await pick.WaitForResponseAsync()), StringComparison.Ordinal);
        var group = bot.Get<IGroupStore>().Find(Threads.Group.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var week = Assert.Single(bot.Get<IWeekPlanStore>().Range(Threads.Group.Id, current, current.Advance(2))).Week;
        var scheduler = new WeeklyScheduler(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
            bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>());
        time.SetUtcNow(scheduler.EventsOf(group, week).Single(e => e.Kind == WeeklyPaperJob.AnnounceKind).At.AddMinutes(1));

        await scheduler.RunDueAsync(CancellationToken.None);

        var key = ScheduledPostRecord.KeyOf(Threads.Group.Id, week, WeeklyPaperJob.AnnounceKind);
        var announcement = emulator.MessagesIn(SlackEmulator.GeneralChannel).Single(m => m.Metadata?["event_payload"]?["key"]?.ToString() == key);
        var buttons = announcement.Blocks!.OfType<JsonObject>().Where(b => b["type"]?.ToString() == "actions")
            .SelectMany(b => b["elements"]!.AsArray()).OfType<JsonObject>().ToList();
        Assert.Equal(["Going", "Not this week"], buttons.Select(b => b["text"]!["text"]!.ToString()));
        Assert.Equal($"week rsvp no {week}", buttons[1]["value"]!.ToString());

        var press = await emulator.PressButtonAsync(buttons[1], messageTs: announcement.Ts);
        var response = await press.WaitForResponseAsync();

        Assert.Equal("ephemeral", response["response_type"]!.ToString());
        Assert.Contains($"not this week ({week}", SlackJson.Strings(response), StringComparison.Ordinal);
        Assert.Equal(RsvpAnswer.NotGoing, bot.Get<IRsvpStore>().Find(Threads.Group.Id, week, SlackEmulator.Alice)!.Answer);
    }
}
