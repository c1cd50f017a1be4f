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
