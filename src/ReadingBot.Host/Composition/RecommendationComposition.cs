using ReadingBot.Core.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Recommendations;
using ReadingBot.Papers;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Composition;

/// <summary>Recommendations: likes, signals, the feature engine and its background pass, and the arXiv feed.</summary>
public static class RecommendationComposition
{
    /// <summary>
    /// The feature's Core services, its options (<c>Recommendations:*</c>) and the likes store. The engine only
    /// scores on the request path; <see cref="AddRecommendationBackground"/> adds the pass that builds and trains.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecommendationOptions>().Bind(configuration.GetSection("Recommendations")).ValidateSettings("Recommendations", new RecommendationOptionsAnnotations(), RecommendationOptions.Rules);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RecommendationOptions>>().Value);
        services.TryAddSingleton<ILikeStore, LiteLikeStore>();
        services.TryAddSingleton<IPaperFeed, NoPaperFeed>();
        // The WAYR and reading-progress features add their evidence as IReadingSignalSource registrations.
        services.AddSingleton<IReadingSignals, ReadingSignals>();
        services.AddSingleton<RecommendationEngine>();
        services.AddSingleton<RecommendationService>();
        return services;
    }

    /// <summary>The background pass (features, feed, training) and, when the network sources are on, the arXiv feed.</summary>
    public static IServiceCollection AddRecommendationBackground(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRecommendationFeed(configuration);
        services.AddHostedService<RecommendationBackgroundService>();
        return services;
    }

    /// <summary>The arXiv feed of new papers, through the arXiv client's base URL and request gate (needs <see cref="PaperComposition.AddPaperSources"/>).</summary>
    public static IServiceCollection AddRecommendationFeed(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Papers:Enabled", true))
        {
            services.RemoveAll<IPaperFeed>();
            services.AddSingleton<IPaperFeed, ArxivFeedClient>();
        }

        return services;
    }
}

/// <summary>Runs the recommendation engine's pass on a timer from the injected clock, and early when a command wakes it.</summary>
internal sealed class RecommendationBackgroundService(RecommendationEngine engine, RecommendationOptions options, ILogger<RecommendationBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        // Let the host finish starting first: the first fit reads every library and may take seconds.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await engine.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Recommendation pass failed");
            }

            try
            {
                await engine.WaitForWorkAsync(TimeSpan.FromSeconds(options.RefreshSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
