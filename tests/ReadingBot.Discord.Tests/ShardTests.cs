using System.Globalization;
using ReadingBot.Discord.Gateway;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>Gateway shards against the emulator: one connection per shard, servers routed by (guild_id &gt;&gt; 22) % count.</summary>
public sealed class ShardTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // GuildA and GuildB are on shard 1 of 2 (and 3 of 4); this one is on shard 0 of any count.
    private static readonly string GuildZero = ((1000UL << 22) | 1).ToString(CultureInfo.InvariantCulture);
    private const string ChannelZero = "1110000000000000009";

    private static Task<DiscordHarness> StartSharded(Dictionary<string, string?> settings, Action<DiscordEmulatorOptions>? emulator = null) =>
        StartAsync(emulator, settings, prepare: (e, _) =>
        {
            e.AddGuild(GuildZero, "Zero readers", ChannelZero);
            return Task.CompletedTask;
        });

    [Fact]
    public async Task Two_shards_in_one_process_each_carry_their_own_servers_commands_and_reply()
    {
        await using var bot = await StartSharded(new() { ["Discord:ShardCount"] = "2" });
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.IsShardLive(0) && bot.Emulator.IsShardLive(1) && bot.State.IsConnected, Wait, "both shards ready");

        var onZero = await bot.Emulator.SendCommandAsync(GuildZero, ChannelZero, Alice, "help");
        var onOne = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");

        Assert.Contains("ReadingBot commands", await onZero.ReplyTextAsync(Wait));
        Assert.Contains("ReadingBot commands", await onOne.ReplyTextAsync(Wait));
        Assert.Equal([(0, 2), (1, 2)], bot.Emulator.IdentifiedShards.Order());
        Assert.Equal([0, 1], bot.State.ReadyShards);
        var carriedOn = bot.Emulator.Recorder.Frames.Where(f => !f.FromClient && f.Type == "INTERACTION_CREATE").Select(f => f.Connection).ToList();
        Assert.Equal(2, carriedOn.Distinct().Count());
    }

    [Fact]
    public async Task A_process_with_some_shard_ids_runs_only_those_and_ignores_servers_of_other_shards()
    {
        await using var bot = await StartSharded(new() { ["Discord:ShardCount"] = "2", ["Discord:ShardIds"] = "0" });

        // A Discord that got the routing wrong: shard 1's server arrives on shard 0's connection.
        var misrouted = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help");
        await bot.Emulator.DispatchOnShardAsync(0, "INTERACTION_CREATE", misrouted.Payload.DeepClone().AsObject());
        var own = await bot.Emulator.SendCommandAsync(GuildZero, ChannelZero, Alice, "help");

        Assert.Contains("ReadingBot commands", await own.ReplyTextAsync(Wait));
        Assert.Equal([(0, 2)], bot.Emulator.IdentifiedShards);
        Assert.Null(misrouted.CallbackType);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("Ignored a INTERACTION_CREATE for a server of another shard than 0/2", StringComparison.Ordinal));
        Assert.Equal("0 of 2", bot.State.Plan?.ToString());
    }

    [Fact]
    public async Task In_http_mode_a_process_with_some_shards_answers_its_servers_and_leaves_others_unclaimed()
    {
        using var signer = new InteractionSigner();
        using var http = new HttpClient();
        await using var bot = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:Mode"] = "Http", ["Discord:PublicKey"] = signer.PublicKeyHex, ["Discord:ShardCount"] = "2", ["Discord:ShardIds"] = "0" },
            waitForSession: false,
            prepare: (e, _) =>
            {
                e.AddGuild(GuildZero, "Zero readers", ChannelZero);
                return Task.CompletedTask;
            });
        await DiscordEmulator.WaitUntilAsync(() => bot.State.IsConnected, Wait, "Http mode ready");

        var other = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help");
        using var refused = await signer.SendAsync(http, bot.InteractionsEndpoint, other.Payload, DateTimeOffset.UtcNow);
        using var again = await signer.SendAsync(http, bot.InteractionsEndpoint, other.Payload, DateTimeOffset.UtcNow);
        using var answered = await signer.SendAsync(http, bot.InteractionsEndpoint, bot.Emulator.NewCommand(GuildZero, ChannelZero, Alice, "help").Payload, DateTimeOffset.UtcNow);

        // Left unclaimed: the same interaction is refused the same way again, never as a replay.
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("ReadingBot commands", await answered.Content.ReadAsStringAsync());
        Assert.Equal("0 of 2", bot.State.Plan?.ToString());
    }

    [Fact]
    public async Task Auto_runs_the_shard_count_discord_recommends()
    {
        await using var bot = await StartSharded(new() { ["Discord:ShardCount"] = "auto" }, e => (e.RecommendedShards, e.MaxConcurrency) = (3, 3));
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.IdentifiedShards.Count == 3 && bot.State.IsConnected, Wait, "three shards ready");

        Assert.Equal([(0, 3), (1, 3), (2, 3)], bot.Emulator.IdentifiedShards.Order());
        Assert.Equal("0-2 of 3", bot.State.Plan?.ToString());
    }

    [Fact]
    public async Task Shard_ids_past_the_recommended_count_stop_the_adapter_with_one_line_naming_the_key()
    {
        await using var bot = await StartAsync(e => e.RecommendedShards = 2, new Dictionary<string, string?> { ["Discord:ShardCount"] = "auto", ["Discord:ShardIds"] = "0-3" }, waitForSession: false);

        await DiscordEmulator.WaitUntilAsync(() => bot.State.StopReason is not null, Wait, "the adapter to stop");

        Assert.StartsWith("Discord:ShardIds names shard 3, but there are only 2 shards", bot.State.StopReason);
        Assert.Equal(0, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task Close_4011_says_to_raise_the_shard_count_or_use_auto()
    {
        await using var bot = await StartAsync(e => e.MaxGuildsPerShard = 1, waitForSession: false);

        await DiscordEmulator.WaitUntilAsync(() => bot.State.StopReason is not null, Wait, "the adapter to stop");

        Assert.Equal([4011], bot.Emulator.ServerCloseCodes);
        Assert.Equal("Discord says the bot needs sharding (close 4011): a connection carries too many servers. Raise Discord:ShardCount, or set it to auto.", bot.State.StopReason);
        Assert.Single(bot.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("Raise Discord:ShardCount, or set it to auto", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_shard_is_closed_with_4010_and_the_line_names_the_settings()
    {
        await using var emulator = await DiscordEmulator.StartAsync();
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri(emulator.GatewayUrl + "/?v=10&encoding=json"), CancellationToken.None);
        var identify = new System.Text.Json.Nodes.JsonObject
        {
            ["op"] = 2,
            ["d"] = new System.Text.Json.Nodes.JsonObject { ["token"] = emulator.Token, ["intents"] = 513, ["shard"] = new System.Text.Json.Nodes.JsonArray(2, 2), ["properties"] = new System.Text.Json.Nodes.JsonObject { ["os"] = "linux", ["browser"] = "x", ["device"] = "x" } },
        };
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(identify.ToJsonString()), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != System.Net.WebSockets.WebSocketMessageType.Close)
        {
        }

        Assert.Equal(4010, (int?)socket.CloseStatus);
        Assert.Contains("Discord:ShardIds", GatewayPolicy.StopReason(4010));
    }

    [Fact]
    public async Task Two_processes_on_one_store_split_the_shards_answer_each_command_once_and_share_the_identify_cap()
    {
        await using var emulator = await DiscordEmulator.StartAsync(o => (o.HeartbeatInterval, o.IdentifyConcurrencyWindow) = (TimeSpan.FromSeconds(1), TimeSpan.Zero));
        emulator.AddGuild(GuildZero, "Zero readers", ChannelZero);
        emulator.AddGuild(GuildA, "Alpha readers", ChannelA);
        using var database = ReadingBotDatabase.OpenMemory();
        await using var first = await Process(emulator, database, "0");
        await using var second = await Process(emulator, database, "1");
        await DiscordEmulator.WaitUntilAsync(() => emulator.IsShardLive(0) && emulator.IsShardLive(1), Wait, "both processes' shards ready");

        var onZero = await emulator.SendCommandAsync(GuildZero, ChannelZero, Alice, "help");
        var onOne = await emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");
        // A reply that is not the help says why in the failure: the processes' error lines, with their exceptions.
        foreach (var reply in new[] { await onZero.ReplyTextAsync(Wait), await onOne.ReplyTextAsync(Wait) })
        {
            Assert.True(reply.Contains("ReadingBot commands", StringComparison.Ordinal),
                reply + "\n" + string.Join("\n", first.Logs.Lines.Concat(second.Logs.Lines).Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))));
        }

        Assert.Empty(onZero.Errors);
        Assert.Empty(onOne.Errors);

        // Four identifies a day between both processes: two are spent at start, two after the first invalidation,
        // and after the second neither process may identify again.
        for (var i = 0; i < 2; i++)
        {
            await DiscordEmulator.WaitUntilAsync(() => emulator.IsShardLive(0) && emulator.IsShardLive(1), Wait, "both shards live");
            await emulator.InvalidateSessionAsync(resumable: false);
        }

        await DiscordEmulator.WaitUntilAsync(() => first.Logs.Lines.Concat(second.Logs.Lines).Any(l => l.Contains("identify budget is spent", StringComparison.Ordinal)), Wait, "the budget log line");
        Assert.Equal(4, first.Get<IdentifyLedger>().Recent().Count);
        Assert.Equal(4, emulator.Identifies);
        Assert.False(emulator.IsShardLive(0) || emulator.IsShardLive(1));
    }

    private static Task<BotHarness> Process(DiscordEmulator emulator, ReadingBotDatabase database, string shardIds)
    {
        var settings = Settings(emulator);
        settings["Discord:IdentifyDailyCap"] = "4";
        settings["Discord:ShardCount"] = "2";
        settings["Discord:ShardIds"] = shardIds;
        return BotHarness.StartAsync(new BotHarnessOptions { Database = database, Settings = settings });
    }
}
