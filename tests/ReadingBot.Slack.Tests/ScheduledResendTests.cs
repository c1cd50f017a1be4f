using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>
/// A scheduled post whose process died between the claim and the mark, on the Slack emulator: the scheduler runs on a
/// fake clock (shared with the emulator, so message timestamps follow it) over the bot's real stores and Slack
/// adapter, behind a port that dies before or after the send. A new scheduler on the same stores is the restart.
/// </summary>
public sealed class ScheduledResendTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync()
    {
        // The clock stands still between passes: the per-channel pace is another test's subject.
        emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Time = time, EnforceChannelRate = false, EchoBotMessages = false });
        bot = await SlackTestBot.StartAsync(emulator, mode: "Http", services: CrashingOutbound.Install<SlackOutbound>);
        var group = bot.Get<GroupDirectory>().EnsureGroup(Threads.Group);
        bot.Get<IGroupStore>().Save(group with { Settings = new Dictionary<string, string>(group.Settings) { ["channel"] = SlackEmulator.GeneralChannel } });
    }

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private CrashingOutbound Port => bot.Get<CrashingOutbound>();

    private WeeklyScheduler Scheduler() => new(
        bot.Services.GetServices<IScheduledJob>(), bot.Get<IGroupStore>(), bot.Get<IScheduledPostStore>(),
        bot.Get<OutboundMessenger>(), new SchedulerOptions(), time, bot.Get<ILogger<WeeklyScheduler>>(), bot.Services.GetServices<IGroupOwnership>());

    /// <summary>The key of the first <paramref name="kind"/> due after the group was made; the clock is set one minute past it.</summary>
    private string DueKey(string kind)
    {
        var group = bot.Get<IGroupStore>().Find(Threads.Group.Id)!;
        var week = WeekKey.Of(group.CreatedAt, group.Zone());
        var due = new[] { week, week.Next() }.SelectMany(w => Scheduler().EventsOf(group, w)).First(e => e.Kind == kind && e.At > group.CreatedAt);
        time.SetUtcNow(due.At.AddMinutes(1));
        return $"{Threads.Group.Id.Value}|{due.Week}|{kind}";
    }

    private List<StoredMessage> Copies(string key) =>
        emulator.MessagesIn(SlackEmulator.GeneralChannel).Where(m => m.Metadata?["event_payload"]?["key"]?.ToString() == key).ToList();

    [Theory]
    [InlineData(WeeklyPaperJob.AnnounceKind)]
    [InlineData(WayrJob.OpenKind)]
    public async Task A_crash_between_the_claim_and_the_send_posts_once_after_the_lease(string kind)
    {
        var key = DueKey(kind);
        Port.DieBeforeSending = p => p.Key == key;
        await Scheduler().RunDueAsync(CancellationToken.None);
        Assert.Empty(Copies(key));

        Port.DieBeforeSending = null;
        var restarted = Scheduler();
        time.Advance(TimeSpan.FromMinutes(1));
        await restarted.RunDueAsync(CancellationToken.None);
        Assert.Empty(Copies(key));
        time.Advance(TimeSpan.FromMinutes(1));
        await restarted.RunDueAsync(CancellationToken.None);
        await restarted.RunDueAsync(CancellationToken.None);

        var posted = Assert.Single(Copies(key));
        Assert.Equal(SlackOutbound.PostEventType, posted.Metadata!["event_type"]!.ToString());
        Assert.Equal(ScheduledPostState.Posted, bot.Get<IScheduledPostStore>().Find(key)!.State);
    }

    [Theory]
    [InlineData(WeeklyPaperJob.AnnounceKind)]
    [InlineData(WayrJob.OpenKind)]
    public async Task A_crash_after_the_send_is_found_in_the_history_and_not_posted_again(string kind)
    {
        var key = DueKey(kind);
        Port.DieAfterSending = p => p.Key == key;
        await Scheduler().RunDueAsync(CancellationToken.None);
        var first = Assert.Single(Copies(key));

        Port.DieAfterSending = null;
        time.Advance(TimeSpan.FromMinutes(2));
        await Scheduler().RunDueAsync(CancellationToken.None);

        Assert.Contains(Port.Attempts, p => p.Key == key && p.EarlierAttemptAt is not null);
        Assert.Equal(first.Ts, Assert.Single(Copies(key)).Ts);
        Assert.Contains(emulator.Calls, c => c.Method == "conversations.history" && c.Args["include_all_metadata"]?.ToString() == "true");
        Assert.Equal(ScheduledPostState.Posted, bot.Get<IScheduledPostStore>().Find(key)!.State);
        if (kind == WayrJob.OpenKind)
        {
            Assert.Equal($"{SlackEmulator.GeneralChannel}:{first.Ts}", bot.Get<IWayrStore>().FindWeek(Threads.Group.Id, WeekKey.Of(time.GetUtcNow(), TimeZoneInfo.Utc))?.ThreadId);
        }
    }

    [Fact]
    public async Task A_resend_into_a_thread_looks_in_the_thread_and_finds_its_earlier_reply()
    {
        var outbound = bot.Get<SlackOutbound>();
        var parent = await outbound.PostAsync(new OutboundPost(Threads.Group, null, new TextReply("This week's paper"), ThreadTitle: "Discussion"), CancellationToken.None);
        var reminder = new OutboundPost(Threads.Group, null, new TextReply("Reminder: we meet in 1 hour"), InThreadId: parent.ThreadId) { Key = "slack:T1|2026-W48|remind-1h" };
        var first = await outbound.PostAsync(reminder, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(2));
        var again = await outbound.PostAsync(reminder with { EarlierAttemptAt = time.GetUtcNow().AddMinutes(-2) }, CancellationToken.None);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(parent.ThreadId, again.ThreadId);
        Assert.Single(Copies("slack:T1|2026-W48|remind-1h"));
    }

    [Fact]
    public async Task The_emulator_keeps_metadata_and_shows_it_in_history_only_with_include_all_metadata()
    {
        var api = bot.Get<ReadingBot.Slack.Web.SlackWebApi>();
        var metadata = new System.Text.Json.Nodes.JsonObject { ["event_type"] = "readingbot_post", ["event_payload"] = new System.Text.Json.Nodes.JsonObject { ["key"] = "k1" } };
        var parent = await api.PostMessageAsync(new System.Text.Json.Nodes.JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "parent", ["metadata"] = metadata }, CancellationToken.None);
        await api.PostMessageAsync(new System.Text.Json.Nodes.JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "reply", ["thread_ts"] = parent["ts"]!.DeepClone() }, CancellationToken.None);
        var bad = await Assert.ThrowsAsync<ReadingBot.Slack.Web.SlackApiException>(() => api.PostMessageAsync(
            new System.Text.Json.Nodes.JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["event_type"] = "t" } }, CancellationToken.None));

        var plain = await api.CallAsync("conversations.history", new System.Text.Json.Nodes.JsonObject { ["channel"] = SlackEmulator.GeneralChannel });
        var withMetadata = await api.RecentMessagesAsync(SlackEmulator.GeneralChannel, time.GetUtcNow().AddMinutes(-1), 10, CancellationToken.None);

        Assert.Equal("invalid_metadata_format", bad.Error);
        Assert.Null(Assert.Single(plain["messages"]!.AsArray())!["metadata"]);
        Assert.Equal("k1", Assert.Single(withMetadata)["metadata"]!["event_payload"]!["key"]!.ToString());
    }
}
