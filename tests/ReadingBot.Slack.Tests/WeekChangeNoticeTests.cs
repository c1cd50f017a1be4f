using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// A re-pick or skip of an announced week on Slack (no native events there): the notice goes once into the
/// announcement's thread. The bot's commands read the real clock, so the scheduler's fake clock follows it forward,
/// and the group's zone is chosen so that it is about noon there: announced ten minutes ago, meeting in three hours.
/// </summary>
public sealed class WeekChangeNoticeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;
    private WeekKey week;

    public async Task InitializeAsync()
    {
        emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Time = time, EnforceChannelRate = false, EchoBotMessages = false });
        bot = await SlackTestBot.StartAsync(emulator);
        var now = DateTimeOffset.UtcNow;
        var offset = 12 - now.UtcDateTime.Hour;
        var local = now.ToOffset(TimeSpan.FromHours(offset));
        var group = bot.Get<GroupDirectory>().EnsureGroup(Threads.Group);
        bot.Get<IGroupStore>().Save(group with
        {
            Settings = new Dictionary<string, string>(group.Settings)
            {
                ["channel"] = SlackEmulator.GeneralChannel,
                ["timezone"] = offset == 0 ? "Etc/UTC" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}",
                ["announce"] = Weekly(local.AddMinutes(-10)),
                ["meeting"] = Weekly(local.AddHours(3)),
                ["reminders"] = "off",
            },
        });
        week = WeekKey.Of(now, bot.Get<IGroupStore>().Find(Threads.Group.Id)!.Zone());
    }

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private static string Weekly(DateTimeOffset local) => new WeeklyTime(local.DayOfWeek, TimeOnly.FromDateTime(local.DateTime)).ToString();

    private async Task PassAsync()
    {
        if (DateTimeOffset.UtcNow > time.GetUtcNow())
        {
            time.SetUtcNow(DateTimeOffset.UtcNow);
        }

        await new WeeklyScheduler(bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
            bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>(), bot.Services.GetServices<IGroupOwnership>()).RunDueAsync(CancellationToken.None);
    }

    private async Task<string> AdminAsync(string text) => SlackJson.Strings(await (await emulator.SlashCommandAsync(text, user: SlackEmulator.Admin)).WaitForResponseAsync());

    [Fact]
    public async Task A_repick_and_a_skip_of_the_announced_week_are_each_told_once_in_its_thread()
    {
        await AdminAsync("paper add 1706.03762 Attention Is All You Need");
        await AdminAsync("paper add 2101.00001 Switch Transformers <!channel>");
        Assert.Contains("is the paper of", await AdminAsync($"week pick #1 {week}"), StringComparison.Ordinal);
        await PassAsync();
        var announcement = Assert.Single(emulator.MessagesIn(SlackEmulator.GeneralChannel), IsAnnouncement);

        Assert.Contains("is now the paper of", await AdminAsync($"week pick #2 {week}"), StringComparison.Ordinal);
        await PassAsync();
        await PassAsync();
        Assert.Contains("is called off", await AdminAsync($"week skip {week}"), StringComparison.Ordinal);
        await PassAsync();
        await PassAsync();

        var notices = emulator.MessagesIn(SlackEmulator.GeneralChannel)
            .Where(m => m.Text.StartsWith("Change of plan", StringComparison.Ordinal) || m.Text.StartsWith($"{week}'s meeting (", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal(announcement.Ts, n.ThreadTs));
        Assert.Contains($"Change of plan for {week}: we now read #2 Switch Transformers", notices[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", notices[0].Text, StringComparison.Ordinal);
        Assert.Contains("is called off", notices[1].Text, StringComparison.Ordinal);
        Assert.Single(emulator.MessagesIn(SlackEmulator.GeneralChannel), IsAnnouncement);
    }

    private static bool IsAnnouncement(StoredMessage m) => m.ThreadTs is null && m.Text.Contains("Paper of the week", StringComparison.Ordinal);
}
