using Microsoft.Extensions.Options;
using ReadingBot.Core.Weeks;

using ReadingBot.Host.Hosting;

namespace ReadingBot.Host.Composition;

/// <summary>Runs the weekly scheduler once at start (catch-up) and then on a timer from the injected clock.</summary>
internal sealed class WeeklySchedulerService(WeeklyScheduler scheduler, IOptions<SchedulerOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<WeeklySchedulerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Adapters connect during start; the first pass waits for it so catch-up posts have somewhere to go.
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        do
        {
            try
            {
                await scheduler.RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Scheduler pass failed");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
