namespace ReadingBot.Discord.Gateway;

/// <summary>What to do after a Gateway connection ends.</summary>
public enum ReconnectAction
{
    /// <summary>Reconnect to resume_gateway_url and RESUME the session (costs no identify).</summary>
    Resume,

    /// <summary>Start a new session: reconnect to the /gateway/bot URL and IDENTIFY (costs one of the daily 1000).</summary>
    Identify,

    /// <summary>Do not reconnect: retrying cannot help and would only burn identifies.</summary>
    Stop,
}

/// <summary>Gateway opcodes (Discord API v10).</summary>
public static class GatewayOp
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>Gateway intents we use.</summary>
public static class GatewayIntents
{
    public const int Guilds = 1 << 0;
    public const int GuildMessages = 1 << 9;
    public const int MessageContent = 1 << 15;

    /// <summary>GUILDS for GUILD_DELETE; GUILD_MESSAGES for thread messages; MESSAGE_CONTENT (privileged) only when asked for.</summary>
    public static int For(bool messageContent) => Guilds | GuildMessages | (messageContent ? MessageContent : 0);
}

/// <summary>
/// The reconnect rules as pure functions, so they are unit-tested apart from sockets. The table follows Discord's
/// close-code documentation, with the one rule that matters most: a code that cannot succeed on retry stops the
/// adapter, because every blind retry would be an IDENTIFY and 1000 of them in a day reset the bot's token.
/// </summary>
public static class GatewayPolicy
{
    /// <summary>The action after the socket closed with <paramref name="closeCode"/> (null: no close frame, a dropped TCP connection).</summary>
    public static ReconnectAction ForClose(int? closeCode) => closeCode switch
    {
        null => ReconnectAction.Resume,
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => ReconnectAction.Stop,
        4003 or 4006 or 4007 or 4009 => ReconnectAction.Identify,
        4000 or 4001 or 4002 or 4005 or 4008 => ReconnectAction.Resume,
        // 1000/1001 from the server, 1006 and anything else: try to resume; an invalid session answers op 9 false.
        _ => ReconnectAction.Resume,
    };

    /// <summary>A one-line reason for the log when the adapter stops; says what a person must fix.</summary>
    public static string StopReason(int closeCode) => closeCode switch
    {
        4004 => "Discord rejected the bot token (close 4004). Reset the token in the Developer Portal and set Discord:Token (READINGBOT_Discord__Token).",
        4010 => "Discord says the shard is invalid (close 4010): set Discord:ShardIds to ids below Discord:ShardCount, and the same Discord:ShardCount in every process.",
        4011 => "Discord says the bot needs sharding (close 4011): a connection carries too many servers. Raise Discord:ShardCount, or set it to auto.",
        4012 => "Discord says the API version is invalid (close 4012). Check Discord:ApiBaseUrl ends in /api/v10.",
        4013 => "Discord says the intents are invalid (close 4013).",
        4014 => "Discord refused a privileged intent (close 4014). Enable Message Content Intent on the Developer Portal's Bot page, or set Discord:MessageContent to false.",
        _ => $"Discord closed the connection with {closeCode}.",
    };

    /// <summary>op 9: true means the session may be resumed, false means identify anew.</summary>
    public static ReconnectAction ForInvalidSession(bool resumable) => resumable ? ReconnectAction.Resume : ReconnectAction.Identify;

    /// <summary>
    /// Exponential backoff with full jitter: a uniform delay in [0, min(cap, first·2^attempt)]. <paramref name="random"/>
    /// is in [0, 1). Attempt 0 is the first retry after a failure.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan first, TimeSpan cap, double random)
    {
        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var ceiling = Math.Min(cap.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(Math.Clamp(random, 0, 1) * ceiling);
    }

    /// <summary>The first heartbeat waits a random fraction of the interval (Discord's documented jitter).</summary>
    public static TimeSpan FirstHeartbeat(TimeSpan interval, double random) => interval * Math.Clamp(random, 0, 1);

    /// <summary>
    /// Whether an IDENTIFY may go out now, and if not how long to wait: the ledger's own 24 h cap, the spacing
    /// between identifies, and what /gateway/bot last said remains.
    /// </summary>
    public static TimeSpan IdentifyWait(IReadOnlyList<DateTimeOffset> recentIdentifies, DateTimeOffset now, int dailyCap, TimeSpan spacing, int? apiRemaining, TimeSpan? apiResetAfter)
    {
        var window = TimeSpan.FromHours(24);
        var recent = recentIdentifies.Where(t => now - t < window).OrderBy(t => t).ToList();
        var wait = TimeSpan.Zero;
        if (recent.Count >= dailyCap)
        {
            wait = Max(wait, recent[recent.Count - dailyCap] + window - now);
        }

        if (recent.Count > 0)
        {
            wait = Max(wait, recent[^1] + spacing - now);
        }

        if (apiRemaining is <= 0)
        {
            wait = Max(wait, apiResetAfter ?? window);
        }

        return wait;
    }

    /// <summary>Discord's session-start bucket of a shard: <c>shard_id % max_concurrency</c>.</summary>
    public static int RateLimitKey(int shardId, int maxConcurrency) => shardId % Math.Max(1, maxConcurrency);

    /// <summary>
    /// <see cref="IdentifyWait"/> for one shard: the daily cap and Discord's remaining count over every start, the
    /// spacing over the starts of the shard's own bucket only (buckets start side by side).
    /// </summary>
    public static TimeSpan StartWait(IReadOnlyList<Core.Ports.SessionStart> recent, int shardId, int maxConcurrency, DateTimeOffset now, int dailyCap, TimeSpan spacing, int? apiRemaining, TimeSpan? apiResetAfter)
    {
        var bucket = RateLimitKey(shardId, maxConcurrency);
        var budget = IdentifyWait([.. recent.Select(s => s.At)], now, dailyCap, TimeSpan.Zero, apiRemaining, apiResetAfter);
        var turn = IdentifyWait([.. recent.Where(s => RateLimitKey(s.ShardId, maxConcurrency) == bucket).Select(s => s.At)], now, int.MaxValue, spacing, null, null);
        return Max(budget, turn);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
