using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// A scheduled post whose process died between the claim and the mark, on the Discord emulator: the scheduler runs on
/// a fake clock (shared with the emulator's nonce window) over the bot's real stores and its real Discord adapter,
/// behind a port that dies before or after the send. A new scheduler on the same stores stands for the restart.
/// </summary>
public sealed class ScheduledResendTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private sealed record Setup(DiscordHarness Bot, FakeTimeProvider Time, string Key, WeekKey Week) : IAsyncDisposable
    {
        public CrashingOutbound Port => Bot.Get<CrashingOutbound>();

        /// <summary>A scheduler on the fake clock over the bot's stores and jobs; a new one stands for a restarted process.</summary>
        public WeeklyScheduler Scheduler() => new(
            Bot.Services.GetServices<IScheduledJob>(), Bot.Get<IGroupStore>(), Bot.Get<IScheduledPostStore>(),
            Bot.Get<OutboundMessenger>(), new SchedulerOptions(), Time, Bot.Get<ILogger<WeeklyScheduler>>(), Bot.Services.GetServices<IGroupOwnership>());

        /// <summary>The messages in the home channel made for this post (its nonce comes from its key).</summary>
        public List<System.Text.Json.Nodes.JsonObject> Copies() =>
            Bot.Emulator.MessagesIn(ChannelA).Where(m => m["nonce"]?.ToString() == DiscordOutbound.NonceOf(Key)).ToList();

        public ValueTask DisposeAsync() => Bot.DisposeAsync();
    }

    /// <summary>A server with a home channel, and the clock one minute past the first <paramref name="kind"/> due after it was set up.</summary>
    private static async Task<Setup> StartAsync(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bot = await DiscordHarness.StartAsync(o => o.Time = time, services: CrashingOutbound.Install<DiscordOutbound>);
        var set = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"));
        await set.WaitForReplyAsync(Wait);
        var group = bot.Get<IGroupStore>().Find(GroupA.Id)!;
        var scheduler = bot.Get<WeeklyScheduler>();
        var week = WeekKey.Of(group.CreatedAt, group.Zone());
        var due = new[] { week, week.Next() }.SelectMany(w => scheduler.EventsOf(group, w)).First(e => e.Kind == kind && e.At > group.CreatedAt);
        time.SetUtcNow(due.At.AddMinutes(1));
        return new Setup(bot, time, $"{GroupA.Id.Value}|{due.Week}|{kind}", due.Week);
    }

    [Theory]
    [InlineData(WeeklyPaperJob.AnnounceKind)]
    [InlineData(WayrJob.OpenKind)]
    public async Task A_crash_between_the_claim_and_the_send_posts_once_after_the_lease(string kind)
    {
        await using var setup = await StartAsync(kind);
        setup.Port.DieBeforeSending = p => p.Key == setup.Key;
        await setup.Scheduler().RunDueAsync(CancellationToken.None);
        Assert.Empty(setup.Copies());

        setup.Port.DieBeforeSending = null;
        var restarted = setup.Scheduler();
        setup.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.RunDueAsync(CancellationToken.None);
        Assert.Empty(setup.Copies());
        setup.Time.Advance(TimeSpan.FromMinutes(1));
        await restarted.RunDueAsync(CancellationToken.None);
        await restarted.RunDueAsync(CancellationToken.None);

        Assert.Single(setup.Copies());
        Assert.Equal(ScheduledPostState.Posted, setup.Bot.Get<IScheduledPostStore>().Find(setup.Key)!.State);
    }

    [Theory]
    [InlineData(WeeklyPaperJob.AnnounceKind)]
    [InlineData(WayrJob.OpenKind)]
    public async Task A_crash_after_the_send_is_resent_with_the_same_nonce_and_discord_keeps_one_message(string kind)
    {
        await using var setup = await StartAsync(kind);
        setup.Port.DieAfterSending = p => p.Key == setup.Key;
        await setup.Scheduler().RunDueAsync(CancellationToken.None);
        var first = Assert.Single(setup.Copies());

        setup.Port.DieAfterSending = null;
        setup.Time.Advance(TimeSpan.FromMinutes(2));
        await setup.Scheduler().RunDueAsync(CancellationToken.None);

        Assert.Contains(setup.Port.Attempts, p => p.Key == setup.Key && p.EarlierAttemptAt is not null);
        Assert.Equal(first["id"]!.ToString(), Assert.Single(setup.Copies())["id"]!.ToString());
        Assert.Equal(1, setup.Bot.Emulator.Recorder.NonceHits);
        Assert.Equal(ScheduledPostState.Posted, setup.Bot.Get<IScheduledPostStore>().Find(setup.Key)!.State);
        if (kind == WayrJob.OpenKind)
        {
            // The thread the first attempt started is the week's thread; no second one was asked for.
            Assert.Equal(first["id"]!.ToString(), setup.Bot.Get<IWayrStore>().FindWeek(GroupA.Id, setup.Week)?.ThreadId);
        }
    }
}
