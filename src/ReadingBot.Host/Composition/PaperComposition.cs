using ReadingBot.Core.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Papers;

namespace ReadingBot.Host.Composition;

/// <summary>Paper intake: the Core features (search, roadmap, exports) and the network sources that feed them.</summary>
public static class PaperComposition
{
    /// <summary>Search, roadmap, exports and the pending-paper refresher; offline until <see cref="AddPaperSources"/> adds the network.</summary>
    public static IServiceCollection AddPaperIntake(this IServiceCollection services, IConfiguration? configuration = null)
    {
        configuration ??= new ConfigurationBuilder().Build();
        services.AddSingleton<PaperSearchIndex>();
        services.AddSingleton<LibrarySearch>();
        services.TryAddSingleton<IDocumentFetcher, OfflineDocumentFetcher>();
        services.AddOptions<RoadmapOptions>().Bind(configuration.GetSection("Roadmap")).ValidateSettings("Roadmap", new RoadmapOptionsAnnotations());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RoadmapOptions>>().Value);
        services.AddSingleton<RoadmapService>();
        services.AddOptions<LibraryImportOptions>().Bind(configuration.GetSection("Library:Import")).ValidateSettings("Library:Import", new LibraryImportOptionsAnnotations());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<LibraryImportOptions>>().Value);
        services.AddSingleton<LibraryImport>();
        // Features that own calendar events or feed entries (weekly sessions, digests) add IExportContributions.
        services.AddSingleton<ExportService>();
        services.AddSingleton<PendingPaperRefresher>();
        return services;
    }

    /// <summary>
    /// arXiv, Crossref, OpenReview and page meta tags (<c>Papers:*</c>; defaults point at the real services), and the
    /// background job that fills in pending papers. <c>Papers:Enabled=false</c> keeps the bot offline.
    /// </summary>
    public static IServiceCollection AddPaperSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaperSourcesOptions>().Bind(configuration.GetSection("Papers")).ValidateSettings("Papers", new PaperSourcesOptionsAnnotations(), PaperSourcesOptions.Rules);
        if (!configuration.GetValue("Papers:Enabled", true))
        {
            return services;
        }

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PaperSourcesOptions>>().Value);
        services.TryAddSingleton<IHostNameResolver, SystemHostNameResolver>();
        services.AddSingleton<SafeHttpClient>();
        services.AddSingleton(sp => new ArxivRequestGate(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(sp.GetRequiredService<PaperSourcesOptions>().Arxiv.MinIntervalSeconds)));
        services.AddSingleton<ArxivClient>();
        services.AddSingleton<CrossrefClient>();
        services.AddSingleton<OpenReviewClient>();
        services.AddSingleton<PageMetadataClient>();
        services.AddSingleton<CompositeMetadataSource>();
        services.AddSingleton<IPaperMetadataSource>(sp => sp.GetRequiredService<CompositeMetadataSource>());
        services.AddSingleton<IDocumentFetcher, WebDocumentFetcher>();
        services.AddHostedService<PaperRefreshService>();
        return services;
    }
}

/// <summary>Fills in pending papers on a timer (<c>Papers:Refresh:PeriodSeconds</c>), with the injected clock.</summary>
public sealed class PaperRefreshService(PendingPaperRefresher refresher, IOptions<PaperSourcesOptions> options, TimeProvider time, ILogger<PaperRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Refresh.PeriodSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await refresher.RefreshDueAsync(options.Value.Refresh.BatchSize, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Refreshing pending papers failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
