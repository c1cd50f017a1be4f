using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Replies;
using ReadingBot.Host.Composition;

using ReadingBot.Host.Hosting;

namespace ReadingBot.Host.Local;

/// <summary>
/// The local terminal chat: one command per line, through the same inbound pipeline, dispatcher, domain and database
/// that Discord and Slack use. Besides the shared commands it knows <c>/as &lt;name&gt;</c> (act as another member) and <c>/quit</c>.
/// With piped input it prints only replies and stops the host at the end of input.
/// </summary>
internal sealed class LocalChatService(
    LocalTerminal terminal,
    LocalFiles files,
    InboundPipeline<LocalChatItem> pipeline,
    IOptions<LocalChatOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<LocalChatService> logger) : BackgroundService
{
    private string user = options.Value.User;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (web server, scheduler) before the first prompt, so that an input that ends
        // at once does not stop the host while it is still starting.
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }
        if (terminal.Interactive)
        {
            terminal.WriteBlock("ReadingBot local chat. Type /help for commands, /as <name> to act as another member, /thread <id> <text> to write in a thread the bot opened, /quit to leave.");
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (terminal.Interactive)
                {
                    terminal.Write($"{user}> ");
                }

                var line = await terminal.ReadLineAsync(stoppingToken);
                if (line is null)
                {
                    break;
                }

                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!await HandleLineAsync(trimmed, stoppingToken))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        logger.LogDebug("Local chat input ended");
        lifetime.StopApplication();
    }

    private async Task<bool> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var words = line.TrimStart('/').Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            terminal.WriteBlock("Error: type a command after the slash, such as /help.");
            return true;
        }

        switch (words[0].ToLowerInvariant())
        {
            case "quit" or "exit":
                return false;
            case "as":
                terminal.WriteBlock(SwitchUser(words.Length > 1 ? words[1] : null));
                return true;
            case "thread":
                terminal.WriteBlock(await InThreadAsync(words.Length > 1 ? words[1] : "", cancellationToken));
                return true;
        }

        var reply = await RunAsync(new LocalChatItem(Context(), line, InThread: false), cancellationToken);
        terminal.WriteBlock(files.Render(reply!));
        return true;
    }

    /// <summary><c>/thread &lt;id&gt; &lt;text&gt;</c>: writes in a thread the bot opened, as a member would on Discord or Slack.</summary>
    private async Task<string> InThreadAsync(string rest, CancellationToken cancellationToken)
    {
        var parts = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2)
        {
            return "Error: write in a thread with /thread <thread id> <text>, e.g. /thread t1 the proof in section 3 is neat.";
        }

        var reply = await RunAsync(new LocalChatItem(Context() with { ThreadId = parts[0] }, parts[1], InThread: true), cancellationToken);
        return reply is null
            ? $"Error: {parts[0]} is not a thread the bot opened. Threads are opened by announcements and WAYR posts."
            : files.Render(reply);
    }

    /// <summary>One line at a time: the terminal waits for its reply (the pipeline pushes back by making it wait).</summary>
    private async Task<Reply?> RunAsync(LocalChatItem item, CancellationToken cancellationToken)
    {
        await pipeline.ReserveAsync(cancellationToken);
        pipeline.Enqueue(item);
        return await item.Reply.Task.WaitAsync(cancellationToken);
    }

    private string SwitchUser(string? name)
    {
        if (name is null)
        {
            return $"You are {user}{(IsModerator(user) ? " (moderator)" : "")}. Use /as <name> to switch.";
        }

        if (name.Length > 32 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '@' or '#'))
        {
            return "Error: a name is one word of at most 32 letters, digits or dashes, such as bob.";
        }

        user = name;
        return $"You are now {user}{(IsModerator(user) ? " (moderator)" : "")}.";
    }

    private bool IsModerator(string name) => options.Value.Moderators.Contains(name, StringComparer.Ordinal);

    private CommandContext Context() =>
        new(new GroupAddress(Platforms.Local, options.Value.Workspace), new Actor(user, user, IsModerator(user)), "home");
}
