using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReadingBot.TestSupport.Discord;

/// <summary>Settings of one emulator run; timings are small in tests so the real code paths run fast.</summary>
public sealed class DiscordEmulatorOptions
{
    public string Token { get; set; } = "emulated-bot-token." + Guid.NewGuid().ToString("N");
    public string ApplicationId { get; set; } = "1200000000000000000";
    public string BotUserId { get; set; } = "1210000000000000000";
    public string BotUserName { get; set; } = "ReadingBot";

    /// <summary>The heartbeat interval sent in Hello (Discord sends about 41 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(41250);

    /// <summary>Delay before Hello on each new connection (a slow or stuck Gateway).</summary>
    public TimeSpan SlowHello { get; set; }

    /// <summary>Privileged intents "enabled in the portal"; asking for others closes with 4014.</summary>
    public int EnabledPrivilegedIntents { get; set; }

    /// <summary>session_start_limit.total and the starting remaining.</summary>
    public int IdentifyBudget { get; set; } = 1000;

    /// <summary>Identifies closer together than this get op 9 (max_concurrency 1 per 5 s on Discord).</summary>
    public TimeSpan IdentifyConcurrencyWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>shards</c> GET /gateway/bot recommends.</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary>session_start_limit.max_concurrency: identify buckets (<c>shard_id % max_concurrency</c>) that may start together.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>An IDENTIFY whose shard would carry more servers than this is closed with 4011 (Discord: 2,500).</summary>
    public int MaxGuildsPerShard { get; set; } = 2500;

    public int GatewaySendLimit { get; set; } = 120;
    public TimeSpan GatewaySendWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection with no heartbeat for this many intervals (plus a grace) is closed with 4009.</summary>
    public double HeartbeatTimeoutIntervals { get; set; } = 2.5;

    public TimeSpan InteractionDeadline { get; set; } = TimeSpan.FromSeconds(3);
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests per second allowed across non-interaction routes (Discord: 50).</summary>
    public int GlobalLimit { get; set; } = 50;

    /// <summary>Default bucket size and window for every route (overridable per route template).</summary>
    public int DefaultBucketLimit { get; set; } = 5;
    public TimeSpan DefaultBucketWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Route templates ("POST channels/{channel}/messages") with their own limit and window.</summary>
    public Dictionary<string, (int Limit, TimeSpan Window)> RouteLimits { get; } = new(StringComparer.Ordinal);

    /// <summary>Shift X-RateLimit-Reset against Reset-After, as a skewed clock would (clients must use Reset-After).</summary>
    public TimeSpan ResetHeaderSkew { get; set; }

    /// <summary>The most bytes of files one request may carry (a request over it gets 413, code 40005).</summary>
    public long UploadLimitBytes { get; set; } = 26_214_400;

    /// <summary>Clock for interaction deadlines, token lifetimes and the nonce window; a fake one lets tests jump 15 minutes.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long a message create with <c>enforce_nonce</c> returns the earlier message of the same author and nonce.
    /// Discord documents "the past few minutes"; five is an assumption, and a resend later than this makes a copy.
    /// </summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A faithful Discord for tests, on Kestrel at 127.0.0.1: the REST API with Discord's validation and rate-limit
/// headers, a Gateway with Hello/heartbeat/identify/resume and close codes, the interaction callback state machine,
/// an interaction generator, fault injection, and a recorder with a compliance check. See PROTOCOLS.md §4.1.
/// </summary>
public sealed partial class DiscordEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Guild> guilds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ChannelState> channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> directChannelOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatedInteraction> interactions = new(StringComparer.Ordinal);
    private long snowflakeCounter;

    private DiscordEmulator(WebApplication app, DiscordEmulatorOptions options)
    {
        this.app = app;
        Options = options;
        identifyRemaining = options.IdentifyBudget;
    }

    public DiscordEmulatorOptions Options { get; }

    public TimeProvider Time => Options.Time;

    public int Port { get; private set; }

    /// <summary>The REST base for the bot's Discord:ApiBaseUrl.</summary>
    public string ApiBaseUrl => $"http://127.0.0.1:{Port}/api/v10";

    public string GatewayUrl => $"ws://127.0.0.1:{Port}/gateway";

    /// <summary>A different path than <see cref="GatewayUrl"/>, to prove clients resume where READY told them.</summary>
    public string ResumeUrl => $"ws://127.0.0.1:{Port}/resume";

    public string Token => Options.Token;

    public EmulatorRecorder Recorder { get; } = new();

    public static async Task<DiscordEmulator> StartAsync(Action<DiscordEmulatorOptions>? configure = null)
    {
        var options = new DiscordEmulatorOptions();
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new DiscordEmulator(app, options);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(emulator.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Port = new Uri(address).Port;
        return emulator;
    }

    private Task HandleAsync(Microsoft.AspNetCore.Http.HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (http.WebSockets.IsWebSocketRequest)
        {
            return GatewayAsync(http, path.TrimEnd('/'));
        }

        return ServeOrRestAsync(http);
    }

    private async Task ServeOrRestAsync(Microsoft.AspNetCore.Http.HttpContext http)
    {
        if (!await TryServeAttachmentAsync(http))
        {
            await RestAsync(http);
        }
    }

    /// <summary>Adds a server with text channels (requests to unknown channels get 10003).</summary>
    public void AddGuild(string guildId, string name, params string[] channelIds)
    {
        var guild = guilds.GetOrAdd(guildId, id => new Guild(id, name));
        foreach (var channel in channelIds)
        {
            guild.Channels.Add(channel);
            channels[channel] = new ChannelState(channel, guildId, 0, null);
        }
    }

    public IReadOnlyList<string> Guilds => [.. guilds.Keys];

    /// <summary>Users who closed their DMs to the bot: messages into their DM channel get 403 with code 50007.</summary>
    public ConcurrentDictionary<string, bool> ClosedDirectMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages the bot sent a user in their DM channel, oldest first.</summary>
    public IReadOnlyList<JsonObject> DirectMessagesTo(string userId) =>
        directChannelOf.TryGetValue(userId, out var id) ? MessagesIn(id) : [];

    /// <summary>Messages stored in a channel or thread, oldest first.</summary>
    public IReadOnlyList<JsonObject> MessagesIn(string channelId) =>
        channels.TryGetValue(channelId, out var c) ? c.Snapshot() : [];

    /// <summary>The thread channel started on a message, if any.</summary>
    public bool IsThread(string channelId) => channels.TryGetValue(channelId, out var c) && c.Type is 11 or 12;

    /// <summary>The commands registered globally (guildId null) or in a guild.</summary>
    public JsonArray? Commands(string? guildId = null) =>
        registeredCommands.TryGetValue(guildId ?? "", out var list) ? list.DeepClone().AsArray() : null;

    public EmulatedInteraction? Interaction(string id) => interactions.TryGetValue(id, out var i) ? i : null;

    internal string NextSnowflake()
    {
        var ms = Time.GetUtcNow().ToUnixTimeMilliseconds() - 1420070400000L;
        var n = Interlocked.Increment(ref snowflakeCounter);
        return ((ms << 22) | (n & 0x3FFFFF)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections.Values)
        {
            connection.Socket.Abort();
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal sealed record Guild(string Id, string Name)
    {
        public ConcurrentBag<string> Channels { get; } = [];
    }

    internal sealed class ChannelState(string id, string guildId, int type, string? parentId)
    {
        private readonly List<JsonObject> messages = [];

        public string Id { get; } = id;
        public string GuildId { get; } = guildId;
        public int Type { get; } = type;
        public string? ParentId { get; } = parentId;

        public void Add(JsonObject message)
        {
            lock (messages)
            {
                messages.Add(message);
            }
        }

        public JsonObject? Find(string id)
        {
            lock (messages)
            {
                return messages.FirstOrDefault(m => m["id"]?.GetValue<string>() == id);
            }
        }

        public bool Remove(string id)
        {
            lock (messages)
            {
                return messages.RemoveAll(m => m["id"]?.GetValue<string>() == id) > 0;
            }
        }

        public List<JsonObject> Snapshot()
        {
            lock (messages)
            {
                return [.. messages.Select(m => m.DeepClone().AsObject())];
            }
        }
    }
}

/// <summary>A member as the emulator sends them in interactions and messages.</summary>
public sealed record EmulatedUser(string Id, string UserName, string? Nick = null, string? GlobalName = null, string Permissions = "0", IReadOnlyList<string>? Roles = null, bool Bot = false)
{
    /// <summary>A member with Manage Server.</summary>
    public static EmulatedUser Moderator(string id, string name) => new(id, name, Permissions: (1UL << 5).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public JsonObject UserJson() => new() { ["id"] = Id, ["username"] = UserName, ["global_name"] = GlobalName, ["discriminator"] = "0", ["avatar"] = null, ["bot"] = Bot };

    public JsonObject MemberJson(bool withUser = true)
    {
        var member = new JsonObject
        {
            ["nick"] = Nick,
            ["roles"] = new JsonArray([.. (Roles ?? []).Select(r => (JsonNode)JsonValue.Create(r)!)]),
            ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
            ["deaf"] = false,
            ["mute"] = false,
            ["flags"] = 0,
            ["permissions"] = Permissions,
        };
        if (withUser)
        {
            member["user"] = UserJson();
        }

        return member;
    }
}
