using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ReadingBot.Slack.Inbound;

/// <summary>What kind of delivery Slack made.</summary>
public enum InboundKind
{
    Event,
    SlashCommand,
    Interactive,
}

/// <summary>
/// One delivery waiting for a worker. <see cref="DedupeKeys"/> come from the verified envelope (envelope_id,
/// event_id); <see cref="Ack"/> is set for slash commands, whose reply may ride on the ack.
/// </summary>
public sealed record InboundItem(InboundKind Kind, JsonObject Payload, IReadOnlyList<string> DedupeKeys, CommandAck? Ack = null, int RetryAttempt = 0);

/// <summary>
/// The bounded hand-off between the socket read loops / HTTP endpoints and the workers. A slot is reserved before
/// the ack goes out, so a full queue means "don't ack" (Slack redelivers) rather than "acked and dropped".
/// </summary>
public sealed class InboundQueue(IOptions<SlackOptions> options)
{
    private readonly Channel<InboundItem> channel = Channel.CreateUnbounded<InboundItem>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private int reserved;

    public int Capacity { get; } = options.Value.QueueCapacity;

    public int Count => Volatile.Read(ref reserved);

    /// <summary>Takes a slot; false when full.</summary>
    public bool TryReserve()
    {
        while (true)
        {
            var current = Volatile.Read(ref reserved);
            if (current >= Capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref reserved, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot that was reserved but not used.</summary>
    public void Release() => Interlocked.Decrement(ref reserved);

    /// <summary>Queues an item into a reserved slot.</summary>
    public void Enqueue(InboundItem item)
    {
        if (!channel.Writer.TryWrite(item))
        {
            Release();
        }
    }

    public async ValueTask<InboundItem> DequeueAsync(CancellationToken cancellationToken)
    {
        var item = await channel.Reader.ReadAsync(cancellationToken);
        Release();
        return item;
    }
}

/// <summary>How the ack of a slash command ended.</summary>
public enum AckOutcome
{
    /// <summary>The reply went out with the ack.</summary>
    SentWithReply,

    /// <summary>The ack had already gone out empty (the budget ran out): answer through response_url.</summary>
    AlreadyAcked,

    /// <summary>Sending the ack failed (the socket closed): answer through response_url.</summary>
    SendFailed,
}

/// <summary>
/// The single ack of one slash command. Either the worker acks with the reply, or the budget timer (started on
/// receipt, not when a worker picks the item up) acks empty first; whichever comes first wins, exactly once.
/// </summary>
public sealed class CommandAck
{
    private readonly Func<JsonObject?, Task<bool>> send;
    private int state;

    public CommandAck(Func<JsonObject?, Task<bool>> send, TimeSpan budget, TimeProvider time)
    {
        this.send = send;
        _ = AckEmptyAfterAsync(budget, time);
    }

    public bool IsAcked => Volatile.Read(ref state) != 0;

    public async Task<AckOutcome> TryAckWithReplyAsync(JsonObject reply)
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
        {
            return AckOutcome.AlreadyAcked;
        }

        return await SafeSendAsync(reply) ? AckOutcome.SentWithReply : AckOutcome.SendFailed;
    }

    public async Task AckEmptyAsync()
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) == 0)
        {
            await SafeSendAsync(null);
        }
    }

    private async Task AckEmptyAfterAsync(TimeSpan budget, TimeProvider time)
    {
        if (budget > TimeSpan.Zero)
        {
            await Task.Delay(budget, time).ConfigureAwait(false);
        }

        await AckEmptyAsync().ConfigureAwait(false);
    }

    private async Task<bool> SafeSendAsync(JsonObject? payload)
    {
        try
        {
            return await send(payload).ConfigureAwait(false);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
