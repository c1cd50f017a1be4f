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
        services.AddOptions<RecommendationOptions>().Bind(configuration.GetSection("Recommendations")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecommendationOptions>, RecommendationOptionsChecks>());
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

/// <summary>Checks <c>Recommendations:*</c> at start; each failure names the key and the fix.</summary>
internal sealed class RecommendationOptionsChecks : IValidateOptions<RecommendationOptions>
{
    public ValidateOptionsResult Validate(string? name, RecommendationOptions o)
    {
        var failures = new List<string>();
        void Check(bool ok, string key, object value, string fix)
        {
            if (!ok)
            {
                failures.Add(SettingProblem.Describe("Recommendations:" + key, $"{value} is out of range", fix));
            }
        }

        Check(o.RefreshSeconds is >= 1 and <= 86400, "RefreshSeconds", o.RefreshSeconds, "a number of seconds from 1 to 86400");
        Check(o.MaxFeatures is >= 100 and <= 65_536, "MaxFeatures", o.MaxFeatures, "a whole number from 100 to 65536");
        Check(o.MinDocumentFrequency is >= 1 and <= 1000, "MinDocumentFrequency", o.MinDocumentFrequency, "a whole number from 1 to 1000");
        Check(o.MaxDocumentShare is > 0 and <= 1, "MaxDocumentShare", o.MaxDocumentShare, "a share above 0 and at most 1");
        Check(o.MaxBigramCandidates is >= 10_000 and <= 50_000_000, "MaxBigramCandidates", o.MaxBigramCandidates, "a whole number from 10000 to 50000000");
        Check(o.RefitGrowth is >= 0 and <= 10, "RefitGrowth", o.RefitGrowth, "a share from 0 to 10");
        Check(o.AlwaysRefitBelow is >= 0 and <= 1_000_000, "AlwaysRefitBelow", o.AlwaysRefitBelow, "a whole number from 0 to 1000000");
        Check(o.MinPositives is >= 1 and <= 100, "MinPositives", o.MinPositives, "a whole number from 1 to 100");
        Check(o.SvmC is > 0 and <= 100, "SvmC", o.SvmC, "a number above 0 and at most 100");
        Check(o.MaxNegatives is >= 10 and <= 1_000_000, "MaxNegatives", o.MaxNegatives, "a whole number from 10 to 1000000");
        Check(o.TrainingConcurrency is >= 1 and <= 64, "TrainingConcurrency", o.TrainingConcurrency, "a whole number from 1 to 64");
        Check(o.ModelCacheSize is >= 1 and <= 100_000, "ModelCacheSize", o.ModelCacheSize, "a whole number from 1 to 100000");
        Check(o.Results is >= 1 and <= 20, "Results", o.Results, "a whole number from 1 to 20");
        Check(o.ReasonTerms is >= 0 and <= 10, "ReasonTerms", o.ReasonTerms, "a whole number from 0 to 10");
        Check(o.MemberRequestsPerMinute is >= 1 and <= 1000, "MemberRequestsPerMinute", o.MemberRequestsPerMinute, "a whole number from 1 to 1000");
        Check(o.GroupRequestsPerMinute is >= 1 and <= 10_000, "GroupRequestsPerMinute", o.GroupRequestsPerMinute, "a whole number from 1 to 10000");
        Check(o.TrendingWeeks is >= 1 and <= 52, "TrendingWeeks", o.TrendingWeeks, "a whole number from 1 to 52");
        Check(o.Feed.MaxResults is >= 1 and <= 2000, "Feed:MaxResults", o.Feed.MaxResults, "a whole number from 1 to 2000");
        Check(o.Feed.RefreshHours is >= 0.01 and <= 168, "Feed:RefreshHours", o.Feed.RefreshHours, "a number of hours from 0.01 to 168");
        Check(!o.Feed.Enabled || o.Feed.CategoryList.Count > 0, "Feed:Categories", $"'{o.Feed.Categories}'", "a comma-separated list such as cs.LG,cs.CL,cs.CV");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
