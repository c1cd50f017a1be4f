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
/// The presenter's confirmation on Slack: 24 hours before the meeting (on the scheduler's fake clock) the week's
/// presenter gets a message in their IM channel (conversations.open) whose Block Kit buttons work from the IM; the
/// typed command works too; a member who cannot be messaged is noted once.
/// </summary>
public sealed class PresenterConfirmationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync()
    {
        emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Time = time, EnforceChannelRate = false, EchoBotMessages = false });
        bot = await SlackTestBot.StartAsync(emulator);
        var group = bot.Get<GroupDirectory>().EnsureGroup(Threads.Group);
        bot.Get<IGroupStore>().Save(group with { Settings = new Dictionary<string, string>(group.Settings) { ["channel"] = SlackEmulator.GeneralChannel, ["presenters"] = "on" } });
    }

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private Task PassAsync() => new WeeklyScheduler(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
        bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>(), bot.Services.GetServices<IGroupOwnership>()).RunDueAsync(CancellationToken.None);

    private async Task<string> SayAsync(string text, string user = SlackEmulator.Alice) =>
        SlackJson.Strings(await (await emulator.SlashCommandAsync(text, user: user)).WaitForResponseAsync());

    /// <summary>Alice volunteered, a paper picked with her proposed, and the clock a minute past the confirmation's time; returns the week.</summary>
    private async Task<WeekKey> DueAsync()
    {
        await SayAsync("week present");
        Assert.Contains("Proposed presenter", await SayAsync("week pick 1706.03762", SlackEmulator.Admin), StringComparison.Ordinal);
        var group = bot.Get<IGroupStore>().Find(Threads.Group.Id)!;
        var current = WeekKey.Of(DateTimeOffset.UtcNow, group.Zone());
        var week = Assert.Single(bot.Get<IWeekPlanStore>().Range(Threads.Group.Id, current, current.Advance(2))).Week;
        time.SetUtcNow(bot.Get<WeeklyScheduler>().EventsOf(group, week).Single(e => e.Kind == PresenterConfirmationJob.Kind).At.AddMinutes(1));
        return week;
    }

    private static string Im(string user) => "D" + user.TrimStart('U');

    [Fact]
    public async Task The_presenter_gets_one_im_24_hours_before_and_its_ready_button_confirms_from_the_im()
    {
        var week = await DueAsync();
        await PassAsync();
        await PassAsync();

        var asked = Assert.Single(emulator.MessagesIn(Im(SlackEmulator.Alice)));
        Assert.Contains("You present #1", asked.AllText, StringComparison.Ordinal);
        var ready = asked.Blocks!.OfType<JsonObject>().Where(b => b["type"]?.ToString() == "actions").SelectMany(b => b["elements"]!.AsArray()).OfType<JsonObject>().First();
        Assert.Equal($"week present confirm {week}", ready["value"]!.ToString());

        var press = await emulator.PressButtonAsync(ready, channel: Im(SlackEmulator.Alice), messageTs: asked.Ts);

        Assert.Contains($"you are confirmed as the presenter of {week}", SlackJson.Strings(await press.WaitForResponseAsync()), StringComparison.Ordinal);
        Assert.Contains("(confirmed)", await SayAsync("week"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_with_the_typed_command_frees_the_slot_and_tells_moderators()
    {
        var week = await DueAsync();
        await PassAsync();

        Assert.Contains($"Noted: you can't present {week}", await SayAsync($"week present decline {week}"), StringComparison.Ordinal);
        Assert.Contains($"can't present {week}: the slot is free.", await SayAsync("week", SlackEmulator.Admin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presenter_who_cannot_be_messaged_is_noted_once()
    {
        var week = await DueAsync();
        emulator.Team().Users[SlackEmulator.Alice].Deleted = true;
        await PassAsync();
        time.Advance(TimeSpan.FromHours(1));
        await PassAsync();

        Assert.Single(emulator.CallsTo("conversations.open"));
        var record = bot.Get<IScheduledPostStore>().Find(ScheduledPostRecord.KeyOf(Threads.Group.Id, week, PresenterConfirmationJob.Kind))!;
        Assert.Equal((ScheduledPostState.Skipped, "the presenter's direct messages are closed"), (record.State, record.Detail));
    }
}
