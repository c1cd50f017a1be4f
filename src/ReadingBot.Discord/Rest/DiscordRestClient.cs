using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReadingBot.Discord.Rest;

/// <summary>A file to upload with a message (multipart/form-data); the description is its alt text.</summary>
public sealed record RestFile(string FileName, string ContentType, byte[] Content, string? Description = null);

/// <summary>A refusal from Discord's REST API: the HTTP status, Discord's JSON error code and message.</summary>
public class DiscordRestException(HttpStatusCode status, int code, string message, string? errors = null)
    : Exception($"Discord answered {(int)status} (code {code}): {message}{(errors is null ? "" : " " + errors)}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Discord's error code (10003 unknown channel, 50035 invalid form body, 160004 thread exists, …).</summary>
    public int Code { get; } = code;

    public string DiscordMessage { get; } = message;
}

/// <summary>401: the token was reset or revoked; nothing more may be sent with it.</summary>
public sealed class DiscordUnauthorizedException(string route)
    : DiscordRestException(HttpStatusCode.Unauthorized, 0, $"the bot token was rejected on {route}. Reset it in the Developer Portal and set Discord:Token (READINGBOT_Discord__Token).");

/// <summary>
/// Discord's REST API: bot authorisation, the required User-Agent, rate limits (see <see cref="DiscordRateLimiter"/>),
/// bounded retries on 429 and 5xx, and the mention guard: every message body leaves with allowed_mentions.
/// </summary>
public sealed class DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, DiscordRateLimiter limiter, TimeProvider time, ILogger<DiscordRestClient> logger)
{
    private static readonly string Version = typeof(DiscordRestClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
    private readonly DiscordOptions settings = options.Value;

    /// <summary>Counts of what the client saw, for health and tests.</summary>
    public int RateLimitedResponses => rateLimited;

    private int rateLimited;

    public string UserAgent => $"DiscordBot ({settings.UserAgentUrl}, {Version})";

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>
    /// Sends one request and returns the parsed body (null for 204). Retries 429 (after the larger of header and body
    /// retry_after) and 502/5xx/timeouts for requests that are safe to repeat; throws <see cref="DiscordRestException"/>.
    /// </summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, RestFile? file, CancellationToken cancellationToken)
    {
        var route = RouteInfo.Classify(method.Method, path);
        MentionGuard.Apply(body);
        var repeatable = method != HttpMethod.Post
            || (body is JsonObject o && o["nonce"] is not null && o["enforce_nonce"]?.GetValue<bool>() == true);
        var baseUrl = settings.ApiBaseUrl.TrimEnd('/') + "/";
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            Dictionary<string, string> headers;
            string text;
            using (await limiter.AcquireAsync(route, cancellationToken))
            {
                using var request = new HttpRequestMessage(method, baseUrl + path);
                if (!route.Template.StartsWith("interactions", StringComparison.Ordinal) && !route.Template.StartsWith("webhooks", StringComparison.Ordinal))
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Bot " + settings.Token);
                }

                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                request.Content = Content(body, file);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(settings.RestTimeoutSeconds));
                try
                {
                    response = await http.SendAsync(request, timeout.Token);
                    text = await response.Content.ReadAsStringAsync(timeout.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    if (!repeatable || attempt >= settings.MaxRestRetries)
                    {
                        throw new DiscordRestException(HttpStatusCode.ServiceUnavailable, 0, $"{route.Key} failed: {ex.GetType().Name}");
                    }

                    logger.LogWarning("Discord {Route} failed ({Error}); retrying", route.Key, ex.GetType().Name);
                    await Task.Delay(ServerErrorDelay(attempt), time, cancellationToken);
                    continue;
                }

                headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
                limiter.Update(route, headers);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return text.Length == 0 ? null : JsonNode.Parse(text);
                }

                if (status == 429)
                {
                    Interlocked.Increment(ref rateLimited);
                    var (retryAfter, global) = RetryAfter(headers, text);
                    limiter.OnRateLimited(route, retryAfter, global);
                    if (attempt >= settings.MaxRestRetries)
                    {
                        throw new DiscordRestException(response.StatusCode, 0, $"{route.Key} is still rate limited after {attempt + 1} tries");
                    }

                    logger.LogWarning("Discord rate limited {Route} ({Scope}) for {Seconds:0.###} s", route.Key, global ? "global" : "bucket", retryAfter.TotalSeconds);
                    continue;
                }

                if (status == 401)
                {
                    throw new DiscordUnauthorizedException(route.Key);
                }

                if (status >= 500 && repeatable && attempt < settings.MaxRestRetries)
                {
                    logger.LogWarning("Discord answered {Status} on {Route}; retrying", status, route.Key);
                    await Task.Delay(ServerErrorDelay(attempt), time, cancellationToken);
                    continue;
                }

                throw Error(response.StatusCode, text);
            }
        }
    }

    /// <summary>The delay a 429 asks for: the larger of the Retry-After header and the body's retry_after (they can disagree).</summary>
    public static (TimeSpan Delay, bool Global) RetryAfter(IReadOnlyDictionary<string, string> headers, string body)
    {
        double seconds = 0;
        if (headers.TryGetValue("Retry-After", out var header) && double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var h))
        {
            seconds = h;
        }

        var global = headers.TryGetValue("X-RateLimit-Global", out var g) && g.Equals("true", StringComparison.OrdinalIgnoreCase)
            || headers.TryGetValue("X-RateLimit-Scope", out var scope) && scope == "global";
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                if (json["retry_after"] is JsonValue v && v.TryGetValue<double>(out var b))
                {
                    seconds = Math.Max(seconds, b);
                }

                global |= json["global"] is JsonValue gv && gv.TryGetValue<bool>(out var gb) && gb;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        // A missing value should not turn into a hot retry loop.
        return (TimeSpan.FromSeconds(Math.Clamp(seconds, 0.05, 3600)), global);
    }

    private TimeSpan ServerErrorDelay(int attempt) =>
        TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble()));

    private static HttpContent? Content(JsonNode? body, RestFile? file)
    {
        if (file is null)
        {
            return body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var multipart = new MultipartFormDataContent();
        var json = body as JsonObject ?? [];
        var target = json["data"] is JsonObject data && json["type"] is not null ? data : json;
        var attachment = new JsonObject { ["id"] = 0, ["filename"] = file.FileName };
        if (file.Description is { Length: > 0 } description)
        {
            attachment["description"] = description;
        }

        target["attachments"] = new JsonArray(attachment);
        var payload = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
        multipart.Add(payload, "payload_json");
        var bytes = new ByteArrayContent(file.Content);
        bytes.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
        multipart.Add(bytes, "files[0]", file.FileName);
        return multipart;
    }

    private static DiscordRestException Error(HttpStatusCode status, string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject json)
            {
                var code = json["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
                return new DiscordRestException(status, code, json["message"]?.ToString() ?? "", json["errors"]?.ToJsonString());
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return new DiscordRestException(status, 0, text.Length > 200 ? text[..200] : text);
    }
}

/// <summary>
/// Regular messages ping @everyone, roles and users by default. Every message-bearing body leaves with
/// <c>allowed_mentions: {"parse": []}</c> unless it already names what it may ping.
/// </summary>
public static class MentionGuard
{
    public static void Apply(JsonNode? body)
    {
        if (body is not JsonObject json)
        {
            return;
        }

        if (json["type"] is not null && json["data"] is JsonObject data)
        {
            if (json["type"]!.GetValue<int>() is 4 or 7)
            {
                Ensure(data);
            }

            return;
        }

        if (json.ContainsKey("content") || json.ContainsKey("embeds") || json.ContainsKey("components") || json.ContainsKey("attachments"))
        {
            Ensure(json);
        }
    }

    private static void Ensure(JsonObject message)
    {
        if (message["allowed_mentions"] is not JsonObject)
        {
            message["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() };
        }
    }
}
