namespace ReadingBot.Core.Inbound;

/// <summary>How the first answer of a delivery went.</summary>
public enum AnswerOutcome
{
    /// <summary>The reply itself was the first answer.</summary>
    SentWithReply,

    /// <summary>The stand-in (an empty ack, a deferral) had gone out first: follow up the platform's other way.</summary>
    AlreadyAnswered,

    /// <summary>Sending the reply failed (a closed socket, an HTTP error): follow up the platform's other way.</summary>
    SendFailed,
}

/// <summary>
/// The one answer a platform waits for within its deadline (Slack's ack, Discord's interaction callback, both 3 s).
/// Either the reply goes out as that answer, because it was ready in time, or, when the budget counted from the
/// delivery's arrival runs out first, a stand-in does (an empty ack; "thinking…"), from a timer, so a handler busy on
/// the store never holds it back. Exactly one of the two is sent.
/// </summary>
public sealed class FirstAnswer : IDisposable
{
    private readonly Func<Task<bool>> sendStandIn;
    private readonly TaskCompletionSource standInSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer? timer;
    private int state;

    /// <param name="sendStandIn">Sends the stand-in; true when it was sent.</param>
    /// <param name="budget">How long the platform may wait, counted from <paramref name="receivedAt"/>.</param>
    /// <param name="receivedAt">A <see cref="TimeProvider.GetTimestamp"/> of the delivery's arrival.</param>
    /// <param name="time">The clock of the budget.</param>
    public FirstAnswer(Func<Task<bool>> sendStandIn, TimeSpan budget, long receivedAt, TimeProvider time)
    {
        this.sendStandIn = sendStandIn;
        var left = budget - time.GetElapsedTime(receivedAt);
        if (left <= TimeSpan.Zero)
        {
            _ = SendStandInAsync();
            return;
        }

        timer = time.CreateTimer(static s => _ = ((FirstAnswer)s!).SendStandInAsync(), this, left, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True once either answer has been taken.</summary>
    public bool IsAnswered => Volatile.Read(ref state) != 0;

    /// <summary>Completes when the stand-in has been sent (or failed), so a follow-up goes after it, never before.</summary>
    public Task StandInSent => standInSent.Task;

    /// <summary>
    /// Sends <paramref name="sendReply"/> as the answer unless the stand-in went first (then waits until it has gone,
    /// so a follow-up never overtakes it). An exception from <paramref name="sendReply"/> reaches the caller.
    /// </summary>
    public async Task<AnswerOutcome> TrySendReplyAsync(Func<Task<bool>> sendReply)
    {
        if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
        {
            await StandInSent.ConfigureAwait(false);
            return AnswerOutcome.AlreadyAnswered;
        }

        timer?.Dispose();
        return await sendReply().ConfigureAwait(false) ? AnswerOutcome.SentWithReply : AnswerOutcome.SendFailed;
    }

    /// <summary>Sends the stand-in now unless an answer went already (a skipped or failed delivery, a full queue).</summary>
    public async Task SendStandInAsync()
    {
        if (Interlocked.CompareExchange(ref state, 2, 0) != 0)
        {
            return;
        }

        timer?.Dispose();
        try
        {
            await sendStandIn().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A stand-in that could not be sent leaves the follow-up to fail the same way, and say so.
        }

        standInSent.TrySetResult();
    }

    /// <summary>Sends nothing, ever: the platform has its answer already (a redelivery of one answered before).</summary>
    public void Abandon()
    {
        if (Interlocked.CompareExchange(ref state, 3, 0) == 0)
        {
            timer?.Dispose();
            standInSent.TrySetResult();
        }
    }

    public void Dispose() => timer?.Dispose();
}
