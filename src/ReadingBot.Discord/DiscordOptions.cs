using ReadingBot.Core.Settings;
using Microsoft.Extensions.Options;
using ReadingBot.Discord.Gateway;

namespace ReadingBot.Discord;

/// <summary>The Discord adapter's settings (<c>Discord:*</c>). Secrets come from the environment, never from files in the repo.</summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";

    /// <summary>The bot token from the Developer Portal (without the "Bot " prefix).</summary>
    public string Token { get; set; } = "";

    public string ApplicationId { get; set; } = "";

    /// <summary>The application's Ed25519 public key (64 hex characters); needed in Http mode.</summary>
    public string PublicKey { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary><c>Gateway</c>: everything over the Gateway WebSocket (no public URL needed). <c>Http</c>: Discord POSTs interactions to our endpoint and no Gateway connection is made.</summary>
    public string Mode { get; set; } = "Gateway";

    /// <summary>True in Http mode.</summary>
    public bool IsHttpMode => string.Equals(Mode, "Http", StringComparison.OrdinalIgnoreCase);

    /// <summary>Ask for the privileged MESSAGE_CONTENT intent (thread messages become notes). Must be enabled in the portal too.</summary>
    public bool MessageContent { get; set; }

    /// <summary>Register commands in this guild only (instant; for development) instead of globally.</summary>
    public string DevGuildId { get; set; } = "";

    /// <summary>Members with this role are moderators besides those with Manage Server or Administrator.</summary>
    public string ModeratorRoleId { get; set; } = "";

    /// <summary>Where the host listens for HTTP interactions (Http mode).</summary>
    public string InteractionsPath { get; set; } = "/discord/interactions";

    /// <summary>Overwrite the application's commands from the catalogue at start.</summary>
    public bool RegisterCommands { get; set; } = true;

    /// <summary>How long a command may run before the interaction is deferred (Discord allows 3 s in all).</summary>
    [SettingRange(0d, 2.5, "a number of seconds from 0.1 to 2.5 (Discord allows 3 s in all)", MinimumIsExclusive = true)]
    public double DeferAfterSeconds { get; set; } = 2.0;

    public double ConnectTimeoutSeconds { get; set; } = 30;

    /// <summary>First reconnect delay; doubles per failed attempt with full jitter.</summary>
    public double ReconnectMinSeconds { get; set; } = 1;

    /// <summary>Reconnect delays never exceed this; minutes, so an outage cannot burn the identify budget.</summary>
    public double ReconnectMaxSeconds { get; set; } = 600;

    /// <summary>Wait at least this long between two IDENTIFYs (Discord allows max_concurrency per 5 s).</summary>
    public double IdentifySpacingSeconds { get; set; } = 5.5;

    /// <summary>After op 9 Discord suggests waiting a random 1–5 s before identifying again.</summary>
    public double InvalidSessionMinSeconds { get; set; } = 1;

    public double InvalidSessionMaxSeconds { get; set; } = 5;

    /// <summary>Refuse to IDENTIFY past this many in 24 h (Discord resets the token at 1000).</summary>
    [SettingRange(1, 1000, "a whole number from 1 to 1000 (Discord resets the token at 1000)")]
    public int IdentifyDailyCap { get; set; } = 900;

    /// <summary>
    /// How many Gateway shards the bot runs in all, across every process: <c>auto</c> takes the <c>shards</c> that
    /// GET /gateway/bot recommends; a number fixes it. Discord requires shards past 2,500 servers per connection.
    /// </summary>
    public string ShardCount { get; set; } = "1";

    /// <summary>Which shards this process runs: <c>0-3</c>, <c>0,2</c>, or empty for all of them.</summary>
    public string ShardIds { get; set; } = "";

    /// <summary>Gateway events waiting for a worker; the reader waits when it is full.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Handlers running at once.</summary>
    public int MaxConcurrentHandlers { get; set; } = 32;

    public int MaxRestRetries { get; set; } = 3;

    public double RestTimeoutSeconds { get; set; } = 15;

    /// <summary>The project URL in the required User-Agent header.</summary>
    public string UserAgentUrl { get; set; } = "https://github.com/readingbot/readingbot";

    internal TimeSpan DeferAfter => TimeSpan.FromSeconds(DeferAfterSeconds);
}

/// <summary>The annotations' checks for <see cref="DiscordOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class DiscordOptionsAnnotations : IValidateOptions<DiscordOptions>;

/// <summary>
/// Start-time checks: the generated ranges plus hand-written rules annotations cannot say (a secret's shape, Discord
/// ids, the public key that Http mode needs, two keys in order). Never echoes a secret.
/// </summary>
internal sealed class DiscordOptionsValidator() : SettingsValidator<DiscordOptions>(DiscordOptions.Section, new DiscordOptionsAnnotations(), Rules)
{
    private static List<string> Rules(DiscordOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Token) || o.Token.Any(char.IsWhiteSpace) || o.Token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(SettingProblem.DescribeSecret("Discord:Token", "is empty, has spaces or starts with 'Bot '", "the bot token from the Developer Portal's Bot page, without the 'Bot ' prefix"));
        }

        if (!IsSnowflake(o.ApplicationId))
        {
            failures.Add(Fail("Discord:ApplicationId", string.IsNullOrWhiteSpace(o.ApplicationId) ? "is missing" : "is not a numeric id", "the Application ID from the Developer Portal's General Information page"));
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            failures.Add(Fail("Discord:ApiBaseUrl", $"'{o.ApiBaseUrl}' is not an http(s) URL", "https://discord.com/api/v10"));
        }

        if (!o.IsHttpMode && !string.Equals(o.Mode, "Gateway", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(Fail("Discord:Mode", $"'{o.Mode}' is not Gateway or Http", "Gateway (the bot connects out; nothing to expose) or Http (Discord calls Discord:InteractionsPath on your public URL)"));
        }

        if (o.IsHttpMode && !IsHex(o.PublicKey, 64))
        {
            failures.Add(Fail("Discord:PublicKey", "must be 64 hex characters in Http mode", "the Public Key from the Developer Portal's General Information page"));
        }

        if (o.DevGuildId.Length > 0 && !IsSnowflake(o.DevGuildId))
        {
            failures.Add(Fail("Discord:DevGuildId", $"'{o.DevGuildId}' is not a numeric id", "a server id (Developer Mode → right-click the server → Copy Server ID), or leave it empty"));
        }

        if (o.ModeratorRoleId.Length > 0 && !IsSnowflake(o.ModeratorRoleId))
        {
            failures.Add(Fail("Discord:ModeratorRoleId", $"'{o.ModeratorRoleId}' is not a numeric id", "a role id, or leave it empty"));
        }

        if (!o.InteractionsPath.StartsWith('/'))
        {
            failures.Add(Fail("Discord:InteractionsPath", $"'{o.InteractionsPath}' does not start with /", "a path such as /discord/interactions"));
        }

        if (o.ReconnectMinSeconds <= 0 || o.ReconnectMaxSeconds < o.ReconnectMinSeconds)
        {
            failures.Add(Fail("Discord:ReconnectMaxSeconds", "is below Discord:ReconnectMinSeconds or not positive", "positive seconds with ReconnectMinSeconds ≤ ReconnectMaxSeconds"));
        }

        if (!ShardSettings.TryParseCount(o.ShardCount, out var shardCount))
        {
            failures.Add(Fail("Discord:ShardCount", $"'{o.ShardCount}' is not auto or a whole number from 1 to {ShardSettings.MaxCount}", "auto (what Discord recommends) or the number of shards across all processes", "auto"));
        }
        else if (!ShardSettings.TryParseIds(o.ShardIds, out var shardIds))
        {
            failures.Add(Fail("Discord:ShardIds", $"'{o.ShardIds}' is not a list of shard ids", "ids and ranges such as 0-3 or 0,2 (empty: every shard)", "0-3"));
        }
        else if (shardCount is { } count && ShardSettings.CheckIdsFit(shardIds, count) is not null)
        {
            failures.Add(Fail("Discord:ShardIds", $"'{o.ShardIds}' names a shard not below Discord:ShardCount ({count})", $"ids from 0 to {count - 1}, or leave it empty to run every shard", "0-" + (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (o.QueueCapacity < 1 || o.MaxConcurrentHandlers < 1 || o.MaxRestRetries < 0)
        {
            failures.Add(Fail("Discord:QueueCapacity", "QueueCapacity, MaxConcurrentHandlers or MaxRestRetries is out of range", "positive whole numbers"));
        }

        return failures;
    }

    internal static bool IsSnowflake(string? value) => !string.IsNullOrEmpty(value) && value.Length <= 20 && value.All(char.IsAsciiDigit);

    internal static bool IsHex(string? value, int length) => value is not null && value.Length == length && value.All(char.IsAsciiHexDigit);

    private static string Fail(string key, string problem, string fix, string? example = null) => SettingProblem.Describe(key, problem, fix, example);
}
