namespace ReadingBot.Papers;

/// <summary>
/// arXiv's terms: one request at a time for all our traffic, at least <c>MinIntervalSeconds</c> apart (measured
/// from the end of one to the start of the next, so arrivals at arXiv are spaced at least that much). One instance
/// per process (a DI singleton); every arXiv request goes through it. Retry-After pushes the next start later.
/// </summary>
public sealed class ArxivRequestGate(TimeProvider time, TimeSpan minInterval) : IDisposable
{
    private readonly SemaphoreSlim one = new(1, 1);
    private DateTimeOffset notBefore = DateTimeOffset.MinValue;

    public TimeSpan MinInterval => minInterval;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        await one.WaitAsync(cancellationToken);
        try
        {
            var wait = notBefore - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            return await request(cancellationToken);
        }
        finally
        {
            var earliest = time.GetUtcNow() + minInterval;
            if (earliest > notBefore)
            {
                notBefore = earliest;
            }

            one.Release();
        }
    }

    /// <summary>Holds every request back for at least <paramref name="delay"/> from now (arXiv's Retry-After, or our back-off).</summary>
    public void Defer(TimeSpan delay)
    {
        var until = time.GetUtcNow() + delay;
        if (until > notBefore)
        {
            notBefore = until;
        }
    }

    public void Dispose() => one.Dispose();
}
