using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// The weekly meeting as a Discord Guild Scheduled Event (<c>/settings discord-events on</c>): the real scheduler on a
/// fake clock (shared with the emulator, which refuses a start in the past) over the bot's stores and its real
/// adapter; a restart is a new bot on the same data directory and the same Discord. The bot's own clock (for
/// commands) is the real one, so the fake clock starts at the real time and only moves forward to it: the group's
/// zone is chosen so that it is about noon there, announced ten minutes ago, meeting in three hours, and every
/// command sees the week as the scheduler does (announced, its meeting still ahead).
/// </summary>
public sealed class NativeEventTests : IDisposable
{
    private const string CreateRoute = "POST guilds/{guild}/scheduled-events";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "rb-events-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, true);
        }
    }

    private sealed record Run(DiscordHarness Bot, FakeTimeProvider Time, WeekKey Week) : IAsyncDisposable
    {
        /// <summary>A scheduler on the fake clock over the bot's stores and jobs; a new one stands for a new pass of a process.</summary>
        public Task PassAsync()
        {
            CatchUp();
            return Bot.RunSchedulerAsync(Time);
        }

        /// <summary>The fake clock forward to the real one (which the bot's commands read), never back.</summary>
        public void CatchUp()
        {
            var now = DateTimeOffset.UtcNow;
            if (now > Time.GetUtcNow())
            {
                Time.SetUtcNow(now);
            }
        }

        public IReadOnlyList<string> Notices => [.. Bot.Emulator.MessagesIn(Bot.Get<IWeekPlanStore>().Find(GroupA.Id, Week)!.ThreadId!)
            .Select(m => m["content"]?.ToString() ?? "")
            .Where(c => c.StartsWith("Change of plan", StringComparison.Ordinal) || c.Contains("is called off", StringComparison.Ordinal))];

        public IReadOnlyList<JsonObject> Events => Bot.Emulator.ScheduledEventsIn(GuildA);

        public Group Group => Bot.Get<IGroupStore>().Find(GroupA.Id)!;

        public DateTimeOffset Meeting => DateTimeOffset.Parse(Assert.Single(Events)["scheduled_start_time"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

        public Task<string> AsAsync(EmulatedUser user, string name, string? sub, params (string Name, object Value)[] options) => Bot.CommandAsync(user, name, sub, options);

        public ValueTask DisposeAsync() => Bot.DisposeAsync();
    }

    private async Task<DiscordHarness> BotAsync(FakeTimeProvider time, DiscordEmulator? existing = null, Action<IServiceCollection>? services = null)
    {
        var identified = existing?.Identifies ?? 0;
        var bot = await DiscordHarness.StartAsync(o => o.Time = time, services: services, existing: existing, database: ReadingBotDatabase.OpenFile(dataDirectory), waitForSession: false);
        // On the same Discord, the first bot's session may still look live: wait for the new one's.
        var resumed = existing?.SuccessfulResumes ?? 0;
        await DiscordEmulator.WaitUntilAsync(() => (bot.Emulator.Identifies > identified || bot.Emulator.SuccessfulResumes > resumed) && bot.Emulator.IsSessionLive, Wait, "the new bot's session");
        return bot;
    }

    /// <summary>
    /// Two papers in the library, events on, the announcement ten minutes ago with nothing announced, and #1 picked for
    /// this week after it (so announced at the next pass, with its event); the fake clock at the real time of the pick.
    /// </summary>
    private async Task<Run> PickedAsync(Action<DiscordEmulator>? before = null, Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var run = new Run(await BotAsync(time, services: services), time, default);
        before?.Invoke(run.Bot.Emulator);
        // About noon in the group's zone, so ten minutes back and three hours on stay on the same day.
        var now = DateTimeOffset.UtcNow;
        var offset = 12 - now.UtcDateTime.Hour;
        var zone = offset == 0 ? "Etc/UTC" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
        var local = now.ToOffset(TimeSpan.FromHours(offset));
        await run.AsAsync(Mod, "settings", null, ("key", "timezone"), ("value", zone));
        await run.AsAsync(Mod, "settings", null, ("key", "announce"), ("value", Weekly(local.AddMinutes(-10))));
        await run.AsAsync(Mod, "settings", null, ("key", "meeting"), ("value", Weekly(local.AddHours(3))));
        await run.AsAsync(Mod, "settings", null, ("key", "channel"), ("value", $"<#{ChannelA}>"));
        await run.AsAsync(Mod, "settings", null, ("key", "discord-events"), ("value", "on"));
        await run.AsAsync(Mod, "paper", "add", ("ref", "1706.03762"), ("title", "Attention Is All You Need"));
        await run.AsAsync(Mod, "paper", "add", ("ref", "2101.00001"), ("title", "Switch Transformers"));
        var week = WeekKey.Of(DateTimeOffset.UtcNow, run.Group.Zone());
        Assert.Contains("is the paper of", await run.AsAsync(Mod, "week", "pick", ("ref", "#1"), ("date", week.ToString())), StringComparison.Ordinal);
        run = run with { Week = week };
        run.CatchUp();
        return run;
    }

    private static string Weekly(DateTimeOffset local) =>
        new WeeklyTime(local.DayOfWeek, TimeOnly.FromDateTime(local.DateTime)).ToString();

    private async Task<Run> AnnouncedAsync(Action<DiscordEmulator>? before = null)
    {
        var run = await PickedAsync(before);
        await run.PassAsync();
        return run;
    }

    [Fact]
    public async Task The_announcement_creates_one_external_event_at_the_meeting_linking_the_thread()
    {
        await using var run = await AnnouncedAsync();
        await run.PassAsync();

        var e = Assert.Single(run.Events);
        var plan = run.Bot.Get<IWeekPlanStore>().Find(GroupA.Id, run.Week)!;
        Assert.Equal("Attention Is All You Need", e["name"]!.ToString());
        Assert.Equal(3, e["entity_type"]!.GetValue<int>());
        Assert.Equal($"https://discord.com/channels/{GuildA}/{plan.ThreadId}", e["entity_metadata"]!["location"]!.ToString());
        Assert.Contains("arxiv.org/abs/1706.03762", e["description"]!.ToString(), StringComparison.Ordinal);
        var meeting = WeekRevisionsMeeting(run.Group, run.Week);
        Assert.Equal(meeting, run.Meeting);
        Assert.Equal(meeting.AddHours(1), DateTimeOffset.Parse(e["scheduled_end_time"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(run.Bot.Emulator.Recorder.To("POST", CreateRoute));
    }

    [Fact]
    public async Task A_repick_after_the_announcement_renames_the_same_event_and_tells_the_thread_once()
    {
        await using var run = await AnnouncedAsync();
        var id = Assert.Single(run.Events)["id"]!.ToString();

        Assert.Contains("is now the paper of", await run.AsAsync(Mod, "week", "pick", ("ref", "#2"), ("date", run.Week.ToString())), StringComparison.Ordinal);
        await run.PassAsync();
        await run.PassAsync();

        var e = Assert.Single(run.Events);
        Assert.Equal((id, "Switch Transformers"), (e["id"]!.ToString(), e["name"]!.ToString()));
        Assert.StartsWith($"Change of plan for {run.Week}: we now read #2 Switch Transformers", Assert.Single(run.Notices), StringComparison.Ordinal);
        Assert.Single(run.Bot.Emulator.Recorder.To("POST", CreateRoute));
        Assert.Empty(run.Bot.Emulator.Recorder.UnsafeMessages);
    }

    [Fact]
    public async Task A_changed_meeting_time_moves_the_same_event()
    {
        await using var run = await AnnouncedAsync();
        var before = run.Meeting;

        await run.AsAsync(Mod, "settings", null, ("key", "meeting"), ("value", "friday 19:00"));
        await run.PassAsync();

        Assert.Equal(WeekRevisionsMeeting(run.Group, run.Week), run.Meeting);
        Assert.NotEqual(before, run.Meeting);
        Assert.Single(run.Bot.Emulator.Recorder.To("POST", CreateRoute));
    }

    [Fact]
    public async Task Skipping_the_announced_week_cancels_its_event_and_calls_the_meeting_off_once()
    {
        await using var run = await AnnouncedAsync();

        Assert.Contains("is called off", await run.AsAsync(Mod, "week", "skip", ("date", run.Week.ToString())), StringComparison.Ordinal);
        await run.PassAsync();
        await run.PassAsync();

        Assert.Equal(4, Assert.Single(run.Events)["status"]!.GetValue<int>());
        Assert.Contains("is called off", Assert.Single(run.Notices), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repick_restart_then_skip_patches_then_cancels_the_one_event_with_one_notice_each()
    {
        var first = await AnnouncedAsync();
        var (emulator, time, week) = (first.Bot.Emulator, first.Time, first.Week);
        await using var discord = emulator;
        var id = Assert.Single(first.Events)["id"]!.ToString();
        await first.AsAsync(Mod, "week", "pick", ("ref", "#2"), ("date", week.ToString()));
        await first.PassAsync();
        Assert.Equal("Switch Transformers", Assert.Single(first.Events)["name"]!.ToString());
        await first.Bot.StopBotAsync();

        await using var restarted = new Run(await BotAsync(time, emulator), time, week);
        await restarted.PassAsync();
        Assert.Single(restarted.Notices);
        Assert.Single(emulator.Recorder.Requests, r => r.Method == "PATCH" && r.Path.Contains("scheduled-events/" + id, StringComparison.Ordinal));
        await restarted.AsAsync(Mod, "week", "skip", ("date", week.ToString()));
        await restarted.PassAsync();
        await restarted.PassAsync();

        var e = Assert.Single(restarted.Events);
        Assert.Equal((id, 4), (e["id"]!.ToString(), e["status"]!.GetValue<int>()));
        Assert.Equal(2, restarted.Notices.Count);
        Assert.Contains("is called off", restarted.Notices[1], StringComparison.Ordinal);
        Assert.Single(emulator.Recorder.To("POST", CreateRoute));
        Assert.Single(emulator.MessagesIn(ChannelA), m => m.ToJsonString().Contains("Paper of the week", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crash_after_the_create_is_found_by_its_marker_and_not_made_again()
    {
        var run = await PickedAsync(services: CrashingNativeEvents.Install);
        var emulator = run.Bot.Emulator;
        await using var discord = emulator;
        run.Bot.Get<CrashingNativeEvents>().DieAfterCreate = true;
        await run.PassAsync();
        var made = Assert.Single(run.Events)["id"]!.ToString();
        Assert.Equal("", run.Bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(GroupA.Id, run.Week)) ?? "");
        var time = run.Time;
        await run.Bot.StopBotAsync();

        // The new process takes the claim over once its lease has run out.
        time.Advance(TimeSpan.FromMinutes(3));
        await using var restarted = new Run(await BotAsync(time, emulator), time, run.Week);
        await restarted.PassAsync();

        Assert.Equal(made, Assert.Single(restarted.Events)["id"]!.ToString());
        Assert.Equal(made, restarted.Bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(GroupA.Id, run.Week)));
        Assert.Single(emulator.Recorder.To("POST", CreateRoute));
    }

    [Fact]
    public async Task Week_shows_how_many_are_interested_on_discord()
    {
        await using var run = await AnnouncedAsync();
        var id = Assert.Single(run.Events)["id"]!.ToString();
        Assert.True(await run.Bot.Emulator.AddInterestedAsync(id, Alice.Id));
        Assert.True(await run.Bot.Emulator.AddInterestedAsync(id, Bob.Id));

        Assert.Contains("2 interested on Discord", await run.AsAsync(Alice, "week", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_permission_moderators_see_one_line_and_the_announcement_still_goes_out()
    {
        await using var run = await AnnouncedAsync(d => d.SetBotPermissions(GuildA, 0));
        await run.PassAsync();
        run.Time.Advance(TimeSpan.FromMinutes(1));
        await run.PassAsync();

        Assert.Empty(run.Events);
        Assert.Single(run.Bot.Emulator.Recorder.To("POST", CreateRoute));
        Assert.Contains(run.Bot.Emulator.MessagesIn(ChannelA), m => m.ToJsonString().Contains("Paper of the week", StringComparison.Ordinal));
        var moderator = await run.AsAsync(Mod, "week", "show");
        Assert.Contains("I can't create the Discord event: give me Manage Events", moderator, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(moderator, "Manage Events"));
        Assert.DoesNotContain("Manage Events", await run.AsAsync(Alice, "week", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_moderators_turn_discord_events_on()
    {
        await using var bot = await DiscordHarness.StartAsync();

        var reply = await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "settings", null, ("key", "discord-events"), ("value", "on"))).ReplyTextAsync(Wait);

        Assert.Equal("Only moderators can change discord-events. Ask a moderator of this group.", reply);
    }

    private static DateTimeOffset WeekRevisionsMeeting(Group group, WeekKey week)
    {
        var zone = group.Zone();
        return WeeklySchedule.MeetingAfter(WeeklySchedule.InstantOf(week, WeeklySchedule.AnnounceTime(group), zone), week, WeeklySchedule.MeetingTime(group), zone);
    }

    /// <summary>The Discord adapter's events behind a port that dies after the create reached Discord, before its id is stored.</summary>
    private sealed class CrashingNativeEvents(DiscordNativeEvents inner) : INativeEvents
    {
        public static void Install(IServiceCollection services)
        {
            services.RemoveAll<INativeEvents>();
            services.AddSingleton(sp => new CrashingNativeEvents(ActivatorUtilities.CreateInstance<DiscordNativeEvents>(sp)));
            services.AddSingleton<INativeEvents>(sp => sp.GetRequiredService<CrashingNativeEvents>());
        }

        public bool DieAfterCreate { get; set; }

        public string Platform => inner.Platform;

        public string DisplayName => inner.DisplayName;

        public async Task<string> CreateAsync(GroupAddress group, NativeEventSpec spec, CancellationToken cancellationToken)
        {
            var id = await inner.CreateAsync(group, spec, cancellationToken);
            return DieAfterCreate ? throw new SimulatedCrashException("after the create") : id;
        }

        public Task<bool> UpdateAsync(GroupAddress group, string eventId, NativeEventSpec spec, CancellationToken cancellationToken) => inner.UpdateAsync(group, eventId, spec, cancellationToken);

        public Task CancelAsync(GroupAddress group, string eventId, CancellationToken cancellationToken) => inner.CancelAsync(group, eventId, cancellationToken);

        public Task<string?> FindAsync(GroupAddress group, string marker, CancellationToken cancellationToken) => inner.FindAsync(group, marker, cancellationToken);

        public Task<int?> InterestedAsync(GroupAddress group, string eventId, CancellationToken cancellationToken) => inner.InterestedAsync(group, eventId, cancellationToken);
    }
}
