using ReadingBot.TestSupport;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Discord;
using ReadingBot.Discord.Gateway;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Discord.Tests;

/// <summary>
/// The bot on the one <see cref="BotHarness"/> (the host's composition, LiteDB in memory, the interactions endpoint on
/// Kestrel at 127.0.0.1) with the Discord adapter talking to the emulator over real HTTP and WebSockets.
/// </summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    public const string GuildA = "1100000000000000001";
    public const string GuildB = "1100000000000000002";
    public const string ChannelA = "1110000000000000001";
    public const string ChannelB = "1110000000000000002";

    public static readonly EmulatedUser Alice = new("1000000000000000001", "alice", Nick: "Alice N.");
    public static readonly EmulatedUser Bob = new("1000000000000000002", "bob", GlobalName: "Bob G.");
    public static readonly EmulatedUser Mod = EmulatedUser.Moderator("1000000000000000003", "mod");

    private readonly BotHarness harness;
    private readonly bool ownsEmulator;

    private DiscordHarness(DiscordEmulator emulator, BotHarness harness, bool ownsEmulator)
    {
        Emulator = emulator;
        this.harness = harness;
        this.ownsEmulator = ownsEmulator;
    }

    public DiscordEmulator Emulator { get; }
    public WebApplication App => harness.App;
    public ReadingBotDatabase Database => harness.Database;
    public LogSink Logs => harness.Logs;
    public IServiceProvider Services => harness.Services;
    public DiscordConnectionState State => Services.GetRequiredService<DiscordConnectionState>();
    public Uri InteractionsEndpoint { get; private set; } = null!;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>One pass of a scheduler on <paramref name="time"/> over the bot's stores and jobs (a new scheduler each time, as a restarted process makes).</summary>
    public Task<int> RunSchedulerAsync(TimeProvider time) => new Core.Weeks.WeeklyScheduler(
        Services.GetServices<Core.Weeks.IScheduledJob>(), Get<Core.Groups.IGroupStore>(), Get<Core.Weeks.IScheduledPostStore>(), Get<Core.Ports.OutboundMessenger>(),
        new Core.Weeks.SchedulerOptions(), time, Get<Microsoft.Extensions.Logging.ILogger<Core.Weeks.WeeklyScheduler>>(), Services.GetServices<Core.Ports.IGroupOwnership>()).RunDueAsync(CancellationToken.None);

    /// <summary>A slash command in server A's channel, and the text of its reply.</summary>
    public async Task<string> CommandAsync(EmulatedUser user, string name, string? subcommand, params (string Name, object Value)[] options) =>
        await (await Emulator.SendCommandAsync(GuildA, ChannelA, user, name, subcommand, options)).ReplyTextAsync(TimeSpan.FromSeconds(30));

    public static async Task<DiscordHarness> StartAsync(
        Action<DiscordEmulatorOptions>? emulatorOptions = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool waitForSession = true,
        Func<DiscordEmulator, ReadingBotDatabase, Task>? prepare = null,
        DiscordEmulator? existing = null,
        ReadingBotDatabase? database = null)
    {
        // A restart: a new bot on the same Discord (and the same data), which the first bot's disposal leaves running.
        var emulator = existing ?? await DiscordEmulator.StartAsync(o =>
        {
            // Short enough to exercise heartbeats in every test, long enough that a loaded 2-core machine keeps up.
            o.HeartbeatInterval = TimeSpan.FromSeconds(1);
            o.IdentifyConcurrencyWindow = TimeSpan.Zero;
            o.EnabledPrivilegedIntents = 1 << 15;
            emulatorOptions?.Invoke(o);
        });
        if (existing is null)
        {
            emulator.AddGuild(GuildA, "Alpha readers", ChannelA);
            emulator.AddGuild(GuildB, "Beta readers", ChannelB);
        }

        var config = Settings(emulator);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        database ??= ReadingBotDatabase.OpenMemory();
        if (prepare is not null)
        {
            await prepare(emulator, database);
        }

        var bot = await BotHarness.StartAsync(new BotHarnessOptions
        {
            Settings = config,
            Database = database,
            DisposeDatabase = true,
            After = (s, _) => services?.Invoke(s),
        });
        var harness = new DiscordHarness(emulator, bot, existing is null);
        harness.InteractionsEndpoint = new Uri(bot.BaseUri, config.TryGetValue("Discord:InteractionsPath", out var p) && p is not null ? p : "/discord/interactions");
        if (waitForSession && !string.Equals(config.GetValueOrDefault("Discord:Mode"), "Http", StringComparison.OrdinalIgnoreCase))
        {
            await emulator.WaitForSessionAsync(TimeSpan.FromSeconds(30));
            await DiscordEmulator.WaitUntilAsync(() => emulator.Commands() is not null || emulator.Commands(config.GetValueOrDefault("Discord:DevGuildId")) is not null, TimeSpan.FromSeconds(30), "command registration");
        }

        return harness;
    }

    /// <summary>The bot's settings for <paramref name="emulator"/>, with timings short enough for tests.</summary>
    public static Dictionary<string, string?> Settings(DiscordEmulator emulator) => new()
    {
        ["Discord:Token"] = emulator.Token,
        ["Discord:ApplicationId"] = emulator.Options.ApplicationId,
        ["Discord:ApiBaseUrl"] = emulator.ApiBaseUrl,
        ["Discord:ReconnectMinSeconds"] = "0.05",
        ["Discord:ReconnectMaxSeconds"] = "0.5",
        ["Discord:IdentifySpacingSeconds"] = "0",
        ["Discord:InvalidSessionMinSeconds"] = "0.02",
        ["Discord:InvalidSessionMaxSeconds"] = "0.1",
        ["Discord:ConnectTimeoutSeconds"] = "10",
        ["Library:FetchTimeoutSeconds"] = "5",
    };

    /// <summary>Stops the bot and leaves its Discord running, for a restart (a new bot on the same emulator).</summary>
    public ValueTask StopBotAsync() => harness.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await harness.DisposeAsync();
        }
        finally
        {
            if (ownsEmulator)
            {
                await Emulator.DisposeAsync();
            }
        }
    }
}

