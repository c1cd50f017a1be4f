using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using ReadingBot.Core.Inbound;

namespace ReadingBot.Discord.Interactions;

/// <summary>
/// Verifies Discord's Ed25519 signature over timestamp + raw body. Discord probes the endpoint with bad signatures
/// on purpose and drops endpoints that accept them.
/// </summary>
public sealed class InteractionSignatureVerifier
{
    private readonly PublicKey? key;

    public InteractionSignatureVerifier(IOptions<DiscordOptions> options)
    {
        var hex = options.Value.PublicKey;
        if (DiscordOptionsValidator.IsHex(hex, 64))
        {
            try
            {
                key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(hex), KeyBlobFormat.RawPublicKey);
            }
            catch (FormatException)
            {
                key = null;
            }
        }
    }

    public bool Verify(string? timestamp, ReadOnlySpan<byte> body, string? signatureHex)
    {
        if (key is null || string.IsNullOrEmpty(timestamp) || timestamp.Length > 20 || !timestamp.All(char.IsAsciiDigit)
            || !DiscordOptionsValidator.IsHex(signatureHex, 128))
        {
            return false;
        }

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var data = new byte[stamp.Length + body.Length];
        stamp.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(stamp.Length));
        return SignatureAlgorithm.Ed25519.Verify(key, data, Convert.FromHexString(signatureHex!));
    }
}

/// <summary>In Http mode the first response is the HTTP reply itself.</summary>
internal sealed class InlineResponder : IInteractionResponder
{
    private readonly TaskCompletionSource<JsonObject> response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JsonObject> Response => response.Task;

    public Task RespondAsync(JsonObject callback, CancellationToken cancellationToken)
    {
        if (!response.TrySetResult(callback))
        {
            throw new InvalidOperationException("the interaction was already answered");
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// The HTTP interactions endpoint: verify, refuse stale or replayed requests, answer PING, and hand the rest to the
/// shared pipeline; the HTTP reply is the interaction's first response (the reply, or the deferral).
/// </summary>
public sealed class HttpInteractionsEndpoint(
    InteractionSignatureVerifier verifier,
    Inbound.DiscordIngress ingress,
    DeliveryClaims claims,
    Gateway.DiscordConnectionState state,
    IOptions<DiscordOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<HttpInteractionsEndpoint> logger)
{
    private const int MaxBody = 1024 * 1024;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public async Task HandleAsync(HttpContext http)
    {
        var receivedAt = time.GetTimestamp();
        if (!options.Value.IsHttpMode)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // The signature covers the exact bytes: read them raw, before any JSON parsing.
        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var timestamp = http.Request.Headers["X-Signature-Timestamp"].ToString();
        if (!verifier.Verify(timestamp, body, http.Request.Headers["X-Signature-Ed25519"].ToString()))
        {
            await Refuse(http, "invalid request signature");
            return;
        }

        var now = time.GetUtcNow();
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is > 0 and < 100_000_000_000 ? s : 0);
        if ((now - sent).Duration() > Window)
        {
            await Refuse(http, "stale request timestamp");
            return;
        }

        JsonObject? interaction;
        try
        {
            interaction = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            interaction = null;
        }

        // Signed but malformed (wrong JSON types, missing fields): one line and a 400, never an exception in the router.
        var problem = interaction is null ? "not a JSON object" : InteractionShape.Problem(interaction);
        if (problem is not null || interaction is null)
        {
            logger.LogWarning("Refused a malformed Discord interaction: {Problem}", problem);
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("malformed interaction: " + problem, http.RequestAborted);
            return;
        }

        // A process that runs only some shards answers only its servers' interactions (DMs belong to shard 0), and
        // leaves the rest unclaimed so the process that owns them can take them: 503 lets a proxy try the next one.
        var guildId = interaction["guild_id"]?.GetValue<string>();
        if (state.Plan is { RunsAll: false } plan && !plan.Owns(guildId) && interaction["type"]!.GetValue<int>() != InteractionTypes.Ping)
        {
            logger.LogInformation("Passed on a Discord interaction for shard {Shard}, which this process ({Plan}) does not run", Gateway.ShardPlan.ShardOf(guildId, plan.Count), plan);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync("this process does not run the server's shard", http.RequestAborted);
            return;
        }

        // The body is signed, so a replay carries the same id: PINGs too are taken once, like every other type.
        var id = interaction["id"]!.GetValue<string>();
        if (!await claims.TryClaimAsync(["discord:interaction:" + id], TimeSpan.FromMinutes(15)))
        {
            logger.LogInformation("Refused a replayed Discord interaction {Id}", id);
            await Refuse(http, "replayed interaction");
            return;
        }

        if (interaction["type"]!.GetValue<int>() == InteractionTypes.Ping)
        {
            await http.Response.WriteAsJsonAsync(new JsonObject { ["type"] = InteractionTypes.Pong }, http.RequestAborted);
            return;
        }

        var responder = new InlineResponder();
        // The handler may outlive this request (a deferred reply is PATCHed later): the pipeline runs it, and this
        // request waits only for the first response. A full pipeline defers at once.
        // (The deferral of a full pipeline is answered here while the item still waits for its slot.)
        var accepting = ingress.AcceptInteractionAsync(interaction, responder, receivedAt, lifetime.ApplicationStopping);
        if (await Task.WhenAny(responder.Response, accepting) == accepting && !accepting.IsCompletedSuccessfully)
        {
            // Only when the app is stopping: nothing was taken, and Discord shows the member that it failed.
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await http.Response.WriteAsJsonAsync(await responder.Response.WaitAsync(http.RequestAborted), http.RequestAborted);
    }

    private static Task<byte[]?> ReadBodyAsync(HttpContext http) =>
        BoundedBody.ReadAsync(http.Request.Body, http.Request.ContentLength, MaxBody, http.RequestAborted);

    private static Task Refuse(HttpContext http, string reason)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return http.Response.WriteAsync(reason, http.RequestAborted);
    }
}
