namespace ReadingBot.Host.Hosting;

/// <summary>Lets a hosted service wait until the whole host (web server, adapters) has started.</summary>
internal static class HostStarted
{
    /// <summary>True once the host has started; false if it is stopping first.</summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
