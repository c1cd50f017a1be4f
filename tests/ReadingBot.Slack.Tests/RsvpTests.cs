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
/// a block_actions payload, and the answer is stored and acknowledged only to the member who pressed; reminders
/// arrive in the member's IM channel, opened with conversations.open.
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

    private WeeklyScheduler Scheduler() => new(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
        bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>(), bot.Services.GetServices<IGroupOwnership>());

    /// <summary>A paper picked, <paramref name="before"/> run, and the week's announcement posted; returns the week and the message.</summary>
    private async Task<(Group Group, WeekKey Week, StoredMessage Message)> AnnounceAsync(Func<Task>? before = null)
    {
        await (await emulator.SlashCommandAsync("paper add 1706.03762 Attention Is All You Need")).WaitForResponseAsync();
        var pick = await emulator.SlashCommandAsync("week pick #1", user: SlackEmulator.Admin);
        Assert.Contains("is the paper of", SlackJson.Strings(await pick.WaitForResponseAsync()), StringComparison.Ordinal);
        if (before is not null)
        {
            await before();
        }

        var group = bot.Get<IGroupStore>().Find(Threads.Group.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var week = Assert.Single(bot.Get<IWeekPlanStore>().Range(Threads.Group.Id, current, current.Advance(2))).Week;
        time.SetUtcNow(Scheduler().EventsOf(group, week).Single(e => e.Kind == WeeklyPaperJob.AnnounceKind).At.AddMinutes(1));
        await Scheduler().RunDueAsync(CancellationToken.None);
        var key = ScheduledPostRecord.KeyOf(Threads.Group.Id, week, WeeklyPaperJob.AnnounceKind);
        return (group, week, emulator.MessagesIn(SlackEmulator.GeneralChannel).Single(m => m.Metadata?["event_payload"]?["key"]?.ToString() == key));
    }

    [Fact]
    public async Task Pressing_not_this_week_on_the_announcement_stores_the_rsvp_and_answers_ephemerally()
    {
        var (_, week, announcement) = await AnnounceAsync();

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

    [Fact]
    public async Task A_reminder_arrives_once_through_conversations_open_and_a_disabled_member_is_turned_off()
    {
        var (group, week, _) = await AnnounceAsync(async () =>
        {
            await (await emulator.SlashCommandAsync("settings remind-me 1d")).WaitForResponseAsync();
            await (await emulator.SlashCommandAsync("settings remind-me 1d", user: SlackEmulator.Admin)).WaitForResponseAsync();
        });
        emulator.Team().Users[SlackEmulator.Admin].Deleted = true;
        time.SetUtcNow(Scheduler().EventsOf(group, week).Single(e => e.Kind == DirectReminderJob.KindPrefix + "1d").At.AddMinutes(1));

        await Scheduler().RunDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        await Scheduler().RunDueAsync(CancellationToken.None);

        var im = "D" + SlackEmulator.Alice.TrimStart('U');
        Assert.True(emulator.Channel(im).IsIm);
        var reminder = Assert.Single(emulator.MessagesIn(im));
        Assert.Contains("Reminder: we meet in 1 day about #1", reminder.AllText, StringComparison.Ordinal);
        Assert.Contains("<!date^", reminder.AllText, StringComparison.Ordinal);
        Assert.Equal("off", bot.Get<IMemberStore>().Find(Threads.Group.Id, SlackEmulator.Admin)!.Setting(WeeklySchedule.RemindMe));
    }
}
