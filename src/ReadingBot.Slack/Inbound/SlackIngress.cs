using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Inbound;
using ReadingBot.Slack.Socket;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Inbound;

/// <summary>
/// Takes deliveries from a socket read loop or an HTTP endpoint into the shared pipeline: reserve a slot, ack, then
/// queue. Nothing here waits on a command; the ack never waits for work. A full pipeline leaves a Socket Mode
/// envelope unacked and answers an HTTP delivery 503, so Slack delivers it again later.
/// </summary>
public sealed class SlackIngress(InboundPipeline<SlackInboundItem> queue, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackIngress> logger)
{
    private TimeSpan Budget => TimeSpan.FromSeconds(options.Value.InlineReplySeconds);

    private TimeSpan DedupeFor => TimeSpan.FromMinutes(options.Value.DedupeMinutes);

    /// <summary>A Socket Mode envelope (events_api, slash_commands, interactive), called on the read loop.</summary>
    public async Task OnEnvelopeAsync(SocketModeConnection connection, JsonObject envelope)
    {
        var receivedAt = time.GetTimestamp();
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
        var keys = new List<string> { "slack:envelope:" + envelopeId };
        if (type is "slash_commands" or "interactive" && SlackWebApi.Str(payload, "trigger_id") is { } trigger)
        {
            // A redelivery may come under a new envelope id, on another socket or to another process: the trigger stays.
            keys.Add("slack:trigger:" + trigger);
        }

        switch (type)
        {
            case "slash_commands":
                var ack = new FirstAnswer(() => connection.AckAsync(envelopeId, null), Budget, receivedAt, time);
                queue.Enqueue(new SlackInboundItem(SlackInboundKind.SlashCommand, payload, keys, DedupeFor, ack, retry) { Reply = p => connection.AckAsync(envelopeId, p) });
                return;
            case "events_api":
                if (SlackWebApi.Str(payload, "event_id") is { } eventId)
                {
                    keys.Add("slack:event:" + eventId);
                }

                await connection.AckAsync(envelopeId, null);
                queue.Enqueue(new SlackInboundItem(SlackInboundKind.Event, payload, keys, DedupeFor, RetryAttempt: retry) { Removal = SlackInboundItem.RemovalOf(payload) });
                return;
            case "interactive":
                await connection.AckAsync(envelopeId, null);
                queue.Enqueue(new SlackInboundItem(SlackInboundKind.Interactive, payload, keys, DedupeFor, RetryAttempt: retry));
                return;
            default:
                queue.Release();
                return;
        }
    }

    /// <summary>
    /// An Events API callback over HTTP. <see cref="Admission.Busy"/> when the queue is full (the endpoint answers 503
    /// and Slack retries); <see cref="Admission.Repeated"/> when <paramref name="firstUse"/> says the signed request was
    /// taken before. The slot is reserved first, so a request refused as busy is not remembered and can come again.
    /// </summary>
    public Admission AcceptEvent(JsonObject body, int retryNum, Func<bool> firstUse)
    {
        if (Admit(firstUse) is var admission and not Admission.Queued)
        {
            return admission;
        }

        var keys = new List<string>();
        if (SlackWebApi.Str(body, "event_id") is { } eventId)
        {
            keys.Add("slack:event:" + eventId);
        }

        queue.Enqueue(new SlackInboundItem(SlackInboundKind.Event, body, keys, DedupeFor, RetryAttempt: retryNum) { Removal = SlackInboundItem.RemovalOf(body) });
        return Admission.Queued;
    }

    /// <summary>A slash command over HTTP; when queued, <paramref name="response"/> gives the response body (null = empty 200) within the budget.</summary>
    public Admission AcceptCommand(JsonObject payload, Func<bool> firstUse, out Task<JsonObject?> response)
    {
        response = Task.FromResult<JsonObject?>(null);
        if (Admit(firstUse) is var admission and not Admission.Queued)
        {
            return admission;
        }

        var answer = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ack = new FirstAnswer(() => Task.FromResult(answer.TrySetResult(null)), Budget, time.GetTimestamp(), time);
        // The request waits for this answer anyway: the command runs on its thread, with no hand-off.
        queue.Enqueue(new SlackInboundItem(SlackInboundKind.SlashCommand, payload, [], DedupeFor, ack) { Reply = p => Task.FromResult(answer.TrySetResult(p)) }, runHere: true);
        response = answer.Task;
        return Admission.Queued;
    }

    /// <summary>An interactive payload over HTTP (acked by the endpoint's empty 200).</summary>
    public Admission AcceptInteraction(JsonObject payload, Func<bool> firstUse)
    {
        if (Admit(firstUse) is var admission and not Admission.Queued)
        {
            return admission;
        }

        var keys = new List<string>();
        if (SlackWebApi.Str(payload, "trigger_id") is { } trigger)
        {
            keys.Add("slack:trigger:" + trigger);
        }

        queue.Enqueue(new SlackInboundItem(SlackInboundKind.Interactive, payload, keys, DedupeFor));
        return Admission.Queued;
    }

    private Admission Admit(Func<bool> firstUse)
    {
        if (!queue.TryReserve())
        {
            return Admission.Busy;
        }

        bool first;
        try
        {
            first = firstUse();
        }
        catch
        {
            queue.Release();
            throw;
        }

        if (!first)
        {
            queue.Release();
            return Admission.Repeated;
        }

        return Admission.Queued;
    }
}

/// <summary>What became of a delivery over HTTP.</summary>
public enum Admission
{
    /// <summary>Queued for a worker.</summary>
    Queued,

    /// <summary>The queue is full: nothing was taken.</summary>
    Busy,

    /// <summary>The same signed request was taken before (a replay): nothing was done.</summary>
    Repeated,
}
