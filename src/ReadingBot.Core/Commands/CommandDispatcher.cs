using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Commands;

/// <summary>
/// The entry point every adapter calls: binds a command (from text or from platform options), resolves the group
/// and member, checks moderator rights, routes it, and turns failures into a friendly reply.
/// </summary>
public sealed class CommandDispatcher(
    TextCommandParser parser,
    GroupDirectory directory,
    Ports.IThreadLinkStore threads,
    CommandRouter router,
    ILogger<CommandDispatcher> logger)
{
    /// <summary>Runs a command typed in the shared text grammar (local chat, Slack, buttons).</summary>
    public Task<Reply> HandleTextAsync(CommandContext context, string line, CancellationToken cancellationToken) =>
        HandleAsync(context, parser.Parse(line), cancellationToken);

    /// <summary>Runs a command whose options arrived already split (Discord slash commands).</summary>
    public Task<Reply> HandleOptionsAsync(CommandContext context, CommandSpec spec, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken) =>
        HandleAsync(context, CommandBinder.Bind(spec, options), cancellationToken);

    /// <summary>
    /// A member wrote in a thread (not a command). If the bot opened that thread, the message becomes a discussion
    /// note or a WAYR post through the same commands members type; otherwise returns null and nothing happens.
    /// </summary>
    public async Task<Reply?> HandleThreadMessageAsync(CommandContext context, string text, CancellationToken cancellationToken)
    {
        if (context.ThreadId is null || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var link = threads.Find(context.Group.Id, context.ThreadId);
        if (link is null)
        {
            return null;
        }

        var command = link.Purpose == Ports.ThreadPurpose.Discussion ? "discuss" : "wayr post";
        return await HandleTextAsync(context, $"{command} {text}", cancellationToken);
    }

    public async Task<Reply> HandleAsync(CommandContext context, BindResult bound, CancellationToken cancellationToken)
    {
        if (bound.Error is not null || bound.Spec is null || bound.Command is null)
        {
            return new ErrorReply(bound.Error ?? "That command could not be read. Type /help for the list.");
        }

        var spec = bound.Spec;
        try
        {
            var group = directory.EnsureGroup(context.Group);
            var member = directory.EnsureMember(group.Id, context.Actor);
            var isModerator = GroupDirectory.IsModerator(group, context.Actor);
            if (spec.ModeratorOnly && !isModerator)
            {
                return new ErrorReply($"/{spec.Path} is for moderators only. Ask a moderator of this group to run it.");
            }

            var reply = await router.RouteAsync(new Invocation(context, group, member, isModerator), spec, bound.Command, cancellationToken);
            return spec.Ephemeral && !reply.Ephemeral ? reply with { Ephemeral = true } : reply;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Command /{Path} failed in group {Group}", spec.Path, context.Group.Id);
            return new ErrorReply("Something went wrong on our side and nothing was changed. Try again in a moment; if it keeps failing, tell the bot's admin.");
        }
    }
}
