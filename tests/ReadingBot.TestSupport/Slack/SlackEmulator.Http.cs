using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReadingBot.TestSupport.Slack;

public sealed partial class SlackEmulator
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Slack's v0 signature of a body at a timestamp, with the emulator's signing secret.</summary>
    public string Sign(string timestamp, byte[] body)
    {
        var data = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret), data));
    }

    public string Timestamp(DateTimeOffset? at = null) => (at ?? Options.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Posts a request to the bot as Slack would (signed), or with the headers the caller gives (forgeries).</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> PostToBotAsync(string path, byte[] body, string contentType, string? timestamp = null, string? signature = null, IDictionary<string, string>? headers = null, TimeSpan? timeout = null)
    {
        var target = Options.HttpTarget ?? throw new InvalidOperationException("set SlackEmulatorOptions.HttpTarget to the bot's base URL");
        timestamp ??= Timestamp();
        signature ??= Sign(timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, path.TrimStart('/')));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        if (timestamp.Length > 0)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        }

        if (signature.Length > 0)
        {
            request.Headers.Add("X-Slack-Signature", signature);
        }

        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(key, value);
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var response = await Http.SendAsync(request, cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        return ((int)response.StatusCode, text, response);
    }

    /// <summary>url_verification: returns the challenge the bot echoed.</summary>
    public async Task<string?> VerifyUrlAsync(string challenge)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = "deprecated", ["challenge"] = challenge, ["type"] = "url_verification" }.ToJsonString());
        var (status, text, _) = await PostToBotAsync("slack/events", body, "application/json");
        if (status != 200)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text)?["challenge"]?.ToString();
        }
        catch (JsonException)
        {
            return text;
        }
    }

    /// <summary>
    /// Sends a delivery over HTTP like Slack: signed, 3 s to answer, then retries (X-Slack-Retry-Num/Reason) on the
    /// configured schedule unless a non-2xx answer carried X-Slack-No-Retry: 1.
    /// </summary>
    private Task<SlackDelivery> SendHttpAsync(string type, JsonObject payload, string? eventId, int firstRetry = 0, bool retry = true)
    {
        var delivery = new SlackDelivery { Type = type, Payload = payload, EventId = eventId, CreatedAt = Options.Time.GetUtcNow(), AcceptsResponsePayload = type == "slash_commands", RetryAttempt = firstRetry };
        lock (gate)
        {
            deliveries.Add(delivery);
            if (payload["response_url"]?.ToString() is { } url && responseUrls.TryGetValue(url[(url.LastIndexOf('/') + 1)..], out var state))
            {
                state.Delivery = delivery;
            }
        }

        _ = RunHttpDeliveryAsync(delivery, type, payload, firstRetry, retry);
        return Task.FromResult(delivery);
    }

    private async Task RunHttpDeliveryAsync(SlackDelivery delivery, string type, JsonObject payload, int retryNum, bool retry)
    {
        var (path, body, contentType) = type switch
        {
            "slash_commands" => ("slack/commands", Encoding.UTF8.GetBytes(Form(payload)), "application/x-www-form-urlencoded"),
            "interactive" => ("slack/interactivity", Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString())), "application/x-www-form-urlencoded"),
            _ => ("slack/events", Encoding.UTF8.GetBytes(payload.ToJsonString()), "application/json"),
        };

        var reason = "";
        while (true)
        {
            var headers = new Dictionary<string, string>();
            if (retryNum > 0)
            {
                headers["X-Slack-Retry-Num"] = retryNum.ToString(CultureInfo.InvariantCulture);
                headers["X-Slack-Retry-Reason"] = reason;
            }

            var watch = Stopwatch.StartNew();
            int status;
            string text = "";
            var noRetry = false;
            try
            {
                var (s, t, response) = await PostToBotAsync(path, body, contentType, headers: headers, timeout: Options.HttpAckTimeout);
                using (response)
                {
                    status = s;
                    text = t;
                    noRetry = response.Headers.TryGetValues("X-Slack-No-Retry", out var v) && v.Contains("1");
                }
            }
            catch (OperationCanceledException)
            {
                status = 0;
                reason = "http_timeout";
            }
            catch (HttpRequestException)
            {
                status = 0;
                reason = "connection_failed";
            }

            if (type == "events_api" && status != 0 && TakeLostAnswer())
            {
                status = 0;
                reason = "http_timeout";
            }

            delivery.AddHttpAttempt(new HttpAttempt(retryNum, status, watch.Elapsed, noRetry, text));
            if (status is >= 200 and < 300)
            {
                delivery.AddAck(new AckRecord("http", 0, Options.Time.GetUtcNow(), null, false));
                if (type == "slash_commands" && text.Length > 0 && JsonNode.Parse(text) is JsonObject reply && TryContent(reply, out var rt, out var rb, out _))
                {
                    ShowResponse(payload["team_id"]!.ToString(), payload["channel_id"]!.ToString(), payload["user_id"]!.ToString(), reply, rt, rb);
                    delivery.AddResponse(reply);
                }

                delivery.Finish();
                return;
            }

            if (status != 0)
            {
                reason = "http_error";
            }

            // Slash commands and interactions are not retried by Slack; events are, up to three times.
            if (!retry || type != "events_api" || noRetry || retryNum >= Options.HttpRetryDelays.Length)
            {
                delivery.Finish();
                return;
            }

            await Task.Delay(Options.HttpRetryDelays[retryNum], Options.Time);
            retryNum++;
            delivery.RetryAttempt = retryNum;
        }
    }

    private bool TakeLostAnswer()
    {
        lock (gate)
        {
            if (Options.LoseNextHttpAnswers <= 0)
            {
                return false;
            }

            Options.LoseNextHttpAnswers--;
            return true;
        }
    }

    private static string Form(JsonObject payload) =>
        string.Join("&", payload.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value?.ToString() ?? "")));
}
