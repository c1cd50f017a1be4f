using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Settings;
using ReadingBot.Storage.Contract;
using ReadingBot.Storage.Postgres;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Host.Tests;

/// <summary>
/// Three real bot processes on one PostgreSQL, each running some of the four shards the Discord emulator recommends:
/// every command is answered by one process, every scheduled post is made once, and a process killed with
/// <c>kill -9</c> and restarted loses no acknowledged write and posts nothing again.
/// </summary>
public sealed class ExactlyOnceProcessTests : IAsyncLifetime
{
    private const int Groups = 48;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private static readonly EmulatedUser Alice = new("1000000000000000001", "alice");
    private static readonly string[] ShardRanges = ["0-1", "2", "3"];

    private readonly TestSchema schema = TestServer.CreateSchema();
    private DiscordEmulator emulator = null!;
    private ShardedProcesses processes = null!;

    public async Task InitializeAsync()
    {
        emulator = await DiscordEmulator.StartAsync(o => (o.RecommendedShards, o.HeartbeatInterval, o.IdentifyConcurrencyWindow) = (4, TimeSpan.FromSeconds(1), TimeSpan.Zero));
        processes = new ShardedProcesses(emulator, schema, "readingbot-claims-");
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        schema.Dispose();
        processes.DeleteDataDirectories();
    }

    // Guild ids whose (id >> 22) % 4 runs over every shard; each server has one channel, its home channel.
    private static string GuildOf(int i) => (((1000UL + (ulong)i) << 22) | 1).ToString(CultureInfo.InvariantCulture);

    private static string ChannelOf(int i) => (1300000000000000000UL + (ulong)i).ToString(CultureInfo.InvariantCulture);

    private static int ShardOf(int i) => (1000 + i) % 4;

    /// <summary>A server on shard 3 whose id sorts after all the others.</summary>
    private const int Late = 1003;

    /// <summary>A server and its group, two weeks old, with its announcement 30 minutes before <paramref name="now"/>: a catch-up pass owes it.</summary>
    private void Seed(int i, DateTimeOffset now)
    {
        var announce = now.AddMinutes(-30);
        emulator.AddGuild(GuildOf(i), $"Readers {i}", ChannelOf(i));
        using var db = PostgresDatabase.Open(schema.ConnectionString);
        new PgGroupStore(db).Save(new Group
        {
            Id = new GroupAddress(Platforms.Discord, GuildOf(i)).Id,
            Platform = Platforms.Discord,
            Workspace = GuildOf(i),
            CreatedAt = now.AddDays(-14),
            Settings = new Dictionary<string, string>
            {
                [SettingCatalogue.Channel.Key] = ChannelOf(i),
                [SettingCatalogue.TimeZone.Key] = "Etc/UTC",
                ["announce"] = $"{announce.DayOfWeek.ToString().ToLowerInvariant()} {announce:HH:mm}",
            },
        });
    }

    [Fact]
    public async Task Three_processes_answer_each_command_once_post_each_schedule_once_and_survive_a_kill_9()
    {
        // Every group existed for two weeks and was announced 30 minutes ago: each process's catch-up pass owes it.
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Groups; i++)
        {
            Seed(i, now);
        }

        var bots = ShardRanges.Select(Start).ToArray();
        try
        {
            await DiscordEmulator.WaitUntilAsync(() => Enumerable.Range(0, 4).All(emulator.IsShardLive), Wait, "all four shards live across three processes");
            await DiscordEmulator.WaitUntilAsync(() => Enumerable.Range(0, Groups).All(i => AnnouncementsIn(i) >= 1), Wait, "every group's announcement");
            // Commands in every server: each answered, and by one process (a second answer is refused with 40060).
            var commands = new List<EmulatedInteraction>();
            for (var i = 0; i < Groups; i++)
            {
                commands.Add(await emulator.SendCommandAsync(GuildOf(i), ChannelOf(i), Alice, "help"));
            }

            foreach (var command in commands)
            {
                Assert.Contains("ReadingBot commands", await command.ReplyTextAsync(Wait));
            }

            // An acknowledged write in a server of the process about to be killed (shard 3 runs only there).
            var victim = Enumerable.Range(0, Groups).First(i => ShardOf(i) == 3);
            var add = await emulator.SendCommandAsync(GuildOf(victim), ChannelOf(victim), Alice, "paper", "add", ("ref", "arXiv:1706.03762"), ("title", "Attention Is All You Need"));
            Assert.Contains("Added #1", await add.ReplyTextAsync(Wait));

            await bots[2].KillAsync();
            await DiscordEmulator.WaitUntilAsync(() => !emulator.IsShardLive(3), Wait, "shard 3 gone with its process");

            // A server of shard 3 whose announcement falls due while its process is down; it sorts after every other
            // group, so once it is announced the restarted process has made a whole pass over its servers.
            Seed(Late, now);
            bots[2] = Start(ShardRanges[2]);
            await DiscordEmulator.WaitUntilAsync(() => AnnouncementsIn(Late) >= 1, Wait, "the restarted process catching up the late server");

            var list = await emulator.SendCommandAsync(GuildOf(victim), ChannelOf(victim), Alice, "paper", "list");
            Assert.Contains("Attention Is All You Need", await list.ReplyTextAsync(Wait));
        }
        finally
        {
            foreach (var bot in bots)
            {
                await bot.DisposeAsync();
            }
        }

        Assert.All(Enumerable.Range(0, Groups).Append(Late), i => Assert.Equal(1, AnnouncementsIn(i)));
        var posts = emulator.Recorder.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal) && r.Message?["nonce"] is not null).ToList();
        Assert.Equal(posts.Count, posts.Select(r => r.Message!["nonce"]!.ToString()).Distinct().Count());
        Assert.Equal(0, emulator.Recorder.NonceHits);
        Assert.DoesNotContain(emulator.Recorder.Requests, r => r.Code == 40060);
    }

    /// <summary>POSTs of this group's announcement of the current week (its nonce comes from its key); the emulator's nonce dedupe would hide a second copy, so requests are counted.</summary>
    private int AnnouncementsIn(int i) => emulator.Recorder.Requests.Count(r =>
        r.Method == "POST" && r.Path == $"channels/{ChannelOf(i)}/messages" && r.Status == 200 && r.Message?["content"] is not null
        && r.Message["content"]!.ToString().StartsWith("No paper has been picked", StringComparison.Ordinal));

    private LiveBot Start(string shardIds) => processes.Start(shardIds);
}
