using ReadingBot.Core.Follows;

namespace ReadingBot.Host.Composition;

/// <summary>Refreshes every group's follows every <c>Follow:RefreshHours</c>, on the injected clock.</summary>
internal sealed class FollowBackgroundService(FollowRefresher refresher, FollowOptions options, TimeProvider time, ILogger<FollowBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; the first refresh may wait its turn at arXiv's 3-second gate.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await refresher.RefreshAsync(stoppingToken);
                foreach (var problem in result.Problems.Distinct().Take(3))
                {
                    logger.LogWarning("Follow refresh: arXiv answered with a problem: {Problem}", problem);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Follow refresh failed");
            }

            try
            {
                await Task.Delay(options.RefreshInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
