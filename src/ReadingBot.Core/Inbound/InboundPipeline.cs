using System.Threading.Channels;
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
/// deduplication through <see cref="DeliveryClaims"/>, tenant removal, and a few workers that run each delivery in a
/// DI scope of its own. An adapter keeps what is its own: parse the payload, and render and send the reply. Workers
/// start with the pipeline and stop when the container disposes it, after the hosted services have stopped.
/// </summary>
public sealed class InboundPipeline<TItem> : IAsyncDisposable, IDisposable
    where TItem : IInboundItem
{
    private readonly Channel<TItem> queue = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly SemaphoreSlim slots;
    private readonly DeliveryClaims claims;
    private readonly ITenantDataStore tenants;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private int disposed;
    private readonly Task[] workers;
    private long processed;
    private long repeated;

    public InboundPipeline(InboundPipelineOptions options, DeliveryClaims claims, ITenantDataStore tenants, IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        Name = options.Name;
        Capacity = Math.Max(1, options.Capacity);
        slots = new SemaphoreSlim(Capacity, Capacity);
        this.claims = claims;
        this.tenants = tenants;
        this.scopes = scopes;
        logger = loggers.CreateLogger("ReadingBot.Core.Inbound.InboundPipeline." + options.Name);
        workers = [.. Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(RunAsync))];
    }

    public string Name { get; }

    public int Capacity { get; }

    /// <summary>Deliveries waiting for a worker.</summary>
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

    /// <summary>Queues an item into a slot reserved before.</summary>
    public void Enqueue(TItem item)
    {
        if (!queue.Writer.TryWrite(item))
        {
            slots.Release();
            throw new ObjectDisposedException(nameof(InboundPipeline<TItem>), "the inbound pipeline has stopped");
        }
    }

    /// <summary>Reserves and queues at once; false when full.</summary>
    public bool TryEnqueue(TItem item)
    {
        if (!TryReserve())
        {
            return false;
        }

        Enqueue(item);
        return true;
    }

    /// <summary>For a container disposed synchronously: stop taking items and cancel the running ones, without waiting.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            queue.Writer.TryComplete();
            stopping.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.Writer.TryComplete();
        await stopping.CancelAsync();
        // In-flight deliveries get a few seconds to send what they have (a deferred reply, an ack).
        await Task.WhenAny(Task.WhenAll(workers), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                // The slot was the item's place in the queue; the workers themselves bound what runs at once.
                slots.Release();
                await ProcessAsync(item, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
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
