using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Socket;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.TestSupport.Slack;

/// <summary>
/// The bot on the one <see cref="BotHarness"/> (the host's composition, Kestrel at 127.0.0.1:0), pointed at a
/// <see cref="SlackEmulator"/>, with a scripted metadata source. Timings are shortened so reconnects happen in milliseconds.
/// </summary>
public sealed class SlackTestBot : IAsyncDisposable
{
    private readonly BotHarness harness;

    private SlackTestBot(BotHarness harness, ScriptedMetadataSource metadata)
    {
        this.harness = harness;
        Metadata = metadata;
    }

    public IServiceProvider Services => harness.Services;
    public ReadingBotDatabase Database => harness.Database;
    public LogSink Logs => harness.Logs;
    public ScriptedMetadataSource Metadata { get; }
    public Uri BaseUri => harness.BaseUri;
    public SlackConnectionState State => Services.GetRequiredService<SlackConnectionState>();
    public SlackInboundProcessor Processor => Services.GetRequiredService<SlackInboundProcessor>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static Dictionary<string, string?> FastSettings(SlackEmulator emulator, string mode = "Socket") => new()
    {
        ["Slack:BotToken"] = emulator.Team().BotToken,
        ["Slack:AppToken"] = emulator.AppToken,
        ["Slack:SigningSecret"] = emulator.SigningSecret,
        ["Slack:ApiBaseUrl"] = emulator.ApiBaseUrl,
        ["Slack:Mode"] = mode,
        ["Slack:KeepAliveSeconds"] = "1",
        ["Slack:KeepAliveTimeoutSeconds"] = "2",
        ["Slack:ReconnectMinSeconds"] = "0.05",
        ["Slack:ReconnectMaxSeconds"] = "0.5",
        ["Slack:HelloTimeoutSeconds"] = "10",
        ["Slack:RefreshGraceSeconds"] = "10",
        ["Slack:TooManyWebSocketsBackoffSeconds"] = "2",
        ["Slack:Workers"] = "2",
        // One socket, so tests that script a single connection's life see exactly that one; tests of several set it.
        ["Slack:SocketConnections"] = "1",
        ["Web:Enabled"] = "true",
    };

    public static async Task<SlackTestBot> StartAsync(SlackEmulator emulator, Action<Dictionary<string, string?>>? configure = null, ReadingBotDatabase? database = null, string mode = "Socket", ILoggerProvider? extraLogs = null, Action<IServiceCollection>? services = null)
    {
        var settings = FastSettings(emulator, mode);
        configure?.Invoke(settings);
        var metadata = new ScriptedMetadataSource();
        var harness = await BotHarness.StartAsync(new BotHarnessOptions
        {
            Settings = settings,
            Database = database,
            ExtraLogs = extraLogs,
            Before = s => s.AddSingleton<IPaperMetadataSource>(metadata),
            After = (s, _) => services?.Invoke(s),
        });
        return new SlackTestBot(harness, metadata);
    }

    /// <summary>Waits until the processor has handled <paramref name="count"/> deliveries.</summary>
    public async Task WaitForProcessedAsync(long count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Processor.Processed < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"processed {Processor.Processed} of {count} deliveries");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A fresh emulator and a bot connected to it over Socket Mode: the fixture most Slack tests share.</summary>
    public static async Task<(SlackEmulator Emulator, SlackTestBot Bot)> StartConnectedAsync()
    {
        var emulator = await SlackEmulator.StartAsync();
        var bot = await StartAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();
        return (emulator, bot);
    }

    /// <summary>Stops the bot, then its emulator.</summary>
    public static async Task StopConnectedAsync(SlackTestBot bot, SlackEmulator emulator)
    {
        await bot.DisposeAsync();
        await emulator.DisposeAsync();
    }

    public ValueTask DisposeAsync() => harness.DisposeAsync();
}


/// <summary>Polling with generous limits: the machine is shared with other builds.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + because);
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>A metadata source answering from a dictionary, optionally slowly (to push a command past the inline budget).</summary>
public sealed class ScriptedMetadataSource : IPaperMetadataSource
{
    public ConcurrentDictionary<string, MetadataResult> Answers { get; } = new(StringComparer.Ordinal);

    public TimeSpan Delay { get; set; }

    /// <summary>When set, every fetch waits until the test completes it: holds a worker busy for as long as a test needs.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public async Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Answers.TryGetValue(reference.Key, out var answer) ? answer : new MetadataResult.Unavailable("offline in this test");
    }
}
