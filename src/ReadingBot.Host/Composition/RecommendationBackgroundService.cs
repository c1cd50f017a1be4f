using ReadingBot.Core.Recommendations;

namespace ReadingBot.Host.Composition;

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
