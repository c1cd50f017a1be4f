using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Weeks;
using ReadingBot.Discord;
using ReadingBot.Storage.Contract;
using ReadingBot.Storage.Postgres;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Host.Tests;

/// <summary>
/// Three bot processes on one PostgreSQL live through three weeks of 50 groups' schedules on a clock the test moves
/// (<c>Testing:Clock:File</c>): every WAYR opening, announcement, reminder and digest is posted exactly once, also when
/// one process is killed with <c>kill -9</c> in the middle of a post and restarted.
/// </summary>
public sealed class SimulatedWeeksProcessTests : IAsyncLifetime
{
    private const int Groups = 50;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private static readonly string[] ShardRanges = ["0-1", "2", "3"];

    // Groups are created just after the week before the first ends, so nothing of that week is owed (nor recorded).
    private static readonly DateTimeOffset Created = new(2027, 1, 3, 21, 0, 0, TimeSpan.Zero);
    private static readonly WeekKey[] Weeks = [new(2027, 1), new(2027, 2), new(2027, 3)];

    /// <summary>Each step of a week: the instant the clock is moved to (after the Monday) and the posts it owes.</summary>
    private static readonly (TimeSpan AfterMonday, string[] Kinds)[] Steps =
    [
        (new TimeSpan(0, 9, 30, 0), ["wayr-open", "announce"]),
        (new TimeSpan(0, 17, 30, 0), ["reminder-1h"]),
        (new TimeSpan(6, 20, 30, 0), ["wayr-close"]),
    ];

    private readonly TestSchema schema = TestServer.CreateSchema();
    private readonly string clockFile = Path.Combine(Path.GetTempPath(), "readingbot-clock-" + Guid.NewGuid().ToString("N"));
    private DiscordEmulator emulator = null!;
    private ShardedProcesses processes = null!;

    public async Task InitializeAsync()
    {
        emulator = await DiscordEmulator.StartAsync(o =>
        {
            (o.RecommendedShards, o.HeartbeatInterval, o.IdentifyConcurrencyWindow) = (4, TimeSpan.FromSeconds(1), TimeSpan.Zero);
            // Three processes share one token, each keeping its own count of Discord's global limit: this test is
            // about the schedule, not about sharing a rate limit across processes.
            o.GlobalLimit = 1000;
        });
        processes = new ShardedProcesses(emulator, schema, "readingbot-weeks-");
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        schema.Dispose();
        File.Delete(clockFile);
        processes.DeleteDataDirectories();
    }

    private static string GuildOf(int i) => (((2000UL + (ulong)i) << 22) | 1).ToString(CultureInfo.InvariantCulture);

    private static string ChannelOf(int i) => (1400000000000000000UL + (ulong)i).ToString(CultureInfo.InvariantCulture);

    private static int ShardOf(int i) => (2000 + i) % 4;

    private static GroupId IdOf(int i) => new GroupAddress(Platforms.Discord, GuildOf(i)).Id;

    [Fact]
    public async Task Three_processes_post_three_weeks_of_fifty_groups_schedules_once_each_through_a_kill_9_mid_post()
    {
        Seed();
        SetClock(Created.AddHours(1));
        var bots = ShardRanges.Select(Start).ToArray();
        var victim = Enumerable.Range(0, Groups).First(i => ShardOf(i) == 3);
        try
        {
            await DiscordEmulator.WaitUntilAsync(() => Enumerable.Range(0, 4).All(emulator.IsShardLive), Wait, "all four shards live across three processes");
            foreach (var week in Weeks)
            {
                var monday = new DateTimeOffset(week.Monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                foreach (var (afterMonday, kinds) in Steps)
                {
                    var owed = Expected(week, kinds);
                    if (week == Weeks[1] && kinds.Contains("announce"))
                    {
                        // The process of shard 3 is killed while Discord holds its first post of the step (the victim's
                        // WAYR opening), which then lands: the restarted process must not post it again, and must
                        // make the posts of shard 3 that fell due while it was down.
                        var hold = emulator.HoldNext("POST", $"channels/{ChannelOf(victim)}/messages");
                        SetClock(monday + afterMonday);
                        await hold.Arrived.WaitAsync(Wait);
                        await bots[2].KillAsync();
                        hold.Release();
                        await DiscordEmulator.WaitUntilAsync(() => !emulator.IsShardLive(3), Wait, "shard 3 gone with its process");
                        bots[2] = Start(ShardRanges[2]);
                        await DiscordEmulator.WaitUntilAsync(() => emulator.IsShardLive(3), Wait, "shard 3 back");
                        // The dead process's claim holds for its two-minute lease; past it, the post is taken again.
                        SetClock(monday + afterMonday + TimeSpan.FromMinutes(5));
                    }
                    else
                    {
                        SetClock(monday + afterMonday);
                    }

                    await DiscordEmulator.WaitUntilAsync(() => owed.All(Posted().ContainsKey), Wait, $"{string.Join(", ", kinds)} of {week} in every group ({owed.Count(Posted().ContainsKey)} of {owed.Count})");
                }
            }
        }
        finally
        {
            foreach (var bot in bots)
            {
                await bot.DisposeAsync();
            }
        }

        var expected = Weeks.SelectMany(w => Expected(w, [.. Steps.SelectMany(s => s.Kinds)])).ToHashSet();
        var posted = Posted();
        Assert.Equal(Groups * Weeks.Length * 4, expected.Count);
        Assert.Empty(posted.Where(c => c.Value != 1).Select(c => $"{c.Key} posted {c.Value} times"));
        Assert.Empty(expected.Except(posted.Keys));
        Assert.Empty(posted.Keys.Except(expected));
        // The emulator's nonce dedupe would hide a second attempt, so attempts are counted too: one per post, but for
        // the post held at the kill, whose resend after the lease met the message its first attempt had made.
        var held = DiscordOutbound.NonceOf(ScheduledPostRecord.KeyOf(IdOf(victim), Weeks[1], "wayr-open"));
        var attempts = emulator.Recorder.Requests.Where(r => r.Method == "POST" && r.Status == 200 && r.Message?["nonce"] is not null)
            .GroupBy(r => r.Message!["nonce"]!.ToString(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(2, attempts[held]);
        Assert.Empty(attempts.Where(a => a.Key != held && a.Value != 1).Select(a => $"{a.Key} attempted {a.Value} times"));
        Assert.Equal(1, emulator.Recorder.NonceHits);
        Assert.DoesNotContain(emulator.Recorder.Requests, r => r.Code == 40060);
    }

    /// <summary>The nonces of the scheduled posts due in one step of one week, one per group and kind.</summary>
    private static List<string> Expected(WeekKey week, IEnumerable<string> kinds) =>
        [.. Enumerable.Range(0, Groups).SelectMany(i => kinds.Select(k => DiscordOutbound.NonceOf(ScheduledPostRecord.KeyOf(IdOf(i), week, k))))];

    /// <summary>Messages that exist in any channel or thread the bot posted to, counted by nonce (a nonce hit makes none).</summary>
    private Dictionary<string, int> Posted()
    {
        var channels = emulator.Recorder.Requests
            .Where(r => r.Method == "POST" && r.Path.StartsWith("channels/", StringComparison.Ordinal) && r.Path.EndsWith("/messages", StringComparison.Ordinal))
            .Select(r => r.Path.Split('/')[1]).Distinct(StringComparer.Ordinal);
        return channels.SelectMany(emulator.MessagesIn).Select(m => m["nonce"]?.ToString()).OfType<string>()
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>Each group picks automatically an hour before its Monday 09:00 announcement, from three suggestions with 3, 2 and 1 votes.</summary>
    private void Seed()
    {
        using var db = PostgresDatabase.Open(schema.ConnectionString);
        var groups = new PgGroupStore(db);
        var library = new PgLibraryStore(db);
        var suggestions = new PgSuggestionStore(db);
        for (var i = 0; i < Groups; i++)
        {
            emulator.AddGuild(GuildOf(i), $"Readers {i}", ChannelOf(i));
            groups.Save(new Group
            {
                Id = IdOf(i),
                Platform = Platforms.Discord,
                Workspace = GuildOf(i),
                CreatedAt = Created,
                Settings = new Dictionary<string, string>
                {
                    [SettingCatalogue.Channel.Key] = ChannelOf(i),
                    [SettingCatalogue.TimeZone.Key] = "Etc/UTC",
                    ["announce"] = "monday 09:00",
                    ["meeting"] = "monday 18:00",
                    ["reminders"] = "1h",
                    ["autopick"] = "on",
                    ["autopick-cutoff"] = "1h",
                    ["wayr-open"] = "monday 08:00",
                    ["wayr-close"] = "sunday 20:00",
                },
            });
            foreach (var (id, votes) in new[] { ("1706.03762", 3), ("1512.03385", 2), ("2010.11929", 1) })
            {
                var paper = Paper.Pending(PaperRefParser.Parse("arXiv:" + id).Reference!);
                var (entry, _) = library.Add(IdOf(i), paper, "u1", $"Paper {id}", null, Created);
                suggestions.TryAdd(new Suggestion { Group = IdOf(i), PaperKey = entry.PaperKey, SuggestedBy = "u1", SuggestedAt = Created, Voters = [.. Enumerable.Range(0, votes).Select(v => $"u{v}")] });
            }
        }
    }

    /// <summary>Moves every process's clock: the file is replaced whole, so a process never reads half an instant.</summary>
    private void SetClock(DateTimeOffset at)
    {
        var next = clockFile + ".next";
        File.WriteAllText(next, at.ToString("O", CultureInfo.InvariantCulture));
        File.Move(next, clockFile, overwrite: true);
    }

    private LiveBot Start(string shardIds) => processes.Start(shardIds, "--Testing:Clock:File", clockFile);
}
