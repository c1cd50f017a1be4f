using Microsoft.Extensions.Hosting;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// LiteDB closes its engine for good after an I/O error or a failed internal check ("LiteDB ENSURE: …"), marks the
/// file to be checked and rebuilt on its next open, and refuses every later call. A bot left running on a closed
/// engine answers every command with an error and writes nothing, so this service looks at the engine every few
/// seconds and, once it has closed, fails: the host then stops with one line and a non-zero exit code, and whatever
/// supervises it (Docker's restart policy, systemd) starts it again on a reopened, repaired file.
/// </summary>
public sealed class EngineWatchService(ReadingBotDatabase database, TimeProvider time, TimeSpan? every = null) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(every ?? DefaultInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (database.ClosedBy() is { } cause && !stoppingToken.IsCancellationRequested)
                {
                    throw new DatabaseUnavailableException(
                        $"the database {database.FilePath ?? "(in memory)"} was closed by LiteDB after an error{(cause is ObjectDisposedException ? "" : $" ({ReadingBotDatabase.FirstLine(cause.Message)})")}; "
                        + "restart ReadingBot, which checks and repairs the file when it opens it",
                        cause);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
