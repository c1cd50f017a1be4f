using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Inbound;

/// <summary>
/// One delivery from a platform, parsed by its adapter from verified data only: the keys that identify it across
/// redeliveries, the platform's first answer when it waits for one, and a tenant removal when the delivery says the
/// bot left a server or workspace.
/// </summary>
public interface IInboundItem
{
    /// <summary>Keys (platform-prefixed) that a redelivery carries again; empty when the platform never redelivers it.</summary>
    IReadOnlyList<string> DedupeKeys { get; }

    /// <summary>How long a redelivery may still come.</summary>
    TimeSpan DedupeFor { get; }

    /// <summary>The answer the platform waits for; the pipeline sends its stand-in when the item is skipped or fails.</summary>
    FirstAnswer? Answer { get; }

    /// <summary>Set when the bot was removed: the pipeline deletes the tenant's data instead of running a handler.</summary>
    TenantRemoval? Removal { get; }
}

/// <summary>The bot left a server or workspace: everything stored for it goes.</summary>
public sealed record TenantRemoval(string Platform, string Workspace, string Why);

/// <summary>What an adapter does with one of its deliveries: turn it into a command and send the reply.</summary>
public interface IInboundHandler<in TItem>
    where TItem : IInboundItem
{
    Task HandleAsync(TItem item, CancellationToken cancellationToken);

    /// <summary>
    /// A redelivery of something handled before. By default its answer is dropped unsent (Discord refuses a second
    /// response); a platform that wants every delivery acknowledged (Slack's envelopes) sends the stand-in instead.
    /// </summary>
    Task OnRepeatedAsync(TItem item)
    {
        item.Answer?.Abandon();
        return Task.CompletedTask;
    }

    /// <summary>After the pipeline removed a tenant's data: drop what the adapter caches for it.</summary>
    void OnTenantRemoved(string workspace)
    {
    }
}

/// <summary>A pipeline's size: how many deliveries may wait, and how many run at once.</summary>
public sealed record InboundPipelineOptions(string Name, int Capacity, int Workers);

/// <summary>
/// The inbound pipeline every platform shares (Discord, Slack, the local chat): a bounded queue whose slots are taken
/// before a delivery is acknowledged (so "full" means "not acknowledged", never "acknowledged and dropped"), durable
/// deduplication through <see cref="DeliveryClaims"/>, tenant removal, and at most <c>Workers</c> deliveries running
/// at once, each in a DI scope of its own. An adapter keeps what is its own: parse the payload, and render and send
/// the reply.
/// </summary>
/// <remarks>
/// No worker sits waiting on a queue. A delivery from a socket's reader is handed to the thread pool in one work item,
/// which goes on with whatever queued behind it while the deliveries complete without waiting (a command answered from
/// the store), so a burst costs one hand-off, not one per delivery and per step. A delivery from an HTTP request runs
/// on the request's own thread until it first waits. A delivery that waits (the network, a commit in progress) frees
/// its thread, and takes the next waiting one when it ends. A reader never runs a handler itself: a handler that
/// blocks its thread must not hold up heartbeats and acks. Stopping cancels the running ones.
/// </remarks>
public sealed class InboundPipeline<TItem> : IAsyncDisposable, IDisposable
    where TItem : IInboundItem
{
    private readonly ConcurrentQueue<TItem> waiting = new();
    private readonly SemaphoreSlim slots;
    private readonly DeliveryClaims claims;
    private readonly ITenantDataStore tenants;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int workers;
    private int disposed;
    private int running;
    private long processed;
    private long repeated;

    public InboundPipeline(InboundPipelineOptions options, DeliveryClaims claims, ITenantDataStore tenants, IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        Name = options.Name;
        Capacity = Math.Max(1, options.Capacity);
        workers = Math.Max(1, options.Workers);
        slots = new SemaphoreSlim(Capacity, Capacity);
        this.claims = claims;
        this.tenants = tenants;
        this.scopes = scopes;
        logger = loggers.CreateLogger("ReadingBot.Core.Inbound.InboundPipeline." + options.Name);
    }

    public string Name { get; }

    public int Capacity { get; }

    /// <summary>Deliveries waiting for a turn to run.</summary>
    public int Count => Capacity - slots.CurrentCount;

    /// <summary>Deliveries whose handler ran (tests and the benchmark read it).</summary>
    public long Processed => Interlocked.Read(ref processed);

    /// <summary>Redeliveries the claims turned away.</summary>
    public long Repeated => Interlocked.Read(ref repeated);

    /// <summary>Takes a slot without waiting; false when full (the adapter then does not acknowledge).</summary>
    public bool TryReserve() => slots.Wait(0);

    /// <summary>Waits for a slot (a source that cannot refuse, such as the Discord Gateway, is slowed down instead).</summary>
    public Task ReserveAsync(CancellationToken cancellationToken) => slots.WaitAsync(cancellationToken);

    /// <summary>Gives back a slot that was reserved and not used.</summary>
    public void Release() => slots.Release();

    /// <summary>
    /// Queues an item into a slot reserved before. With <paramref name="runHere"/> (an HTTP request, which has a thread
    /// of its own) the item runs on the caller until it first waits; otherwise (a socket's reader, which must go on
    /// reading heartbeats and acks whatever a handler does) a pool thread takes it, and any that queue behind it.
    /// </summary>
    public void Enqueue(TItem item, bool runHere = false)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            slots.Release();
            throw new ObjectDisposedException(nameof(InboundPipeline<TItem>), "the inbound pipeline has stopped");
        }

        waiting.Enqueue(item);
        if (runHere)
        {
            Pump(item);
        }
        else
        {
            Schedule();
        }
    }

    /// <summary>Reserves and queues at once; false when full.</summary>
    public bool TryEnqueue(TItem item, bool runHere = false)
    {
        if (!TryReserve())
        {
            return false;
        }

        Enqueue(item, runHere);
        return true;
    }

    /// <summary>For a container disposed synchronously: stop taking items and cancel the running ones, without waiting.</summary>
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
        if (Volatile.Read(ref running) == 0)
        {
            drained.TrySetResult();
        }

        // In-flight deliveries get a few seconds to send what they have (a deferred reply, an ack).
        await Task.WhenAny(drained.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    /// <summary>Takes a turn to run for a pool thread, which drains what is waiting (one hand-off for a burst).</summary>
    private void Schedule()
    {
        while (!waiting.IsEmpty)
        {
            var now = Volatile.Read(ref running);
            if (now >= workers)
            {
                // Whichever running item finishes next takes this one.
                return;
            }

            if (Interlocked.CompareExchange(ref running, now + 1, now) == now)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static pipeline => pipeline.RunTurn(), this, preferLocal: false);
                return;
            }
        }
    }

    /// <summary>On a pool thread, holding one turn: runs waiting items until one waits or none is left.</summary>
    private void RunTurn()
    {
        while (waiting.TryDequeue(out var item))
        {
            slots.Release();
            var run = RunOneAsync(item);
            if (!run.IsCompleted)
            {
                _ = FinishLaterAsync(run);
                return;
            }
        }

        Finished();
        // An item queued between the last look and giving the turn back would otherwise wait for the next one.
        Schedule();
    }

    /// <summary>
    /// Runs waiting items here, oldest first, while fewer than the workers' number run, until <paramref name="own"/>
    /// has run (an item that waits is left to finish on its own).
    /// </summary>
    private void Pump(TItem own)
    {
        while (!waiting.IsEmpty)
        {
            var now = Volatile.Read(ref running);
            if (now >= workers)
            {
                // Whichever running item finishes next takes this one.
                return;
            }

            if (Interlocked.CompareExchange(ref running, now + 1, now) != now)
            {
                continue;
            }

            if (!waiting.TryDequeue(out var item))
            {
                // Another caller took it; the loop re-checks for an item queued meanwhile.
                Finished();
                continue;
            }

            // The slot was the item's place in the queue; the running count bounds what runs at once.
            slots.Release();
            var run = RunOneAsync(item);
            if (run.IsCompleted)
            {
                Finished();
            }
            else
            {
                // It waits: the caller goes on, and the item takes the next turn when it ends.
                _ = FinishLaterAsync(run);
            }

            if (ReferenceEquals(item, own))
            {
                // The request's own delivery has run; what is left goes to the pool.
                Schedule();
                return;
            }
        }
    }

    /// <summary>Runs one item; never throws (a failure is logged and answered with the stand-in).</summary>
    private Task RunOneAsync(TItem item) =>
        stopping.IsCancellationRequested ? AnswerStandInAsync(item) : ProcessAsync(item, stopping.Token);

    private async Task FinishLaterAsync(Task run)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            Finished();
        }

        // Not run here: this may be any thread that completed the item's last wait.
        Schedule();
    }

    private void Finished()
    {
        if (Interlocked.Decrement(ref running) == 0 && Volatile.Read(ref disposed) != 0)
        {
            drained.TrySetResult();
        }
    }

    private async Task ProcessAsync(TItem item, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<IInboundHandler<TItem>>();
            if (!await claims.TryClaimAsync(item.DedupeKeys, item.DedupeFor).ConfigureAwait(false))
            {
                Interlocked.Increment(ref repeated);
                logger.LogInformation("Skipping a repeated {Platform} delivery", Name);
                await handler.OnRepeatedAsync(item).ConfigureAwait(false);
                return;
            }

            if (item.Removal is { } removal)
            {
                var removed = tenants.RemoveWorkspace(removal.Platform, removal.Workspace);
                handler.OnTenantRemoved(removal.Workspace);
                logger.LogWarning("Removed {Count} records of {Platform} workspace {Workspace}: {Why}", removed, Name, removal.Workspace, removal.Why);
            }
            else
            {
                await handler.HandleAsync(item, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref processed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AnswerStandInAsync(item).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A {Platform} delivery failed", Name);
            await AnswerStandInAsync(item).ConfigureAwait(false);
        }
    }

    private static async Task AnswerStandInAsync(TItem item)
    {
        if (item.Answer is { } answer)
        {
            await answer.SendStandInAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Registers an adapter's pipeline and handler; the claims are shared by every pipeline of the process.</summary>
public static class InboundPipelineRegistration
{
    public static IServiceCollection AddInboundPipeline<TItem, THandler>(this IServiceCollection services, Func<IServiceProvider, InboundPipelineOptions> options)
        where TItem : IInboundItem
        where THandler : class, IInboundHandler<TItem>
    {
        services.TryAddSingleton<DeliveryClaims>();
        services.AddSingleton(sp => new InboundPipeline<TItem>(
            options(sp),
            sp.GetRequiredService<DeliveryClaims>(),
            sp.GetRequiredService<ITenantDataStore>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<THandler>();
        services.AddSingleton<IInboundHandler<TItem>>(sp => sp.GetRequiredService<THandler>());
        return services;
    }
}
