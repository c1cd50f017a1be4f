namespace ReadingBot.Discord.Gateway;

/// <summary>What the adapter knows about its connection, for /healthz and for ignoring our own messages.</summary>
public sealed class DiscordConnectionState
{
    private volatile bool connected;
    private volatile string? stopReason;
    private volatile string? botUserId;

    public bool IsConnected { get => connected; set => connected = value; }

    /// <summary>Set when the adapter stopped for good (bad token, refused intents); says what to fix.</summary>
    public string? StopReason { get => stopReason; set => stopReason = value; }

    public string? BotUserId { get => botUserId; set => botUserId = value; }

    public int Identifies => identifies;

    public int Resumes => resumes;

    public int Connections => connections;

    private int identifies;
    private int resumes;
    private int connections;

    internal void CountIdentify() => Interlocked.Increment(ref identifies);

    internal void CountResume() => Interlocked.Increment(ref resumes);

    internal void CountConnection() => Interlocked.Increment(ref connections);
}
