using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Settings;

namespace ReadingBot.Papers;

/// <summary>The Papers project's registrations: the network sources behind Core's paper intake, and the arXiv feed.</summary>
public static class PaperComposition
{
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
        services.AddSingleton<ArxivSearchClient>();
        services.AddSingleton<CrossrefClient>();
        services.AddSingleton<OpenReviewClient>();
        services.AddSingleton<PageMetadataClient>();
        services.AddSingleton<CompositeMetadataSource>();
        services.AddSingleton<IPaperMetadataSource>(sp => sp.GetRequiredService<CompositeMetadataSource>());
        services.AddSingleton<IDocumentFetcher, WebDocumentFetcher>();
        services.AddHostedService<PaperRefreshService>();
        if (configuration.GetValue("Papers:SemanticScholar:Enabled", true))
        {
            services.AddSingleton<SemanticScholarClient>();
            services.RemoveAll<IPaperEnrichmentSource>();
            services.AddSingleton<IPaperEnrichmentSource>(sp => sp.GetRequiredService<SemanticScholarClient>());
            services.AddHostedService<EnrichmentService>();
        }

        return services;
    }

    /// <summary>
    /// The arXiv feed of new papers for recommendations and the arXiv search that follows use, through the arXiv
    /// client's base URL and request gate (needs <see cref="AddPaperSources"/>); they replace Core's empty ones unless
    /// <c>Papers:Enabled=false</c>.
    /// </summary>
    public static IServiceCollection AddArxivPaperFeed(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Papers:Enabled", true))
        {
            services.RemoveAll<IPaperFeed>();
            services.AddSingleton<IPaperFeed, ArxivFeedClient>();
            services.RemoveAll<IArxivSearch>();
            services.AddSingleton<IArxivSearch>(sp => sp.GetRequiredService<ArxivSearchClient>());
        }

        return services;
    }
}

/// <summary>A job run on a timer from the injected clock; a failed pass is logged and the next one runs as planned.</summary>
public abstract class TimedService(TimeSpan period, TimeProvider time, ILogger logger, string what) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "{What} failed", what);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>Fills in pending papers on a timer (<c>Papers:Refresh:PeriodSeconds</c>), with the injected clock.</summary>
public sealed class PaperRefreshService(PendingPaperRefresher refresher, IOptions<PaperSourcesOptions> options, TimeProvider time, ILogger<PaperRefreshService> logger)
    : TimedService(TimeSpan.FromSeconds(options.Value.Refresh.PeriodSeconds), time, logger, "Refreshing pending papers")
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => refresher.RefreshDueAsync(options.Value.Refresh.BatchSize, cancellationToken);
}

/// <summary>Enriches the libraries' papers from Semantic Scholar every <c>Papers:SemanticScholar:RefreshMinutes</c>, with the injected clock.</summary>
public sealed class EnrichmentService(EnrichmentRefresher refresher, IOptions<PaperSourcesOptions> options, TimeProvider time, ILogger<EnrichmentService> logger)
    : TimedService(TimeSpan.FromMinutes(options.Value.SemanticScholar.RefreshMinutes), time, logger, "Enriching papers from Semantic Scholar")
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => refresher.RunOnceAsync(cancellationToken);
}
