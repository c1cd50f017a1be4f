namespace ReadingBot.Core.Inbound;

/// <summary>
/// Keeps enough thread-pool threads ready for handlers that may block one (the store is synchronous; a metadata
/// source may be slow). With the pool's default minimum (one thread per core) a few such handlers starve the timers
/// and socket readers for seconds while the pool grows, one thread at a time: Slack's 3 s ack and Discord's heartbeat
/// are then missed. The process that runs an adapter raises the minimum to that adapter's workers plus a margin for
/// the readers, timers and the scheduler; it is never lowered, and never summed over adapters.
/// </summary>
public static class ThreadPoolReserve
{
    private const int Margin = 8;

    /// <summary>Raises the pool's minimum to <paramref name="workers"/> plus the margin, if it is lower.</summary>
    public static void Ensure(int workers)
    {
        var wanted = workers + Margin;
        ThreadPool.GetMinThreads(out var current, out var completionPorts);
        if (current < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }
}
