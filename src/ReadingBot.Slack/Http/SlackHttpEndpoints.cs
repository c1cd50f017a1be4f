using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Inbound;
using ReadingBot.Slack.Inbound;

namespace ReadingBot.Slack.Http;

/// <summary>
/// The Events API, slash command and interactivity endpoints for Http mode. Every request is verified against the
/// signing secret over its raw body (401 otherwise) before anything is parsed; the tenant is read only from the
/// verified body. Events are acked with an empty 200 as soon as they are queued. A signed request is taken once: the
/// same signature again (a replay) gets an empty 200 and does nothing (<see cref="SlackReplayGuard"/>).
/// </summary>
public static class SlackHttpEndpoints
{
    public const string EventsPath = "/slack/events";
    public const string CommandsPath = "/slack/commands";
    public const string InteractivityPath = "/slack/interactivity";
    private const int MaxBody = 1024 * 1024;

    /// <summary>Maps the endpoints when the Slack adapter runs in Http mode; otherwise does nothing.</summary>
    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Nothing is resolved here: options are validated when the host starts, which reports failures cleanly.
        var registered = endpoints.ServiceProvider.GetService<IServiceProviderIsService>()?.IsService(typeof(SlackIngress)) == true;
        var mode = endpoints.ServiceProvider.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?[$"{SlackOptions.Section}:Mode"];
        if (!registered || !string.Equals(mode, "Http", StringComparison.OrdinalIgnoreCase))
        {
            return endpoints;
        }

        endpoints.MapPost(EventsPath, HandleEventsAsync);
        endpoints.MapPost(CommandsPath, HandleCommandAsync);
        endpoints.MapPost(InteractivityPath, HandleInteractivityAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleEventsAsync(HttpContext http, SlackIngress ingress, SlackReplayGuard replays, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory logs)
    {
        var body = await VerifiedBodyAsync(http, options.Value, time);
        if (body is null)
        {
            return Results.Unauthorized();
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return Results.BadRequest();
        }

        switch (json["type"]?.ToString())
        {
            case "url_verification":
                return Results.Json(new { challenge = json["challenge"]?.ToString() ?? "" });
            case "event_callback" or "app_rate_limited":
                var retry = int.TryParse(http.Request.Headers["X-Slack-Retry-Num"], out var n) ? n : 0;
                switch (ingress.AcceptEvent(json, retry, FirstUse(http, replays)))
                {
                    case Admission.Busy:
                        logs.CreateLogger(typeof(SlackHttpEndpoints)).LogWarning("Inbound queue full; answering 503 so Slack retries the event");
                        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                    case Admission.Repeated:
                        return Repeated(logs, "event");
                    default:
                        return Results.Ok();
                }
            default:
                return Results.Ok();
        }
    }

    private static async Task<IResult> HandleCommandAsync(HttpContext http, SlackIngress ingress, SlackReplayGuard replays, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory logs)
    {
        var raw = await ReadBodyAsync(http);
        if (raw is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(raw));
        if (form.TryGetValue("ssl_check", out var ssl) && ssl == "1")
        {
            // Slack's certificate probe: nothing else in the body is looked at.
            return Results.Ok();
        }

        if (!Verify(http, raw, options.Value, time))
        {
            return Results.Unauthorized();
        }

        var payload = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (key != "token")
            {
                payload[key] = value.ToString();
            }
        }

        switch (ingress.AcceptCommand(payload, FirstUse(http, replays), out var response))
        {
            case Admission.Busy:
                return Results.Json(new { response_type = "ephemeral", text = "ReadingBot is very busy right now; try again in a minute." });
            case Admission.Repeated:
                return Repeated(logs, "slash command");
        }

        var reply = await response;
        return reply is null ? Results.Ok() : Results.Text(reply.ToJsonString(), "application/json; charset=utf-8");
    }

    private static async Task<IResult> HandleInteractivityAsync(HttpContext http, SlackIngress ingress, SlackReplayGuard replays, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory logs)
    {
        var raw = await VerifiedBodyAsync(http, options.Value, time);
        if (raw is null)
        {
            return Results.Unauthorized();
        }

        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(raw));
        JsonObject? payload = null;
        try
        {
            payload = form.TryGetValue("payload", out var p) ? JsonNode.Parse(p.ToString()) as JsonObject : null;
        }
        catch (JsonException)
        {
        }

        if (payload is null)
        {
            return Results.BadRequest();
        }

        return ingress.AcceptInteraction(payload, FirstUse(http, replays)) switch
        {
            Admission.Busy => Results.StatusCode(StatusCodes.Status503ServiceUnavailable),
            Admission.Repeated => Repeated(logs, "interaction"),
            _ => Results.Ok(),
        };
    }

    // Only a verified request gets here, so its signature is the HMAC of its own timestamp and body.
    private static Func<bool> FirstUse(HttpContext http, SlackReplayGuard replays) => () => replays.TryFirstUse(
        http.Request.Headers["X-Slack-Request-Timestamp"].ToString(),
        http.Request.Headers["X-Slack-Signature"].ToString());

    /// <summary>
    /// A signed request seen before: a replay (the signature window alone would let it run again for five minutes)
    /// or Slack resending the very same request. An empty 200 does nothing, tells an attacker nothing, and stops a
    /// genuine resend from being retried.
    /// </summary>
    private static IResult Repeated(ILoggerFactory logs, string kind)
    {
        logs.CreateLogger(typeof(SlackHttpEndpoints)).LogWarning("Skipping a repeated Slack delivery: this signed {Kind} request was already taken; answered 200, nothing done", kind);
        return Results.Ok();
    }

    private static async Task<byte[]?> VerifiedBodyAsync(HttpContext http, SlackOptions options, TimeProvider time)
    {
        var raw = await ReadBodyAsync(http);
        return raw is not null && Verify(http, raw, options, time) ? raw : null;
    }

    private static bool Verify(HttpContext http, byte[] raw, SlackOptions options, TimeProvider time) =>
        SlackSignature.Verify(
            options.SigningSecret ?? "",
            http.Request.Headers["X-Slack-Request-Timestamp"].ToString(),
            http.Request.Headers["X-Slack-Signature"].ToString(),
            raw,
            time.GetUtcNow(),
            TimeSpan.FromSeconds(options.SignatureWindowSeconds));

    private static Task<byte[]?> ReadBodyAsync(HttpContext http) =>
        BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, MaxBody, http.RequestAborted);
}
