using System.Collections.Concurrent;

namespace ReadingBot.Discord.Gateway;

/// <summary>What the adapter knows about its connections, for /healthz and for ignoring our own messages.</summary>
public sealed class DiscordConnectionState
{
    private readonly ConcurrentDictionary<int, bool> shardLinks = new();
    private volatile bool connected;
    private volatile string? stopReason;
    private volatile string? botUserId;
    private volatile ShardPlan? plan;

    /// <summary>In Gateway mode, true while every shard of this process is ready; in Http mode, once the adapter started.</summary>
    public bool IsConnected { get => connected; set => connected = value; }

    /// <summary>Set when the adapter (or a shard of it) stopped for good (bad token, refused intents); says what to fix.</summary>
    public string? StopReason { get => stopReason; set => stopReason = value; }

    public string? BotUserId { get => botUserId; set => botUserId = value; }

    /// <summary>The shards this process runs, once resolved at start (<c>Discord:ShardCount</c> may be auto).</summary>
    public ShardPlan? Plan { get => plan; set => plan = value; }

    /// <summary>The shards of this process that are ready now.</summary>
    public IReadOnlyList<int> ReadyShards => [.. shardLinks.Where(l => l.Value).Select(l => l.Key).Order()];

    public int Identifies => identifies;

    public int Resumes => resumes;

    public int Connections => connections;

    private int identifies;
    private int resumes;
    private int connections;

    /// <summary>A shard's session became ready (true) or its connection ended (false).</summary>
    internal void SetShardReady(int shardId, bool ready)
    {
        shardLinks[shardId] = ready;
        var ids = plan?.Ids ?? [.. shardLinks.Keys];
        connected = ids.All(id => shardLinks.TryGetValue(id, out var up) && up);
    }

    internal void CountIdentify() => Interlocked.Increment(ref identifies);

    internal void CountResume() => Interlocked.Increment(ref resumes);

    internal void CountConnection() => Interlocked.Increment(ref connections);
}
