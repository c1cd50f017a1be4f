using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>The local chat's side of the outbound port: what the bot says on its own is printed.</summary>
public sealed class LocalChatOutbound(LocalTerminal terminal, LocalFiles files) : IChatOutbound
{
    private int nextId;

    public string Platform => Platforms.Local;

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        var where = post.InThreadId is { } thread ? $"thread {thread}" : "#" + (post.ChannelId ?? "home");
        var text = post.Content is FileReply file ? files.Save(file) : PlainTextRenderer.Render(post.Content);
        string? threadId = post.InThreadId;
        if (post.ThreadTitle is not null)
        {
            threadId = "t" + id;
            text += $"\n(thread {threadId} opened: {post.ThreadTitle}; reply in it with /thread {threadId} <text>)";
        }

        terminal.WriteBlock($"[bot in {where}] {text}");
        return Task.FromResult(new PostedMessage(post.ChannelId ?? "home", id, threadId));
    }
}
