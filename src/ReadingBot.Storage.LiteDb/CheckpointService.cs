using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// LiteDB fsyncs only at checkpoints, and its log grows while nothing checkpoints: checkpoint on a timer and once
/// more on shutdown, so a power loss costs at most one period of commits.
/// </summary>
internal sealed class CheckpointService(ReadingBotDatabase database, IOptions<StorageOptions> options, TimeProvider time, ILogger<CheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckpointMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Checkpoint();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Checkpoint();
    }

    private void Checkpoint()
    {
        try
        {
            database.Checkpoint();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Checkpoint failed");
        }
    }
}
