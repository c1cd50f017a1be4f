using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

/// <summary>
/// The native-event job over the real stores and scheduler with a recording platform port: what it asks of the
/// platform on an announcement, a change, a skip, a refusal, and when the group's platform has no events.
/// </summary>
public sealed class NativeEventJobTests : IDisposable
{
    // Monday 2026-11-23 07:00 UTC: announced monday 09:00, meeting thursday 2026-11-26 18:00 (UTC).
    private static readonly DateTimeOffset Announced = new(2026, 11, 23, 9, 1, 0, TimeSpan.Zero);
    private static readonly WeekKey Week = new(2026, 48);
    private readonly RecordingNativeEvents native = new();
    private readonly TestBot bot;

    public NativeEventJobTests() => bot = TestBot.Create(s => s.AddSingleton<INativeEvents>(native), start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    private async Task PassAsync() => await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

    private async Task AnnouncedAsync(bool on = true)
    {
        if (on)
        {
            await bot.SendAsync("/settings discord-events on", "mod", moderator: true);
        }

        await bot.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        bot.Time.SetUtcNow(Announced);
        await PassAsync();
    }

    [Fact]
    public async Task The_announcement_creates_one_event_at_the_meeting_for_an_hour_named_for_the_paper()
    {
        await AnnouncedAsync();
        await PassAsync();

        var (_, spec) = Assert.Single(native.Calls, c => c.Call == "create");
        var meeting = new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
        Assert.Equal((meeting, meeting.AddHours(1)), (spec!.Start, spec.End));
        Assert.Contains("1706.03762", spec.Description, StringComparison.Ordinal);
        Assert.EndsWith(NativeEventJob.Marker(TestBot.LocalGroup.Id, Week), spec.Description, StringComparison.Ordinal);
        Assert.Equal("e1", bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(TestBot.LocalGroup.Id, Week)));
    }

    [Fact]
    public async Task Nothing_is_made_with_the_setting_off()
    {
        await AnnouncedAsync(on: false);

        Assert.Empty(native.Calls);
    }

    [Fact]
    public async Task Before_creating_it_looks_for_an_event_an_earlier_attempt_made()
    {
        native.Existing = "e0";

        await AnnouncedAsync();

        Assert.Equal(["find", "update"], native.Calls.Select(c => c.Call));
        Assert.Equal("e0", bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(TestBot.LocalGroup.Id, Week)));
    }

    [Fact]
    public async Task A_change_of_meeting_time_updates_and_a_skip_cancels_the_stored_event()
    {
        await AnnouncedAsync();

        await bot.SendAsync("/settings meeting friday 19:00", "mod", moderator: true);
        await PassAsync();
        Assert.Contains("is called off", await bot.TextAsync("/week skip 2026-W48", "mod", moderator: true), StringComparison.Ordinal);
        await PassAsync();

        Assert.Equal(["find", "create", "update", "cancel"], native.Calls.Select(c => c.Call));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero), native.Calls[2].Spec!.Start);
        Assert.Equal("", bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(TestBot.LocalGroup.Id, Week)));
    }

    [Fact]
    public async Task A_repick_after_the_announcement_renames_the_stored_event_once()
    {
        await AnnouncedAsync();

        Assert.Contains("is now the paper of 2026-W48", await bot.TextAsync("/week pick 1512.03385 2026-W48", "mod", moderator: true), StringComparison.Ordinal);
        await PassAsync();
        await PassAsync();

        Assert.Equal(["find", "create", "update"], native.Calls.Select(c => c.Call));
        Assert.Contains("1512.03385", native.Calls[2].Spec!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_deleted_by_hand_is_made_again_at_the_next_change()
    {
        await AnnouncedAsync();
        native.Gone = true;

        await bot.SendAsync("/settings meeting friday 19:00", "mod", moderator: true);
        await PassAsync();

        Assert.Equal(2, native.Calls.Count(c => c.Call == "create"));
        Assert.Equal("e2", bot.Get<IAdapterStateStore>().Get(NativeEventJob.EventKey(TestBot.LocalGroup.Id, Week)));
    }

    [Fact]
    public async Task A_refusal_is_one_line_for_moderators_retried_only_after_the_failed_post_delay()
    {
        native.Refuse = true;
        await AnnouncedAsync();
        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await PassAsync();

        Assert.Single(native.Calls, c => c.Call == "create");
        var moderators = await bot.TextAsync("/week", "mod", moderator: true);
        Assert.Contains("For moderators — no permission for events", moderators, StringComparison.Ordinal);
        Assert.DoesNotContain("native-event", moderators, StringComparison.Ordinal);
        Assert.DoesNotContain("no permission", await bot.TextAsync("/week", "alice"), StringComparison.Ordinal);

        native.Refuse = false;
        bot.Time.Advance(new SchedulerOptions().RetryFailedAfter);
        await PassAsync();

        Assert.Equal(2, native.Calls.Count(c => c.Call == "create"));
        Assert.DoesNotContain("no permission", await bot.TextAsync("/week", "mod", moderator: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Week_shows_the_interest_count_in_the_weeks_line()
    {
        await AnnouncedAsync();
        native.Interested = 12;

        Assert.Contains("12 interested on Testland", await bot.TextAsync("/week", "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_without_events_gets_none_and_week_still_works()
    {
        using var plain = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));
        await plain.SendAsync("/settings discord-events on", "mod", moderator: true);
        await plain.SendAsync("/week pick 1706.03762 2026-W48", "mod", moderator: true);
        plain.Time.SetUtcNow(Announced);

        await plain.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        Assert.DoesNotContain(plain.Get<WeeklyScheduler>().EventsOf(plain.Get<IGroupStore>().Find(TestBot.LocalGroup.Id)!, Week), e => e.Kind.StartsWith(NativeEventJob.KindPrefix, StringComparison.Ordinal));
        Assert.DoesNotContain("interested", await plain.TextAsync("/week", "mod", moderator: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_cannot_turn_the_setting_on()
    {
        Assert.Contains("Only moderators can change discord-events.", await bot.TextAsync("/settings discord-events on", "alice"), StringComparison.Ordinal);
        Assert.Equal("off", bot.Get<IGroupStore>().Find(TestBot.LocalGroup.Id)!.Setting(WeeklySchedule.NativeEvents));
    }

    /// <summary>A platform's events, recorded; ids e1, e2 … in creation order.</summary>
    private sealed class RecordingNativeEvents : INativeEvents
    {
        private int created;

        public List<(string Call, NativeEventSpec? Spec)> Calls { get; } = [];

        /// <summary>An event the platform already has for the marker (an uncertain create).</summary>
        public string? Existing { get; set; }

        public bool Gone { get; set; }

        public bool Refuse { get; set; }

        public int? Interested { get; set; }

        public string Platform => Platforms.Local;

        public string DisplayName => "Testland";

        public Task<string> CreateAsync(GroupAddress group, NativeEventSpec spec, CancellationToken cancellationToken)
        {
            Calls.Add(("create", spec));
            Gone = false;
            return Refuse ? throw new NativeEventsRefusedException("no permission for events") : Task.FromResult("e" + ++created);
        }

        public Task<bool> UpdateAsync(GroupAddress group, string eventId, NativeEventSpec spec, CancellationToken cancellationToken)
        {
            Calls.Add(("update", spec));
            return Task.FromResult(!Gone);
        }

        public Task CancelAsync(GroupAddress group, string eventId, CancellationToken cancellationToken)
        {
            Calls.Add(("cancel", null));
            return Task.CompletedTask;
        }

        public Task<string?> FindAsync(GroupAddress group, string marker, CancellationToken cancellationToken)
        {
            Calls.Add(("find", null));
            return Task.FromResult(Gone ? null : Existing);
        }

        public Task<int?> InterestedAsync(GroupAddress group, string eventId, CancellationToken cancellationToken) => Task.FromResult(Interested);
    }
}
