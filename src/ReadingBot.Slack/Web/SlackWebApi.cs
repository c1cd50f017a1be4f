using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReadingBot.Slack.Web;

/// <summary>What auth.test says about our bot token (<paramref name="TeamName"/> is the workspace's name, shown on its web page).</summary>
public sealed record SlackIdentity(string TeamId, string? EnterpriseId, string UserId, string? BotId, bool IsEnterpriseInstall, string? TeamName = null);

/// <summary>
/// Slack's Web API over <see cref="HttpClient"/>: bearer auth, JSON bodies for writes and form bodies for reads,
/// ok:false mapped to <see cref="SlackApiException"/>, per-method tier limits and the per-channel post limit
/// (<see cref="RateGate"/>), 429 Retry-After honoured, and a bounded number of retries. Tokens and response_urls
/// are never logged. The external file upload flow is in SlackWebApi.Files.cs.
/// </summary>
public sealed partial class SlackWebApi(HttpClient http, IOptions<SlackOptions> options, RateGate gate, TimeProvider time, ILogger<SlackWebApi> logger)
{
    private static readonly MediaTypeHeaderValue JsonUtf8 = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    private readonly SlackOptions o = options.Value;
    private SlackIdentity? identity;

    /// <summary>Methods that take form parameters (reads), per Slack's method pages.</summary>
    private static readonly HashSet<string> FormMethods = new(StringComparer.Ordinal) { "conversations.replies", "conversations.history", "users.info", "auth.test", "apps.connections.open", "files.getUploadURLExternal" };

    /// <summary>Calls whose effect may have landed when the answer timed out; Slack has no idempotency key, so they are not resent.</summary>
    private static readonly HashSet<string> NotRepeatable = new(StringComparer.Ordinal) { "chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal" };

    /// <summary>Requests per minute per method (Slack's tiers: 1 → 1+, 2 → 20+, 3 → 50+, 4 → 100+), with a small burst.</summary>
    private static (int PerMinute, int Burst) Tier(string method) => method switch
    {
        "apps.connections.open" => (20, 3),
        "conversations.replies" => (50, 5),
        "conversations.history" => (50, 5),
        "chat.update" => (50, 5),
        "chat.postMessage" => (300, 10),
        _ => (100, 10),
    };

    public SlackIdentity? Identity => identity;

    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        var r = await CallAsync("auth.test", new JsonObject(), cancellationToken: cancellationToken);
        identity = new SlackIdentity(
            Str(r, "team_id") ?? "",
            Str(r, "enterprise_id"),
            Str(r, "user_id") ?? "",
            Str(r, "bot_id"),
            r["is_enterprise_install"]?.GetValueKind() == JsonValueKind.True,
            Str(r, "team"));
        return identity;
    }

    /// <summary>A fresh Socket Mode URL; app-level token in the header, as Slack requires.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var r = await CallAsync("apps.connections.open", new JsonObject(), useAppToken: true, cancellationToken: cancellationToken);
        var url = Str(r, "url");
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss"
            ? uri
            : throw new SlackApiException("apps.connections.open", "no_websocket_url");
    }

    public Task<JsonObject> PostMessageAsync(JsonObject message, CancellationToken cancellationToken) =>
        CallAsync("chat.postMessage", message, channel: Str(message, "channel"), cancellationToken: cancellationToken);

    public Task<JsonObject> PostEphemeralAsync(JsonObject message, CancellationToken cancellationToken) =>
        CallAsync("chat.postEphemeral", message, cancellationToken: cancellationToken);

    public Task<JsonObject> UpdateAsync(JsonObject message, CancellationToken cancellationToken) =>
        CallAsync("chat.update", message, channel: Str(message, "channel"), cancellationToken: cancellationToken);

    public Task<JsonObject> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken) =>
        CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, cancellationToken: cancellationToken);

    public Task<JsonObject> UserInfoAsync(string userId, CancellationToken cancellationToken) =>
        CallAsync("users.info", new JsonObject { ["user"] = userId }, cancellationToken: cancellationToken);

    /// <summary>The bot's direct-message channel with a member (conversations.open, scope im:write).</summary>
    public async Task<string> OpenDirectMessageAsync(string userId, CancellationToken cancellationToken)
    {
        var r = await CallAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken: cancellationToken);
        return Str(r["channel"], "id") ?? throw new SlackApiException("conversations.open", "no_channel_id");
    }

    /// <summary>Every message of a thread, parent first, following next_cursor (pages of at most 200, bounded).</summary>
    public async Task<IReadOnlyList<JsonObject>> RepliesAsync(string channel, string threadTs, CancellationToken cancellationToken, int pageSize = 200, int maxPages = 50)
    {
        var messages = new List<JsonObject>();
        string? cursor = null;
        for (var page = 0; page < maxPages; page++)
        {
            var args = new JsonObject { ["channel"] = channel, ["ts"] = threadTs, ["limit"] = pageSize };
            if (cursor is not null)
            {
                args["cursor"] = cursor;
            }

            var r = await CallAsync("conversations.replies", args, cancellationToken: cancellationToken);
            if (r["messages"] is JsonArray batch)
            {
                messages.AddRange(batch.OfType<JsonObject>());
            }

            cursor = r["response_metadata"]?["next_cursor"]?.GetValue<string>();
            if (string.IsNullOrEmpty(cursor))
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>
    /// One page of a channel's messages since <paramref name="oldest"/>, newest first, each with its metadata
    /// (conversations.history with include_all_metadata; thread replies are not in it).
    /// </summary>
    public Task<IReadOnlyList<JsonObject>> RecentMessagesAsync(string channel, DateTimeOffset oldest, int limit, CancellationToken cancellationToken) =>
        RecentAsync(channel, null, oldest, limit, cancellationToken);

    /// <summary>One page of a thread's messages since <paramref name="oldest"/> (the parent first), each with its metadata.</summary>
    public Task<IReadOnlyList<JsonObject>> RecentRepliesAsync(string channel, string threadTs, DateTimeOffset oldest, int limit, CancellationToken cancellationToken) =>
        RecentAsync(channel, threadTs, oldest, limit, cancellationToken);

    /// <summary>One page of messages since <paramref name="oldest"/> with their metadata: a thread's when <paramref name="threadTs"/> is set, else the channel's.</summary>
    private async Task<IReadOnlyList<JsonObject>> RecentAsync(string channel, string? threadTs, DateTimeOffset oldest, int limit, CancellationToken cancellationToken)
    {
        var args = new JsonObject { ["channel"] = channel };
        if (threadTs is not null)
        {
            args["ts"] = threadTs;
        }

        args["oldest"] = SlackTs(oldest);
        args["inclusive"] = true;
        args["limit"] = limit;
        args["include_all_metadata"] = true;
        var r = await CallAsync(threadTs is null ? "conversations.history" : "conversations.replies", args, cancellationToken: cancellationToken);
        return r["messages"] is JsonArray messages ? [.. messages.OfType<JsonObject>()] : [];
    }

    /// <summary>An instant as a Slack timestamp (seconds.micros), for oldest/latest.</summary>
    public static string SlackTs(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000m).ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>Answers through a response_url (5 uses in 30 minutes, no token). The URL is never logged.</summary>
    public async Task PostToResponseUrlAsync(string responseUrl, JsonObject message, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new SlackApiException("response_url", "invalid_response_url");
        }

        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(message.ToJsonString(), JsonUtf8) };
            HttpResponseMessage response;
            try
            {
                response = await SendWithTimeoutAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new SlackApiException("response_url", "connection_failed", ex);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                if (!retryable || attempt >= o.MaxRetries)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    throw new SlackApiException("response_url", body.Length is > 0 and < 64 && !body.Contains('<', StringComparison.Ordinal) ? body : $"http_{(int)response.StatusCode}");
                }

                await Task.Delay(RetryDelay(response, attempt), time, cancellationToken);
            }
        }
    }

    /// <summary>Calls a method; ok:false throws <see cref="SlackApiException"/>. 429 and 5xx are retried at most MaxRetries times.</summary>
    public async Task<JsonObject> CallAsync(string method, JsonObject args, bool useAppToken = false, string? channel = null, CancellationToken cancellationToken = default)
    {
        var token = useAppToken ? o.AppToken : o.BotToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new SlackApiException(method, "not_authed");
        }

        var (perMinute, burst) = Tier(method);
        var postsToChannel = channel is not null && method is "chat.postMessage" or "chat.update";
        for (var attempt = 0; ; attempt++)
        {
            await gate.WaitAsync("method:" + method, burst, TimeSpan.FromMinutes(1) / perMinute, cancellationToken);
            using var lane = postsToChannel
                ? await gate.EnterLaneAsync("channel:" + channel, TimeSpan.FromSeconds(o.ChannelPostIntervalSeconds), cancellationToken)
                : null;

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, method));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = FormMethods.Contains(method)
                ? new FormUrlEncodedContent(args.Select(p => new KeyValuePair<string, string>(p.Key, p.Value is JsonValue v ? v.ToString() : p.Value?.ToJsonString() ?? "")))
                : new StringContent(args.ToJsonString(), JsonUtf8);

            HttpResponseMessage response;
            try
            {
                response = await SendWithTimeoutAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
            {
                // A post that timed out may have landed: never repeat it blindly (no idempotency key on Slack).
                if (NotRepeatable.Contains(method) || attempt >= o.MaxRetries)
                {
                    throw new SlackApiException(method, ex is TimeoutException ? "timeout" : "connection_failed", ex);
                }

                await Task.Delay(Backoff(attempt), time, cancellationToken);
                continue;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryDelay(response, attempt);
                    if (postsToChannel)
                    {
                        gate.PauseLane("channel:" + channel, wait);
                    }
                    else
                    {
                        gate.Pause("method:" + method, wait);
                    }
                    if (attempt >= o.MaxRetries || wait > TimeSpan.FromSeconds(o.MaxRetryAfterSeconds))
                    {
                        throw new SlackApiException(method, "ratelimited");
                    }

                    logger.LogWarning("Slack rate-limited {Method}; retrying in {Seconds:0.#} s (attempt {Attempt})", method, wait.TotalSeconds, attempt + 1);
                    if (!postsToChannel)
                    {
                        // A channel lane waits by itself: its lease ends after the pause.
                        await Task.Delay(wait, time, cancellationToken);
                    }

                    continue;
                }

                if ((int)response.StatusCode >= 500)
                {
                    if (attempt >= o.MaxRetries)
                    {
                        throw new SlackApiException(method, $"http_{(int)response.StatusCode}");
                    }

                    logger.LogWarning("Slack answered {Method} with HTTP {Status}; retrying (attempt {Attempt})", method, (int)response.StatusCode, attempt + 1);
                    await Task.Delay(Backoff(attempt), time, cancellationToken);
                    continue;
                }

                var body = await ReadJsonAsync(method, response, cancellationToken);
                if (body["ok"]?.GetValueKind() == JsonValueKind.True)
                {
                    return body;
                }

                var error = Str(body, "error") ?? "unknown_error";
                if (error is "ratelimited" && attempt < o.MaxRetries)
                {
                    await Task.Delay(RetryDelay(response, attempt), time, cancellationToken);
                    continue;
                }

                throw new SlackApiException(method, error);
            }
        }
    }

    private Uri BaseUri => new(o.ApiBaseUrl.EndsWith('/') ? o.ApiBaseUrl : o.ApiBaseUrl + "/");

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.RequestTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Slack did not answer in time");
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new SlackApiException(method, $"http_{(int)response.StatusCode}");
        }
        catch (JsonException ex)
        {
            // Slack's edge answers some failures with an HTML page.
            throw new SlackApiException(method, $"http_{(int)response.StatusCode}", ex);
        }
    }

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return Backoff(attempt);
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(8000, 250 * Math.Pow(2, attempt)) * (0.5 + (Random.Shared.NextDouble() / 2)));

    internal static string? Str(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static string Describe(string error) => error switch
    {
        "channel_not_found" => "the channel does not exist or the bot cannot see it",
        "not_in_channel" => "the bot is not a member of the channel: invite it with /invite @ReadingBot",
        "is_archived" => "the channel is archived",
        "msg_too_long" => "the message is too long",
        "timeout" or "connection_failed" => "Slack did not answer in time, so it may or may not have gone through: check the channel before trying again",
        "file_uploads_disabled" => "file uploads are turned off in this workspace",
        "file_not_found" or "invalid_arguments" or "file_upload_size_mismatch" => "Slack did not accept the uploaded file",
        "missing_scope" => "the app lacks a permission it needs (files:write for files): reinstall it with the current manifest",
        "ratelimited" => "Slack is rate-limiting the bot; try again shortly",
        "invalid_auth" or "not_authed" or "token_revoked" or "account_inactive" => "Slack rejected the bot token",
        _ => $"Slack refused it ({error})",
    };
}
