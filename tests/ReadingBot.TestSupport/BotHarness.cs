using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.TestSupport;

/// <summary>What a test changes about the <see cref="BotHarness"/>: settings and the doubles for the outside world.</summary>
public sealed class BotHarnessOptions
{
    /// <summary>Settings over <see cref="BotComposition.Offline"/> (emulator URLs, shortened timings).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>The clock (a fake one, usually); null keeps the composition's system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>The database; null opens one in memory that the harness disposes.</summary>
    public ReadingBotDatabase? Database { get; init; }

    /// <summary>Whether the harness disposes a <see cref="Database"/> it was given.</summary>
    public bool DisposeDatabase { get; init; }

    /// <summary>Registrations before the composition: doubles the composition's TryAdd defaults leave in place.</summary>
    public Action<IServiceCollection>? Before { get; init; }

    /// <summary>Registrations after the composition: the host's own parts (the web) or replacements, which win.</summary>
    public Action<IServiceCollection, IConfiguration>? After { get; init; }

    /// <summary>Endpoints beyond the adapters' (the web page, in Host.Tests).</summary>
    public Action<WebApplication>? Map { get; init; }

    /// <summary>A logger provider beside the harness's <see cref="LogSink"/>.</summary>
    public ILoggerProvider? ExtraLogs { get; init; }
}

/// <summary>
/// The one harness: the bot composed with the host's own list (<see cref="BotComposition.AddBot"/>), doubles only for
/// the outside world, and Kestrel on 127.0.0.1 port 0 serving the adapters' endpoints. Adapter and web harnesses are
/// thin uses of it; <see cref="TestBot"/> uses <see cref="Compose"/> without a server.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    private readonly bool ownsDatabase;

    private BotHarness(WebApplication app, ReadingBotDatabase database, bool ownsDatabase, LogSink logs)
    {
        App = app;
        Database = database;
        this.ownsDatabase = ownsDatabase;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public ReadingBotDatabase Database { get; }

    public LogSink Logs { get; }

    /// <summary>The address the server bound, with a trailing slash.</summary>
    public Uri BaseUri { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// The registrations every harness makes, in order: the clock, <see cref="BotHarnessOptions.Before"/>, the host's
    /// composition over the database, then <see cref="BotHarnessOptions.After"/>. Returns the database used.
    /// </summary>
    public static ReadingBotDatabase Compose(IServiceCollection services, IConfiguration configuration, BotHarnessOptions options)
    {
        if (options.Time is { } time)
        {
            services.AddSingleton(time);
        }

        options.Before?.Invoke(services);
        var database = options.Database ?? ReadingBotDatabase.OpenMemory();
        services.AddBot(configuration, database);
        options.After?.Invoke(services, configuration);
        return database;
    }

    /// <summary>The settings a harness reads: <see cref="BotComposition.Offline"/>, then the test's.</summary>
    public static IConfigurationBuilder AddSettings(IConfigurationBuilder configuration, BotHarnessOptions options) =>
        configuration.AddInMemoryCollection(BotComposition.Offline).AddInMemoryCollection(options.Settings);

    /// <summary>Composes the bot, maps its endpoints and starts it on a free loopback port.</summary>
    public static async Task<BotHarness> StartAsync(BotHarnessOptions? options = null)
    {
        options ??= new BotHarnessOptions();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        AddSettings(builder.Configuration, options);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        if (options.ExtraLogs is not null)
        {
            builder.Logging.AddProvider(options.ExtraLogs);
        }

        var ownsDatabase = options.Database is null || options.DisposeDatabase;
        var database = Compose(builder.Services, builder.Configuration, options);
        var app = builder.Build();
        app.MapBot();
        options.Map?.Invoke(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            if (ownsDatabase)
            {
                database.Dispose();
            }

            throw;
        }

        return new BotHarness(app, database, ownsDatabase, logs);
    }

    /// <summary>Stops the bot (at most 10 s), then closes the database it owns.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await App.StopAsync(stop.Token);
        }
        finally
        {
            await App.DisposeAsync();
            if (ownsDatabase)
            {
                Database.Dispose();
            }
        }
    }
}
