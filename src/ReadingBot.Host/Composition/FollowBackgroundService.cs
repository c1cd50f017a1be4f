using ReadingBot.Core.Follows;

namespace ReadingBot.Host.Composition;

/// <summary>
/// Refreshes every group's follows once every <c>Follow:RefreshHours</c> period, on the injected clock: at start if
/// the current period was not refreshed yet, then at each period's start. With several processes on one store, one
/// of them refreshes each period (<see cref="FollowRefresher.RefreshOncePerPeriodAsync"/>).
/// </summary>
internal sealed class FollowBackgroundService(FollowRefresher refresher, TimeProvider time, ILogger<FollowBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting; the first refresh may wait its turn at arXiv's 3-second gate.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await refresher.RefreshOncePerPeriodAsync(stoppingToken);
                foreach (var problem in result?.Problems.Distinct().Take(3) ?? [])
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
                var wait = refresher.NextPeriodStart(time.GetUtcNow()) - time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
