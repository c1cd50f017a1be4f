using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Charts;
using ReadingBot.Core;
using ReadingBot.Discord;
using ReadingBot.Papers;
using ReadingBot.Slack;
using ReadingBot.Slack.Http;
using ReadingBot.Core.Settings;
using ReadingBot.Storage.LiteDb;
using ReadingBot.Storage.Postgres;

namespace ReadingBot.Composition;

/// <summary>Which chat adapters the configuration turned on.</summary>
internal sealed record ChatAdapters(bool Slack, bool Discord);

/// <summary>
/// The bot without its host: every project's <c>AddXxx</c> in the order the host calls them, and the adapters'
/// endpoints. This one file is compiled into the host and linked into tests/ReadingBot.TestSupport, so the test
/// harness composes exactly what the host composes without referencing the host; the host adds only what is its own
/// around it (the web, the local chat, its timers and <c>/healthz</c>).
/// </summary>
internal static class ReadingBotComposition
{
    public static ChatAdapters AddReadingBot(this IServiceCollection services, IConfiguration configuration, ReadingBotDatabase database) =>
        services.AddReadingBot(configuration, OpenedStorage.Of(database));

    /// <summary>The bot over the store the configuration chose (<see cref="OpenedStorage.Open"/>).</summary>
    public static ChatAdapters AddReadingBot(this IServiceCollection services, IConfiguration configuration, OpenedStorage storage)
    {
        services.AddReadingBotCore(configuration);
        services.AddCharts();
        services.AddSingleton(storage);
        if (storage.LiteDb is { } liteDb)
        {
            services.AddLiteDbStorage(liteDb);
        }
        else
        {
            services.AddPostgresStorage(storage.Postgres!);
        }

        services.AddPaperSources(configuration);
        var slack = services.AddSlackAdapter(configuration);
        var discord = services.AddDiscord(configuration);
        services.AddArxivPaperFeed(configuration);
        return new ChatAdapters(slack, discord);
    }

    /// <summary>The adapters' inbound endpoints (each maps nothing when its adapter is off).</summary>
    public static IEndpointRouteBuilder MapReadingBot(this IEndpointRouteBuilder app)
    {
        app.MapSlackEndpoints();
        app.MapDiscord();
        return app;
    }
}

/// <summary>The store could not be opened or chosen; the message is the one line to print, the code the exit code.</summary>
internal sealed class StorageUnavailableException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// The store <c>Storage:Provider</c> chose, opened before anything else starts: <c>LiteDb</c> (the default, one file in
/// the data directory, one process) or <c>Postgres</c> (<c>Storage:ConnectionString</c>, <c>Storage:MaxPoolSize</c>;
/// any number of processes). A failure to open is one line naming the setting, exit code 2, as for a damaged file.
/// </summary>
internal sealed class OpenedStorage : IDisposable
{
    public const string ProviderKey = "Storage:Provider";
    public const string MaxPoolSizeKey = "Storage:MaxPoolSize";
    public const int ExitUnavailable = 2;
    public const int ExitBadConfiguration = 3;

    private OpenedStorage(ReadingBotDatabase? liteDb, PostgresDatabase? postgres)
    {
        LiteDb = liteDb;
        Postgres = postgres;
    }

    public ReadingBotDatabase? LiteDb { get; }

    public PostgresDatabase? Postgres { get; }

    /// <summary>Where the data is, for the start-up line; never the connection string.</summary>
    public string Description(string dataDirectory) => LiteDb is not null
        ? $"data in {dataDirectory} (move it with --data <dir> or READINGBOT_DATA)"
        : $"data in PostgreSQL ({ProviderKey}=Postgres; files such as exports in {dataDirectory})";

    /// <summary>Whether the store answers, for <c>/healthz</c>.</summary>
    public bool IsOpen()
    {
        try
        {
            return LiteDb is not null ? LiteDb.ClosedBy() is null : Postgres!.IsReachable();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    public static OpenedStorage Of(ReadingBotDatabase database) => new(database, null);

    /// <summary>Opens the configured store; throws <see cref="StorageUnavailableException"/> with the line to print.</summary>
    public static OpenedStorage Open(IConfiguration configuration, string dataDirectory)
    {
        var provider = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(provider) || string.Equals(provider, "LiteDb", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new(ReadingBotDatabase.OpenFile(dataDirectory), null);
            }
            catch (DatabaseUnavailableException ex)
            {
                throw new StorageUnavailableException(ex.Message, ExitUnavailable, ex);
            }
        }

        if (!string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageUnavailableException(SettingProblem.Describe(ProviderKey, $"'{provider}' is not a store", "LiteDb (one process, the default) or Postgres", "Postgres"), ExitBadConfiguration);
        }

        var poolSetting = configuration[MaxPoolSizeKey];
        var maxPoolSize = 0;
        if (!string.IsNullOrWhiteSpace(poolSetting) && (!int.TryParse(poolSetting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out maxPoolSize) || maxPoolSize is < 1 or > 1000))
        {
            throw new StorageUnavailableException(SettingProblem.Describe(MaxPoolSizeKey, $"'{poolSetting}' is not a pool size", "a number of connections from 1 to 1000", "20"), ExitBadConfiguration);
        }

        try
        {
            return new(null, PostgresDatabase.Open(configuration[PostgresDatabase.ConnectionStringKey], maxPoolSize));
        }
        catch (PostgresUnavailableException ex)
        {
            throw new StorageUnavailableException(ex.Message, ExitUnavailable, ex);
        }
    }

    public void Dispose()
    {
        LiteDb?.Dispose();
        Postgres?.Dispose();
    }
}
