using ReadingBot.Core.Commands;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>
/// One line typed in the local chat, for the shared pipeline: a command, or (with <see cref="InThread"/>) a note in a
/// thread the bot opened. The terminal waits for <see cref="Reply"/>; null means the thread is not one of the bot's.
/// A terminal never redelivers, so there is nothing to deduplicate and no deadline.
/// </summary>
internal sealed record LocalChatItem(CommandContext Context, string Text, bool InThread) : IInboundItem
{
    public TaskCompletionSource<Reply?> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> DedupeKeys => [];

    public TimeSpan DedupeFor => TimeSpan.Zero;

    public FirstAnswer? Answer => null;

    public TenantRemoval? Removal => null;
}

/// <summary>Runs a local chat line through the dispatcher and hands the reply back to the terminal.</summary>
internal sealed class LocalChatHandler(CommandDispatcher dispatcher) : IInboundHandler<LocalChatItem>
{
    public async Task HandleAsync(LocalChatItem item, CancellationToken cancellationToken)
    {
        try
        {
            var reply = item.InThread
                ? await dispatcher.HandleThreadMessageAsync(item.Context, item.Text, cancellationToken)
                : await dispatcher.HandleTextAsync(item.Context, item.Text, cancellationToken);
            item.Reply.TrySetResult(reply);
        }
        catch (Exception ex)
        {
            item.Reply.TrySetException(ex);
            throw;
        }
    }
}
