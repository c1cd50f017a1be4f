using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Weeks;
using ReadingBot.Discord;
using ReadingBot.Host.Tests.Adapters;
using ReadingBot.Storage.Contract;
using ReadingBot.Storage.Postgres;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Host.Tests;

/// <summary>
/// Issue #16's scenario: three bot processes on one PostgreSQL, each running some of the four shards the Discord
/// emulator recommends and all connected to one Slack app (the Slack emulator, Socket Mode), live through three weeks
/// of 50 groups' schedules (49 Discord servers and the Slack workspace) on a clock the test moves
/// (<c>Testing:Clock:File</c>). Commands in every server and in the workspace are answered once; every WAYR opening,
/// announcement, reminder and digest is posted exactly once on both platforms, also when one process is killed with
/// <c>kill -9</c> while Discord holds its post and Slack holds envelopes it answered but never saw acked; acknowledged
/// writes survive the kill, and the identify budget holds across the processes.
/// </summary>
[Collection(AdapterProcesses.Name)]
public sealed class SimulatedWeeksProcessTests : IAsyncLifetime
{
    /// <summary>One bot token is one Slack workspace (docs/slack.md), so the Slack app brings one group: the 50th.</summary>
    private const int DiscordGroups = 49;
    private const int Groups = DiscordGroups + 1;

    /// <summary>Discord's daily identify budget for the token, shared by the three processes: four sessions and two spare.</summary>
    private const int IdentifyBudget = 6;
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
    private SlackEmulator slack = null!;
    private ShardedProcesses processes = null!;
    private volatile bool loseVictimsAcks;
    private PostgresDatabase database = null!;
    private PgScheduledPostStore records = null!;

    public async Task InitializeAsync()
    {
        emulator = await DiscordEmulator.StartAsync(o =>
        {
            (o.RecommendedShards, o.HeartbeatInterval, o.IdentifyConcurrencyWindow) = (4, TimeSpan.FromSeconds(1), TimeSpan.Zero);
            // Three processes share one token, each keeping its own count of Discord's global limit: this test is
            // about the schedule, not about sharing a rate limit across processes.
            o.GlobalLimit = 1000;
            o.IdentifyBudget = IdentifyBudget;
        });
        slack = await SlackEmulator.StartAsync(new SlackEmulatorOptions
        {
            Spread = SocketSpread.RoundRobin,
            // Once the process about to be killed is doomed, none of its acks reaches Slack, which redelivers its
            // envelopes to another process's connection.
            LoseAck = (delivery, socket) => loseVictimsAcks && socket.Client == Victim && delivery.LostAcks.Count == 0,
        });
        processes = new ShardedProcesses(emulator, schema, "readingbot-weeks-", slack);
        database = PostgresDatabase.Open(schema.ConnectionString);
        records = new PgScheduledPostStore(database);
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        await slack.DisposeAsync();
        database.Dispose();
        schema.Dispose();
        File.Delete(clockFile);
        processes.DeleteDataDirectories();
    }

    private static string GuildOf(int i) => (((2000UL + (ulong)i) << 22) | 1).ToString(CultureInfo.InvariantCulture);

    private static string ChannelOf(int i) => (1400000000000000000UL + (ulong)i).ToString(CultureInfo.InvariantCulture);

    private static int ShardOf(int i) => (2000 + i) % 4;

    private static GroupId IdOf(int i) => new GroupAddress(Platforms.Discord, GuildOf(i)).Id;

    private static readonly GroupId Workspace = new GroupAddress(Platforms.Slack, SlackEmulator.DefaultTeam).Id;

    /// <summary>The process of shard 3 (<see cref="ShardRanges"/>[2]), killed in the second week; its Slack connections are tagged with this.</summary>
    private const string Victim = "2";

    private static readonly ReadingBot.TestSupport.Discord.EmulatedUser Alice = new("1000000000000000001", "alice");

    [Fact]
    public async Task Three_processes_on_Discord_shards_and_one_Slack_app_answer_once_post_three_weeks_once_and_survive_a_kill_9()
    {
        Seed();
        SetClock(Created.AddHours(1));
        // One at a time, so that each process's Slack connections can be told apart.
        var bots = new LiveBot[ShardRanges.Length];
        var victim = Enumerable.Range(0, DiscordGroups).First(i => ShardOf(i) == 3);
        try
        {
            for (var p = 0; p < bots.Length; p++)
            {
                bots[p] = Start(ShardRanges[p]);
                await TagNewSocketsAsync(p.ToString(CultureInfo.InvariantCulture));
            }

            await DiscordEmulator.WaitUntilAsync(() => Enumerable.Range(0, 4).All(emulator.IsShardLive), Wait, "all four shards live across three processes");
            await CommandsAreAnsweredOnceAsync();
            foreach (var week in Weeks)
            {
                var monday = new DateTimeOffset(week.Monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                foreach (var (afterMonday, kinds) in Steps)
                {
                    if (week == Weeks[1] && kinds.Contains("announce"))
                    {
                        // The process of shard 3 is killed while Discord holds its first post of the step (the victim's
                        // WAYR opening), which then lands: the restarted process must not post it again, and must
                        // make the posts of shard 3 that fell due while it was down. It also dies holding Slack
                        // envelopes it ran and answered, whose acks Slack never got: Slack redelivers them to the
                        // other processes, which must not run them again.
                        var hold = emulator.HoldNext("POST", $"channels/{ChannelOf(victim)}/messages");
                        SetClock(monday + afterMonday);
                        await hold.Arrived.WaitAsync(Wait);

                        // Writes acknowledged before the kill: one in a server of shard 3, one in the workspace. They
                        // come after the clock's move, as the restarted process resumes the dead one's session and
                        // Discord replays what it sent since the last saved sequence: the replayed interaction must
                        // still be inside the dedupe window, which the bot measures on its (moved) clock.
                        var add = await emulator.SendCommandAsync(GuildOf(victim), ChannelOf(victim), Alice, "paper", "add", ("ref", "arXiv:1810.04805"), ("title", "BERT"));
                        Assert.Contains("Added #4", await add.ReplyTextAsync(Wait));
                        Assert.Contains("Added #4", SlackJson.Strings(await (await slack.SlashCommandAsync("paper add arXiv:1810.04805")).WaitForResponseAsync(Wait)));

                        loseVictimsAcks = true;
                        var unacked = new List<SlackDelivery>();
                        for (var n = 0; n < 3 * ShardedProcesses.SlackConnections; n++)
                        {
                            unacked.Add(await slack.SlashCommandAsync("paper add " + LateRef(n)));
                        }

                        var onVictim = unacked.Where(d => ClientOf(d.Attempts[0].SocketId) == Victim).ToList();
                        Assert.NotEmpty(onVictim);
                        await Eventually.TrueAsync(() => onVictim.All(d => d.LostAcks.Count > 0), "the doomed process answered its envelopes (acks lost)", Wait);
                        await bots[2].KillAsync();
                        loseVictimsAcks = false;
                        hold.Release();
                        await DiscordEmulator.WaitUntilAsync(() => !emulator.IsShardLive(3), Wait, "shard 3 gone with its process");
                        foreach (var delivery in unacked)
                        {
                            await delivery.WaitForAckAsync(Wait);
                        }

                        Assert.All(onVictim, d => Assert.NotEqual(Victim, ClientOf(d.Acks.Single().SocketId)));
                        Assert.All(unacked, d => Assert.Single(d.Responses.Concat(d.LostAcks.Select(l => l.Payload).OfType<System.Text.Json.Nodes.JsonObject>())));

                        bots[2] = Start(ShardRanges[2]);
                        await DiscordEmulator.WaitUntilAsync(() => emulator.IsShardLive(3), Wait, "shard 3 back");
                        await TagNewSocketsAsync(Victim + "'");
                        // The workspace's posts of the step are made by the live processes meanwhile; once they are
                        // recorded, moving the clock past the lease cannot hand a live claim of theirs to another.
                        await Eventually.TrueAsync(() => Owed(week, kinds, discord: false).All(Done), $"the workspace's {string.Join(", ", kinds)} of {week}", Wait);
                        // The dead process's claim holds for its two-minute lease; past it, the post is taken again.
                        SetClock(monday + afterMonday + TimeSpan.FromMinutes(5));
                        await Eventually.TrueAsync(() => Posted().ContainsKey(DiscordOutbound.NonceOf(ScheduledPostRecord.KeyOf(IdOf(victim), week, "wayr-open"))), "the held post landed", Wait);

                        // Nothing acknowledged was lost: the Discord add, and every Slack add the doomed process answered.
                        var list = await emulator.SendCommandAsync(GuildOf(victim), ChannelOf(victim), Alice, "paper", "list");
                        Assert.Contains("BERT", await list.ReplyTextAsync(Wait));
                        var listed = await (await slack.SlashCommandAsync("paper list")).WaitForResponseAsync(Wait);
                        Assert.Contains($"Library ({4 + unacked.Count} papers", SlackJson.Strings(listed));
                    }
                    else
                    {
                        SetClock(monday + afterMonday);
                    }

                    // Every post of the step exists and is recorded before the clock moves on: a claim still open
                    // when the clock jumps hours ahead would look like a dead process's, past its lease.
                    await Eventually.TrueAsync(() => Owed(week, kinds).All(Done), $"{string.Join(", ", kinds)} of {week} in every group ({Owed(week, kinds).Count(Done)} of {Groups * kinds.Length})", Wait);
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
        Assert.Equal(DiscordGroups * Weeks.Length * 4, expected.Count);
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

        // The workspace's twelve posts exist once each (chat.postMessage has no idempotency key: messages are counted).
        var slackExpected = Weeks.SelectMany(w => Steps.SelectMany(s => s.Kinds).Select(k => ScheduledPostRecord.KeyOf(Workspace, w, k))).ToHashSet();
        var slackPosted = SlackPosted();
        Assert.Equal(Weeks.Length * 4, slackExpected.Count);
        Assert.Empty(slackPosted.Where(c => c.Value != 1).Select(c => $"{c.Key} posted {c.Value} times in Slack"));
        Assert.True(slackExpected.SetEquals(slackPosted.Keys), $"Slack posts: {string.Join(", ", slackPosted.Keys.Order(StringComparer.Ordinal))}");

        // Four sessions identified, one per shard: the restarted process resumes its predecessor's session from the
        // shared store. Never more than the budget across the processes, and so no token reset.
        Assert.InRange(emulator.Identifies, 4, IdentifyBudget);
        Assert.Equal(0, emulator.TokenResets);
    }

    /// <summary>
    /// A command in every server is answered once, by the process that runs its shard (a second answer would be refused
    /// with 40060), and commands in the workspace, spread over all six Slack connections, are each acked and answered once.
    /// </summary>
    private async Task CommandsAreAnsweredOnceAsync()
    {
        var commands = new List<EmulatedInteraction>();
        for (var i = 0; i < DiscordGroups; i++)
        {
            commands.Add(await emulator.SendCommandAsync(GuildOf(i), ChannelOf(i), Alice, "help"));
        }

        var slackCommands = new List<SlackDelivery>();
        for (var n = 0; n < 3 * ShardedProcesses.SlackConnections; n++)
        {
            slackCommands.Add(await slack.SlashCommandAsync("help"));
        }

        foreach (var command in commands)
        {
            Assert.Contains("ReadingBot commands", await command.ReplyTextAsync(Wait));
        }

        foreach (var command in slackCommands)
        {
            Assert.Contains("ReadingBot commands", string.Join(" ", SlackJson.Strings(await command.WaitForResponseAsync(Wait))));
        }

        Assert.All(slackCommands, d =>
        {
            Assert.Single(d.Acks);
            Assert.Single(d.Responses);
        });
        Assert.Equal(["0", "1", Victim], slackCommands.Select(d => ClientOf(d.Acks.Single().SocketId)).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Waits for the just started process's two Slack connections and tags them with its name.</summary>
    private async Task TagNewSocketsAsync(string client)
    {
        await Eventually.TrueAsync(() => slack.OpenSockets.Count(s => s.Client is null) == ShardedProcesses.SlackConnections, $"process {client}'s Slack connections", Wait);
        foreach (var socket in slack.OpenSockets.Where(s => s.Client is null))
        {
            socket.Client = client;
        }
    }

    private string? ClientOf(int socketId) => slack.Sockets.Single(s => s.Id == socketId).Client;

    private static string LateRef(int n) => string.Create(CultureInfo.InvariantCulture, $"arXiv:2402.{n:00000}");

    /// <summary>The scheduled posts due in one step of one week, one per group and kind, and whether each exists on its platform.</summary>
    private List<(string Key, bool Landed)> Owed(WeekKey week, IEnumerable<string> kinds, bool discord = true)
    {
        var discordPosts = Posted();
        var slackPosts = SlackPosted();
        var servers = discord ? Enumerable.Range(0, DiscordGroups).Select(IdOf) : [];
        return
        [
            .. kinds.SelectMany(k => servers.Select(g => ScheduledPostRecord.KeyOf(g, week, k)).Select(key => (key, discordPosts.ContainsKey(DiscordOutbound.NonceOf(key))))
                .Append((ScheduledPostRecord.KeyOf(Workspace, week, k), slackPosts.ContainsKey(ScheduledPostRecord.KeyOf(Workspace, week, k))))),
        ];
    }

    /// <summary>A post that exists and whose claim was completed as posted.</summary>
    private bool Done((string Key, bool Landed) post) => post.Landed && records.Find(post.Key)?.State == ScheduledPostState.Posted;

    /// <summary>The nonces of the Discord servers' scheduled posts due in one step of one week, one per server and kind.</summary>
    private static List<string> Expected(WeekKey week, IEnumerable<string> kinds) =>
        [.. Enumerable.Range(0, DiscordGroups).SelectMany(i => kinds.Select(k => DiscordOutbound.NonceOf(ScheduledPostRecord.KeyOf(IdOf(i), week, k))))];

    /// <summary>The workspace's messages that carry a scheduled post's key in their metadata, counted by key.</summary>
    private Dictionary<string, int> SlackPosted() =>
        slack.MessagesIn(SlackEmulator.GeneralChannel).Select(m => m.Metadata?["event_payload"]?["key"]?.ToString()).OfType<string>()
            .GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Messages that exist in any channel or thread the bot posted to, counted by nonce (a nonce hit makes none).</summary>
    private Dictionary<string, int> Posted()
    {
        var channels = emulator.Recorder.Requests
            .Where(r => r.Method == "POST" && r.Path.StartsWith("channels/", StringComparison.Ordinal) && r.Path.EndsWith("/messages", StringComparison.Ordinal))
            .Select(r => r.Path.Split('/')[1]).Distinct(StringComparer.Ordinal);
        return channels.SelectMany(emulator.MessagesIn).Select(m => m["nonce"]?.ToString()).OfType<string>()
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Each group (the servers, then the workspace with its #general as home channel) picks automatically an hour
    /// before its Monday 09:00 announcement, from three suggestions with 3, 2 and 1 votes.
    /// </summary>
    private void Seed()
    {
        using var db = PostgresDatabase.Open(schema.ConnectionString);
        var groups = new PgGroupStore(db);
        var library = new PgLibraryStore(db);
        var suggestions = new PgSuggestionStore(db);
        for (var g = 0; g < Groups; g++)
        {
            var address = g < DiscordGroups ? new GroupAddress(Platforms.Discord, GuildOf(g)) : new GroupAddress(Platforms.Slack, SlackEmulator.DefaultTeam);
            if (address.Platform == Platforms.Discord)
            {
                emulator.AddGuild(GuildOf(g), $"Readers {g}", ChannelOf(g));
            }

            var group = address.Id;
            groups.Save(new Group
            {
                Id = group,
                Platform = address.Platform,
                Workspace = address.Workspace,
                CreatedAt = Created,
                Settings = new Dictionary<string, string>
                {
                    [SettingCatalogue.Channel.Key] = g < DiscordGroups ? ChannelOf(g) : SlackEmulator.GeneralChannel,
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
                var (entry, _) = library.Add(group, paper, "u1", $"Paper {id}", null, Created);
                suggestions.TryAdd(new Suggestion { Group = group, PaperKey = entry.PaperKey, SuggestedBy = "u1", SuggestedAt = Created, Voters = [.. Enumerable.Range(0, votes).Select(v => $"u{v}")] });
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
