using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Slack.Socket;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Inbound;

/// <summary>
/// Takes deliveries from a socket read loop or an HTTP endpoint: reserve a queue slot, ack, then queue. Nothing
/// here waits on a command; the ack never waits for work.
/// </summary>
public sealed class SlackIngress(InboundQueue queue, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackIngress> logger)
{
    private TimeSpan Budget => TimeSpan.FromSeconds(options.Value.InlineReplySeconds);

    /// <summary>A Socket Mode envelope (events_api, slash_commands, interactive), called on the read loop.</summary>
    public async Task OnEnvelopeAsync(SocketModeConnection connection, JsonObject envelope)
    {
        var envelopeId = SlackWebApi.Str(envelope, "envelope_id");
        var type = SlackWebApi.Str(envelope, "type");
        if (envelopeId is null || envelope["payload"] is not JsonObject payload)
        {
            logger.LogDebug("Ignoring a Socket Mode envelope without envelope_id or payload");
            return;
        }

        if (!queue.TryReserve())
        {
            // Unacked on purpose: Slack redelivers later, when the workers have caught up.
            logger.LogWarning("Inbound queue full ({Capacity}); leaving a {Type} envelope unacked for redelivery", queue.Capacity, type);
            return;
        }

        var retry = envelope["retry_attempt"] is JsonValue r && r.TryGetValue<int>(out var n) ? n : 0;
        var keys = new List<string> { "envelope:" + envelopeId };
        switch (type)
        {
            case "slash_commands":
                var ack = new CommandAck(p => connection.AckAsync(envelopeId, p), Budget, time);
                queue.Enqueue(new InboundItem(InboundKind.SlashCommand, payload, keys, ack, retry));
                return;
            case "events_api":
                if (SlackWebApi.Str(payload, "event_id") is { } eventId)
                {
                    keys.Add("event:" + eventId);
                }

                await connection.AckAsync(envelopeId, null);
                queue.Enqueue(new InboundItem(InboundKind.Event, payload, keys, RetryAttempt: retry));
                return;
            case "interactive":
                await connection.AckAsync(envelopeId, null);
                queue.Enqueue(new InboundItem(InboundKind.Interactive, payload, keys, RetryAttempt: retry));
                return;
            default:
                queue.Release();
                return;
        }
    }

    /// <summary>An Events API callback over HTTP; false when the queue is full (the endpoint answers 503 and Slack retries).</summary>
    public bool AcceptEvent(JsonObject body, int retryNum)
    {
        if (!queue.TryReserve())
        {
            return false;
        }

        var keys = new List<string>();
        if (SlackWebApi.Str(body, "event_id") is { } eventId)
        {
            keys.Add("event:" + eventId);
        }

        queue.Enqueue(new InboundItem(InboundKind.Event, body, keys, RetryAttempt: retryNum));
        return true;
    }

    /// <summary>A slash command over HTTP; the returned task gives the response body (null = empty 200) within the budget.</summary>
    public Task<JsonObject?>? AcceptCommand(JsonObject payload)
    {
        if (!queue.TryReserve())
        {
            return null;
        }

        var response = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ack = new CommandAck(p => Task.FromResult(response.TrySetResult(p)), Budget, time);
        queue.Enqueue(new InboundItem(InboundKind.SlashCommand, payload, [], ack));
        return response.Task;
    }

    /// <summary>An interactive payload over HTTP (acked by the endpoint's empty 200).</summary>
    public bool AcceptInteraction(JsonObject payload)
    {
        if (!queue.TryReserve())
        {
            return false;
        }

        var keys = new List<string>();
        if (SlackWebApi.Str(payload, "trigger_id") is { } trigger)
        {
            keys.Add("trigger:" + trigger);
        }

        queue.Enqueue(new InboundItem(InboundKind.Interactive, payload, keys));
        return true;
    }
}
