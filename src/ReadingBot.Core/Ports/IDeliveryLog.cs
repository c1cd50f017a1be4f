namespace ReadingBot.Core.Ports;

/// <summary>
/// Remembers deliveries already handled (Slack event ids and envelope ids, Discord interaction ids), durably, so an
/// at-least-once platform produces exactly one effect, across restarts too.
/// </summary>
public interface IDeliveryLog
{
    /// <summary>
    /// Records <paramref name="key"/> until <paramref name="expiresAt"/>; returns false if it was already recorded
    /// and has not expired (the caller then skips the delivery). Atomic: of two racing callers, one gets true.
    /// </summary>
    bool TryRecord(string key, DateTimeOffset now, DateTimeOffset expiresAt);

    /// <summary>
    /// Records many keys at once, durably when it returns (a store does it in one transaction); element i says
    /// whether key i was new. The shared inbound pipeline batches its deliveries' keys through this.
    /// </summary>
    IReadOnlyList<bool> TryRecordAll(IReadOnlyList<DeliveryKey> keys, DateTimeOffset now);

    /// <summary>Deletes expired records; returns how many.</summary>
    int Purge(DateTimeOffset now);
}

/// <summary>One delivery key and how long to remember it.</summary>
public readonly record struct DeliveryKey(string Key, DateTimeOffset ExpiresAt);

/// <summary>Small durable values an adapter keeps across restarts (Discord's identify budget, session ids).</summary>
public interface IAdapterStateStore
{
    string? Get(string key);

    /// <summary>The values of those of <paramref name="keys"/> that are set, in one read (a command that shows several).</summary>
    IReadOnlyDictionary<string, string> GetMany(IReadOnlyCollection<string> keys);

    void Set(string key, string value);

    /// <summary>
    /// The key's value, after setting it to <paramref name="value"/> if it had none: when processes race, one value
    /// wins and every process gets that one (a secret they must share).
    /// </summary>
    string GetOrAdd(string key, string value);
}
