using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Ports;

namespace ReadingBot.Slack.Inbound;

/// <summary>Deletes expired delivery ids now and then, so the dedupe log stays as small as its TTL allows.</summary>
public sealed class DeliveryLogPurger(IDeliveryLog deliveries, TimeProvider time, ILogger<DeliveryLogPurger> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                PurgeOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public int PurgeOnce()
    {
        try
        {
            var removed = deliveries.Purge(time.GetUtcNow());
            if (removed > 0)
            {
                logger.LogDebug("Purged {Count} expired Slack delivery ids", removed);
            }

            return removed;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Purging expired Slack delivery ids failed; will try again");
            return 0;
        }
    }
}
