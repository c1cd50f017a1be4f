using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Slack.Inbound;

namespace ReadingBot.Slack.Http;

/// <summary>
/// The Events API, slash command and interactivity endpoints for Http mode. Every request is verified against the
/// signing secret over its raw body (401 otherwise) before anything is parsed; the tenant is read only from the
/// verified body. Events are acked with an empty 200 as soon as they are queued.
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

    private static async Task<IResult> HandleEventsAsync(HttpContext http, SlackIngress ingress, IOptions<SlackOptions> options, TimeProvider time, ILoggerFactory logs)
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
                if (!ingress.AcceptEvent(json, retry))
                {
                    logs.CreateLogger(typeof(SlackHttpEndpoints)).LogWarning("Inbound queue full; answering 503 so Slack retries the event");
                    return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
                }

                return Results.Ok();
            default:
                return Results.Ok();
        }
    }

    private static async Task<IResult> HandleCommandAsync(HttpContext http, SlackIngress ingress, IOptions<SlackOptions> options, TimeProvider time)
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

        var response = ingress.AcceptCommand(payload);
        if (response is null)
        {
            return Results.Json(new { response_type = "ephemeral", text = "ReadingBot is very busy right now; try again in a minute." });
        }

        var reply = await response;
        return reply is null ? Results.Ok() : Results.Text(reply.ToJsonString(), "application/json; charset=utf-8");
    }

    private static async Task<IResult> HandleInteractivityAsync(HttpContext http, SlackIngress ingress, IOptions<SlackOptions> options, TimeProvider time)
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

        return ingress.AcceptInteraction(payload) ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
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

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
