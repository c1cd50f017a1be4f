namespace ReadingBot.Slack.Web;

/// <summary>A Web API call that failed: Slack's own error code (<c>channel_not_found</c>, <c>ratelimited</c>, <c>http_503</c>, …).</summary>
public sealed class SlackApiException(string method, string error, Exception? inner = null)
    : Exception($"Slack {method} failed: {error}", inner)
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    /// <summary>The token is missing, wrong or revoked: retrying will not help, a human must fix the configuration.</summary>
    public bool IsAuthFailure => Error is "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" or "not_allowed_token_type";
}
