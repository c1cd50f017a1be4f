using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Discord;
using ReadingBot.Discord.Gateway;
using ReadingBot.Host.Composition;
using ReadingBot.Host.Local;
using ReadingBot.Host.Web;
using ReadingBot.Slack.Http;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Hosting;

/// <summary>Reports whether a chat adapter is connected, for <c>/healthz</c>.</summary>
public interface IChatAdapterStatus
{
    string Name { get; }

    bool IsConnected { get; }
}

/// <summary>An adapter's status read from a delegate, so adapters need no reference to the host.</summary>
public sealed class ChatAdapterStatus(string name, Func<bool> isConnected) : IChatAdapterStatus
{
    public string Name { get; } = name;

    public bool IsConnected => isConnected();
}

/// <summary>Builds and runs the host: configuration, the database, the adapters and the web endpoints.</summary>
public static class ReadingBotHost
{
    public const int ExitDatabaseUnavailable = 2;
    public const int ExitBadConfiguration = 3;
    public const int ExitCannotListen = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ConfigureSources(builder.Configuration, args);
        builder.Logging.ClearProviders();
        // Logs go to stderr: stdout belongs to the local chat, so piped sessions read only replies.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (LocalChatEnabled(builder.Configuration) && !Console.IsInputRedirected)
        {
            // A person is typing in this terminal: only warnings and errors may interrupt the chat.
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        }

        var dataDirectory = builder.Configuration["Data"];
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            dataDirectory = "data";
        }

        ReadingBotDatabase database;
        try
        {
            database = ReadingBotDatabase.OpenFile(dataDirectory);
        }
        catch (DatabaseUnavailableException ex)
        {
            await Console.Error.WriteLineAsync("ReadingBot cannot start: " + ex.Message);
            return ExitDatabaseUnavailable;
        }

        using var _ = database;
        ConfigureServices(builder, database);

        var web = builder.Configuration.GetSection("Web").Get<WebOptions>() ?? new WebOptions();
        if (web.Enabled)
        {
            builder.WebHost.UseUrls(web.Urls);
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoServer>();
        }

        var app = builder.Build();
        MapEndpoints(app);

        try
        {
            await app.StartAsync();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync("ReadingBot cannot start: " + failure);
            }

            return ExitBadConfiguration;
        }
        catch (IOException ex) when (ex.InnerException is SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"ReadingBot cannot start: the web address {web.Urls} is in use. Set Web:Urls (READINGBOT_Web__Urls) to a free port, or Web:Enabled to false.");
            return ExitCannotListen;
        }

        await app.WaitForShutdownAsync();
        return Environment.ExitCode;
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

    private static void ConfigureServices(WebApplicationBuilder builder, ReadingBotDatabase database)
    {
        var services = builder.Services;
        services.AddReadingBotCore(builder.Configuration);
        services.AddLiteDbStorage(database);
        services.AddHostedService<WeeklySchedulerService>();
        services.AddPaperSources(builder.Configuration);
        services.AddSlack(builder.Configuration);
        if (services.AddDiscord(builder.Configuration))
        {
            services.AddSingleton<IChatAdapterStatus>(sp => new ChatAdapterStatus(Platforms.Discord, () => sp.GetRequiredService<DiscordConnectionState>().IsConnected));
        }
        services.AddRecommendationBackground(builder.Configuration);

        if (LocalChatEnabled(builder.Configuration))
        {
            services.AddSingleton(LocalTerminal.FromConsole());
            services.AddSingleton(new LocalFiles(Path.GetDirectoryName(database.FilePath!)!));
            services.AddSingleton<IChatOutbound, LocalChatOutbound>();
            services.AddHostedService<LocalChatService>();
        }
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
        app.MapSlackEndpoints();
        app.MapDiscord();
        app.MapWeb();
        app.MapGet("/healthz", (ReadingBotDatabase db, IEnumerable<IChatAdapterStatus> adapters) =>
        {
            bool databaseOpen;
            try
            {
                _ = db.Database.UserVersion;
                databaseOpen = true;
            }
            catch (Exception)
            {
                databaseOpen = false;
            }

            var statuses = adapters.ToDictionary(a => a.Name, a => a.IsConnected ? "connected" : "disconnected");
            var healthy = databaseOpen && statuses.Values.All(s => s == "connected");
            return Results.Json(new { status = healthy ? "healthy" : "unhealthy", database = databaseOpen ? "open" : "closed", adapters = statuses },
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
