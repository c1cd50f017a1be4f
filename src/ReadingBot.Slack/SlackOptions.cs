using ReadingBot.Core.Settings;
using Microsoft.Extensions.Options;

namespace ReadingBot.Slack;

/// <summary>The Slack adapter's configuration (<c>Slack:*</c>). Tokens and the signing secret come from the environment or user secrets.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>), used only for apps.connections.open.</summary>
    public string? AppToken { get; set; }

    /// <summary>The bot token (<c>xoxb-…</c>) for every other Web API call.</summary>
    public string? BotToken { get; set; }

    /// <summary>Verifies requests in Http mode.</summary>
    public string? SigningSecret { get; set; }

    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary><c>Socket</c> (default) or <c>Http</c>.</summary>
    public string Mode { get; set; } = "Socket";

    /// <summary>The one slash command the app registers.</summary>
    public string Command { get; set; } = "/reading";

    /// <summary>User ids with moderator rights in every workspace, besides workspace admins and owners.</summary>
    public List<string> Moderators { get; set; } = [];

    /// <summary>How long a slash command may work before the ack goes out empty and the reply follows via response_url.</summary>
    [SettingRange(0d, 2.5, "a number from 0 to 2.5")]
    public double InlineReplySeconds { get; set; } = 2.0;

    /// <summary>
    /// Socket Mode connections this process keeps open (Slack allows 10 per app, across all processes on it, and
    /// sends each envelope to one of them). Two by default, as Slack recommends more than one: while one refreshes
    /// or reconnects, the other still receives.
    /// </summary>
    [SettingRange(1, 10, "a whole number from 1 to 10 (Slack allows 10 connections per app, counting every process)")]
    public int SocketConnections { get; set; } = 2;

    [SettingRange(0.1, 300d, "a number from 0.1 to 300")]
    public double KeepAliveSeconds { get; set; } = 10;
    [SettingRange(0.1, 300d, "a number from 0.1 to 300")]
    public double KeepAliveTimeoutSeconds { get; set; } = 15;
    [SettingRange(0.1, 300d, "a number from 0.1 to 300")]
    public double ConnectTimeoutSeconds { get; set; } = 30;
    [SettingRange(0.1, 300d, "a number from 0.1 to 300")]
    public double HelloTimeoutSeconds { get; set; } = 30;

    /// <summary>Frame watchdog: with no frame for this long the connection is replaced (new one first, so nothing is lost).</summary>
    [SettingRange(1d, 86400d, "a number from 1 to 86400")]
    public double IdleRefreshSeconds { get; set; } = 900;

    /// <summary>After a refresh or warning, the old socket is closed by us if Slack has not closed it by then.</summary>
    [SettingRange(0.1, 600d, "a number from 0.1 to 600")]
    public double RefreshGraceSeconds { get; set; } = 30;

    [SettingRange(0.01, 600d, "a number from 0.01 to 600")]
    public double ReconnectMinSeconds { get; set; } = 1;
    public double ReconnectMaxSeconds { get; set; } = 60;
    [SettingRange(0.01, 3600d, "a number from 0.01 to 3600")]
    public double TooManyWebSocketsBackoffSeconds { get; set; } = 120;

    /// <summary>Spacing of chat.postMessage/chat.update per channel (Slack allows about one per second).</summary>
    [SettingRange(0d, 60d, "a number from 0 to 60")]
    public double ChannelPostIntervalSeconds { get; set; } = 1.1;

    /// <summary>Retries of one Web API call after 429 or 5xx.</summary>
    [SettingRange(0, 10, "a number from 0 to 10")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>A 429 asking for a longer wait than this fails the call instead of blocking it.</summary>
    [SettingRange(0d, 3600d, "a number from 0 to 3600")]
    public double MaxRetryAfterSeconds { get; set; } = 60;

    [SettingRange(0.1, 300d, "a number from 0.1 to 300")]
    public double RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>How long users.info answers (admin/owner, display name) are reused.</summary>
    [SettingRange(0d, 86400d, "a number from 0 to 86400")]
    public double UserCacheSeconds { get; set; } = 300;

    /// <summary>How long event and envelope ids are remembered; Slack's last retry comes about 5 minutes after the first try.</summary>
    [SettingRange(10d, 10080d, "a number from 10 to 10080")]
    public double DedupeMinutes { get; set; } = 60;

    /// <summary>Inbound deliveries waiting for a worker; past this, socket envelopes go unacked (Slack redelivers) and HTTP gets 503.</summary>
    [SettingRange(1, 1_000_000, "a number from 1 to 1000000")]
    public int QueueCapacity { get; set; } = 1000;

    [SettingRange(1, 64, "a number from 1 to 64")]
    public int Workers { get; set; } = 4;

    /// <summary>Signed requests older (or newer) than this are refused.</summary>
    [SettingRange(1d, 300d, "a number from 1 to 300")]
    public double SignatureWindowSeconds { get; set; } = 300;

    public bool IsHttpMode => string.Equals(Mode, "Http", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the host should run the Slack adapter at all.</summary>
    public static bool IsConfigured(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{Section}:BotToken"]) || !string.IsNullOrWhiteSpace(configuration[$"{Section}:AppToken"]);
}

/// <summary>The annotations' checks for <see cref="SlackOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class SlackOptionsAnnotations : IValidateOptions<SlackOptions>;

/// <summary>
/// Checks the Slack options at start: the generated ranges plus hand-written rules annotations cannot say (the tokens
/// each mode needs, a slash command's shape, a maximum that depends on a minimum). Never echoes a secret's value.
/// </summary>
internal sealed class SlackOptionsValidator() : SettingsValidator<SlackOptions>(SlackOptions.Section, new SlackOptionsAnnotations(), Rules)
{
    private static List<string> Rules(SlackOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.BotToken) || !o.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            failures.Add(Secret("Slack:BotToken", string.IsNullOrWhiteSpace(o.BotToken) ? "is missing" : "is not a bot token (it must start with xoxb-)", "the Bot User OAuth Token from your app's OAuth & Permissions page"));
        }

        if (!o.IsHttpMode && !string.Equals(o.Mode, "Socket", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(Plain("Slack:Mode", $"'{o.Mode}' is not Socket or Http", "Socket (default) or Http"));
        }
        else if (o.IsHttpMode)
        {
            if (string.IsNullOrWhiteSpace(o.SigningSecret))
            {
                failures.Add(Secret("Slack:SigningSecret", "is missing (Http mode verifies every request with it)", "the Signing Secret from your app's Basic Information page"));
            }
        }
        else if (string.IsNullOrWhiteSpace(o.AppToken) || !o.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            failures.Add(Secret("Slack:AppToken", string.IsNullOrWhiteSpace(o.AppToken) ? "is missing (Socket mode needs it)" : "is not an app-level token (it must start with xapp-)", "an app-level token with the connections:write scope (Basic Information → App-Level Tokens)")
                + " To receive over HTTP instead, set Slack:Mode to Http and Slack:SigningSecret.");
        }

        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            failures.Add(Plain("Slack:ApiBaseUrl", $"'{o.ApiBaseUrl}' is not an http(s) URL", "https://slack.com/api/"));
        }

        if (string.IsNullOrWhiteSpace(o.Command) || !o.Command.StartsWith('/') || o.Command.Length > 32 || o.Command.Any(char.IsWhiteSpace))
        {
            failures.Add(Plain("Slack:Command", $"'{o.Command}' is not a slash command", "a command such as /reading"));
        }

        Range(failures, "Slack:ReconnectMaxSeconds", o.ReconnectMaxSeconds, o.ReconnectMinSeconds, 3600);
        return failures;
    }

    private static void Range(List<string> failures, string key, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            failures.Add(Plain(key, $"{value} is out of range", $"a number from {min} to {max}"));
        }
    }

    private static string Plain(string key, string problem, string fix) => SettingProblem.Describe(key, problem, fix);

    private static string Secret(string key, string problem, string fix) => SettingProblem.DescribeSecret(key, problem, fix);
}
