using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Ports;

namespace ReadingBot.Core.Inbound;

/// <summary>
/// Durable at-most-once for deliveries, with one store commit for many of them. A claim returns only after its keys
/// are in the <see cref="IDeliveryLog"/>, and the pipeline runs a delivery only after its claim, so a delivery that
/// ran (and so was answered) is never run again, even by a process started after a <c>kill -9</c>. Group commit:
/// the caller that finds no write in progress writes every claim waiting at that moment in one transaction, on its own
/// thread (so a lone claim costs one commit and no thread hop); callers that arrive meanwhile wait for the next batch,
/// so under load one commit serves many deliveries and the handlers no longer queue on the store's write lock.
/// Expired keys are purged every <see cref="PurgePeriod"/>.
/// </summary>
public sealed class DeliveryClaims : IAsyncDisposable, IDisposable
{
    public static readonly TimeSpan PurgePeriod = TimeSpan.FromMinutes(10);

    private const int MaxBatch = 512;

    private readonly IDeliveryLog log;
    private readonly TimeProvider time;
    private readonly ILogger<DeliveryClaims> logger;
    private readonly ConcurrentQueue<Claim> claims = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task purger;
    private int disposed;
    private long purged;
    private int writing;

    public DeliveryClaims(IDeliveryLog log, TimeProvider time, ILogger<DeliveryClaims> logger)
    {
        this.log = log;
        this.time = time;
        this.logger = logger;
        purger = Task.Run(PurgeAsync);
    }

    /// <summary>
    /// Claims every key for <paramref name="keep"/>; true when none was claimed before and not yet expired. Every key
    /// is recorded either way, so a retry that comes under a new envelope id still matches on its event id.
    /// </summary>
    public Task<bool> TryClaimAsync(IReadOnlyList<string> keys, TimeSpan keep)
    {
        if (keys.Count == 0)
        {
            return Task.FromResult(true);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var claim = new Claim(keys, keep);
        claims.Enqueue(claim);
        // Whoever takes the flag writes; a claim queued just as the writer let go is picked up by the re-check.
        while (!claims.IsEmpty && Interlocked.CompareExchange(ref writing, 1, 0) == 0)
        {
            try
            {
                WriteWaiting();
            }
            finally
            {
                Volatile.Write(ref writing, 0);
            }
        }

        return claim.Done.Task;
    }

    /// <summary>Expired keys deleted since start, by the timer and by <see cref="PurgeOnce"/>.</summary>
    public long Purged => Interlocked.Read(ref purged);

    /// <summary>Deletes expired keys now; returns how many (the timer calls it; tests too).</summary>
    public int PurgeOnce()
    {
        try
        {
            var removed = log.Purge(time.GetUtcNow());
            Interlocked.Add(ref purged, removed);
            if (removed > 0)
            {
                logger.LogDebug("Purged {Count} expired delivery ids", removed);
            }

            return removed;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Purging expired delivery ids failed; will try again");
            return 0;
        }
    }

    /// <summary>For a container disposed synchronously: stop the purge timer without waiting for it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            stopping.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        await purger.ConfigureAwait(false);
    }

    private void WriteWaiting()
    {
        var batch = new List<Claim>();
        var keys = new List<DeliveryKey>();
        var now = time.GetUtcNow();
        while (batch.Count < MaxBatch && claims.TryDequeue(out var claim))
        {
            batch.Add(claim);
            foreach (var key in claim.Keys)
            {
                keys.Add(new DeliveryKey(key, now + claim.Keep));
            }
        }

        IReadOnlyList<bool> fresh;
        try
        {
            fresh = log.TryRecordAll(keys, now);
        }
        catch (Exception ex)
        {
            // Nothing is claimed: each delivery fails as a whole and is not run (the platform redelivers).
            foreach (var claim in batch)
            {
                claim.Done.TrySetException(ex);
            }

            return;
        }

        var at = 0;
        foreach (var claim in batch)
        {
            var first = true;
            for (var i = 0; i < claim.Keys.Count; i++)
            {
                first &= fresh[at++];
            }

            claim.Done.TrySetResult(first);
        }
    }

    private async Task PurgeAsync()
    {
        using var timer = new PeriodicTimer(PurgePeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                PurgeOnce();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Claim(IReadOnlyList<string> keys, TimeSpan keep)
    {
        public IReadOnlyList<string> Keys { get; } = keys;

        public TimeSpan Keep { get; } = keep;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
