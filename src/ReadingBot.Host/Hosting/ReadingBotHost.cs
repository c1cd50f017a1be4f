using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Ports;
using ReadingBot.Composition;
using ReadingBot.Discord.Gateway;
using ReadingBot.Host.Composition;
using ReadingBot.Host.Local;
using ReadingBot.Host.Web;
using ReadingBot.Slack.Socket;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Hosting;

/// <summary>Reports whether a chat adapter is connected, for <c>/healthz</c>.</summary>
public interface IChatAdapterStatus
{
    string Name { get; }

    bool IsConnected { get; }

    /// <summary>The connections this process runs (Discord's shards), for <c>/healthz</c>; null when the adapter has none to name.</summary>
    object? Shards => null;
}

/// <summary>An adapter's status read from delegates, so adapters need no reference to the host.</summary>
public sealed class ChatAdapterStatus(string name, Func<bool> isConnected, Func<object?>? shards = null) : IChatAdapterStatus
{
    public string Name { get; } = name;

    public bool IsConnected => isConnected();

    public object? Shards => shards?.Invoke();
}

/// <summary>Builds and runs the host: configuration, the database, the adapters and the web endpoints.</summary>
public static class ReadingBotHost
{
    public const int ExitFailed = 1;
    public const int ExitDatabaseUnavailable = 2;
    public const int ExitBadConfiguration = 3;
    public const int ExitCannotListen = 4;

    /// <summary>Runs the bot, or with <c>migrate --to-postgres "…"</c> first, copies its LiteDB data into PostgreSQL (<see cref="MigrateToPostgres"/>).</summary>
    public static Task<int> RunAsync(string[] args) =>
        MigrateToPostgres.IsCommand(args) ? MigrateToPostgres.RunAsync(args, Console.Out, Console.Error) : RunAsync(args, Console.Error);

    /// <summary>Runs the bot until it is stopped; every way it can fail ends in one line on <paramref name="errors"/> and a non-zero code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="errors">Where the one-line reasons for a failed start or stop go (standard error).</param>
    /// <param name="extraServices">Registrations added last; tests use it to make a hosted service fail.</param>
    internal static async Task<int> RunAsync(string[] args, TextWriter errors, Action<IServiceCollection>? extraServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ConfigureSources(builder.Configuration, args);
        builder.Logging.ClearProviders();
        // Logs go to stderr: stdout belongs to the local chat, so piped sessions read only replies. One line an entry,
        // no stack traces: see OneLineConsoleFormatter.
        builder.Logging.AddConsole(o => o.FormatterName = OneLineConsoleFormatter.FormatterName)
            .AddConsoleFormatter<OneLineConsoleFormatter, OneLineConsoleFormatterOptions>();
        // The generic host would report a failed start or a failed hosted service itself, with the exception; this
        // method says each of those once, in one line, so the host's own report is left out.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (LocalChatEnabled(builder.Configuration) && !Console.IsInputRedirected)
        {
            // A person is typing in this terminal: only warnings and errors may interrupt the chat.
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        }

        var dataDirectory = DataDirectory(builder.Configuration);
        OpenedStorage storage;
        try
        {
            storage = OpenedStorage.Open(builder.Configuration, dataDirectory);
        }
        catch (StorageUnavailableException ex)
        {
            await errors.WriteLineAsync("ReadingBot cannot start: " + ex.Message);
            return ex.ExitCode;
        }

        using var _ = storage;
        // Said at every start, so nobody has to guess where the group's data went.
        await errors.WriteLineAsync($"ReadingBot: {storage.Description(dataDirectory)}.");
        TestingClock? testingClock;
        try
        {
            testingClock = TestingClock.FromConfiguration(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            await errors.WriteLineAsync("ReadingBot cannot start: " + ex.Message);
            return ExitBadConfiguration;
        }

        using var __ = testingClock;
        if (testingClock is not null)
        {
            // Registered before the composition's TryAddSingleton(TimeProvider.System), so every component reads it.
            builder.Services.AddSingleton<TimeProvider>(testingClock);
        }

        ConfigureServices(builder, storage, dataDirectory);
        extraServices?.Invoke(builder.Services);

        var web = builder.Configuration.GetSection("Web").Get<WebOptions>() ?? new WebOptions();
        if (web.Enabled)
        {
            builder.WebHost.UseUrls(web.Urls);
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoServer>();
        }

        await using var app = builder.Build();
        MapEndpoints(app);
        if (testingClock is not null)
        {
            app.Logger.LogWarning("{Key} is set: this process's clock follows {File}, now {Now:u}. For tests only, never for a real group", TestingClock.Key, testingClock.FilePath, testingClock.GetUtcNow());
        }

        var exitCode = await StartAsync(app, web, errors);
        if (exitCode != 0)
        {
            // Services that did start (the scheduler, the recommendation pass) stop before the database closes.
            try
            {
                await app.StopAsync();
            }
            catch (Exception ex)
            {
                app.Logger.LogDebug(ex, "Stop after a failed start failed");
            }
        }
        else
        {
            try
            {
                await app.WaitForShutdownAsync();
            }
            catch (Exception ex)
            {
                app.Logger.LogDebug(ex, "Stop failed");
                await errors.WriteLineAsync("ReadingBot stopped with an error: " + OneLineConsoleFormatter.Describe(ex));
                exitCode = ExitFailed;
            }
        }

        // A hosted service that failed stopped the host (BackgroundServiceExceptionBehavior.StopHost), even while it
        // was still starting: that is a failure of the bot, not an ordinary end, so it is said in one line and the
        // exit code is not 0.
        foreach (var service in FailedServices(app))
        {
            var exception = service.ExecuteTask!.Exception!.GetBaseException();
            app.Logger.LogDebug(exception, "{Service} failed", service.GetType().Name);
            await errors.WriteLineAsync($"ReadingBot stopped: {service.GetType().Name} failed ({OneLineConsoleFormatter.Describe(exception)}).");
            exitCode = exitCode == 0 ? ExitFailed : exitCode;
        }

        return exitCode != 0 ? exitCode : Environment.ExitCode;
    }

    private static List<BackgroundService> FailedServices(WebApplication app)
    {
        try
        {
            return app.Services.GetServices<IHostedService>().OfType<BackgroundService>().Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        }
        catch (OptionsValidationException)
        {
            // A bad setting kept the hosted services from being built at all, so none of them ran (or failed).
            return [];
        }
    }

    /// <summary>Starts the host; a failure is said in one line and returned as the exit code (0 when it started).</summary>
    private static async Task<int> StartAsync(WebApplication app, WebOptions web, TextWriter errors)
    {
        try
        {
            await app.StartAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures.Distinct(StringComparer.Ordinal))
            {
                await errors.WriteLineAsync("ReadingBot cannot start: " + failure);
            }

            return ExitBadConfiguration;
        }
        catch (IOException ex) when (ex.InnerException is SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await errors.WriteLineAsync("ReadingBot cannot start: " + SettingProblem.Describe("Web:Urls", $"{web.Urls} is in use", "a free address (port 0 picks one)", "http://127.0.0.1:0")
                + " Or set Web:Enabled to false.");
            return ExitCannotListen;
        }
        catch (Exception) when (FailedServices(app).Count > 0)
        {
            // A service failed while the host was starting and so cancelled the start: RunAsync names that service.
            return ExitFailed;
        }
        catch (Exception ex)
        {
            app.Logger.LogDebug(ex, "Start failed");
            await errors.WriteLineAsync("ReadingBot cannot start: " + OneLineConsoleFormatter.Describe(ex));
            return ExitFailed;
        }
    }

    /// <summary>The data directory as a full path: <c>Data</c> (<c>--data</c>, <c>READINGBOT_DATA</c>), by default <c>data</c> under the working directory.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var configured = configuration["Data"];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured);
    }

    /// <summary>Defaults shipped beside the binary, an optional extra file, user secrets, READINGBOT_* variables, then the command line.</summary>
    public static void ConfigureSources(ConfigurationManager configuration, string[] args)
    {
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: true, reloadOnChange: false);
        var extra = Environment.GetEnvironmentVariable("READINGBOT_CONFIG");
        if (!string.IsNullOrWhiteSpace(extra))
        {
            configuration.AddJsonFile(Path.GetFullPath(extra), optional: false, reloadOnChange: false);
        }

        configuration.AddUserSecrets(typeof(ReadingBotHost).Assembly, optional: true);
        configuration.AddEnvironmentVariables("READINGBOT_");
        configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data"] = "Data" });
    }

    private static void ConfigureServices(WebApplicationBuilder builder, OpenedStorage storage, string dataDirectory)
    {
        var services = builder.Services;
        var adapters = services.AddReadingBot(builder.Configuration, storage);
        services.AddHostServices(builder.Configuration, adapters);
        if (storage.LiteDb is null)
        {
            // The web's link secret is kept beside a LiteDB file; on the shared store it is kept there, so a link made
            // by one process opens on any other, and after a restart.
            services.AddSingleton(sp => WebSecret.Shared(sp.GetRequiredService<IAdapterStateStore>()));
        }

        if (LocalChatEnabled(builder.Configuration))
        {
            services.AddSingleton(LocalTerminal.FromConsole());
            services.AddSingleton(new LocalFiles(dataDirectory));
            services.AddSingleton<IChatOutbound, LocalChatOutbound>();
            services.AddInboundPipeline<LocalChatItem, LocalChatHandler>(_ => new InboundPipelineOptions("Local", Capacity: 1, Workers: 1));
            services.AddHostedService<LocalChatService>();
        }
    }

    /// <summary>
    /// What only the host has around <see cref="ReadingBotComposition.AddReadingBot(IServiceCollection, IConfiguration, OpenedStorage)"/>: the web, the local chat's
    /// options, the timers of the scheduler and of recommendations, and the adapters' <c>/healthz</c> statuses.
    /// </summary>
    internal static IServiceCollection AddHostServices(this IServiceCollection services, IConfiguration configuration, ChatAdapters adapters)
    {
        services.AddWeb(configuration);
        services.AddOptions<LocalChatOptions>().Bind(configuration.GetSection("Local")).ValidateSettings("Local", null, LocalChatOptions.Rules);
        services.AddHostedService<WeeklySchedulerService>();
        if (adapters.Slack)
        {
            // Slack's workers block a pool thread on the synchronous store; on two cores the default minimum left the
            // ack timers waiting, and Slack redelivered after 3 s (SlackMultiProcessTests). Discord's adapter does the same.
            ThreadPoolReserve.Ensure(configuration.GetValue("Slack:Workers", new ReadingBot.Slack.SlackOptions().Workers));
            services.AddSingleton<IChatAdapterStatus>(sp =>
            {
                var state = sp.GetRequiredService<SlackConnectionState>();
                return new ChatAdapterStatus(Platforms.Slack, () => state.IsConnected, () => state.HttpMode ? null : new { open = state.OpenConnections, wanted = state.Wanted });
            });
        }

        if (adapters.Discord)
        {
            services.AddSingleton<IChatAdapterStatus>(sp =>
            {
                var state = sp.GetRequiredService<DiscordConnectionState>();
                return new ChatAdapterStatus(Platforms.Discord, () => state.IsConnected, () => state.Plan is { } plan ? new { runs = plan.ToString(), ready = state.ReadyShards } : null);
            });
        }

        services.AddHostedService<RecommendationBackgroundService>();
        services.AddHostedService<FollowBackgroundService>();
        return services;
    }

    /// <summary>The local chat runs when asked to, or by default when no chat platform has credentials.</summary>
    public static bool LocalChatEnabled(IConfiguration configuration)
    {
        var setting = configuration["Local:Enabled"] ?? "auto";
        if (bool.TryParse(setting, out var explicitValue))
        {
            return explicitValue;
        }

        var platformConfigured = !string.IsNullOrWhiteSpace(configuration["Discord:Token"])
            || !string.IsNullOrWhiteSpace(configuration["Slack:BotToken"]);
        return !platformConfigured;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapReadingBot();
        app.MapWeb();
        app.MapGet("/healthz", (OpenedStorage storage, IEnumerable<IChatAdapterStatus> adapters) =>
        {
            var databaseOpen = storage.IsOpen();
            var statuses = adapters.ToDictionary(a => a.Name, a => a.IsConnected ? "connected" : "disconnected");
            var healthy = databaseOpen && statuses.Values.All(s => s == "connected");
            // Which shards this process runs, so each of several processes can be told apart.
            var shards = adapters.Select(a => (a.Name, a.Shards)).Where(a => a.Shards is not null).ToDictionary(a => a.Name, a => a.Shards);
            return Results.Json(new { status = healthy ? "healthy" : "unhealthy", database = databaseOpen ? "open" : "closed", adapters = statuses, shards },
                statusCode: healthy ? 200 : 503);
        });
    }

    /// <summary>Stands in for Kestrel when <c>Web:Enabled</c> is false.</summary>
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
