using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>The local chat's side of the outbound port: what the bot says on its own is printed.</summary>
public sealed class LocalChatOutbound(LocalTerminal terminal, LocalFiles files, IAdapterStateStore state) : IChatOutbound
{
    private const string CounterKey = "local:lastMessageId";
    private readonly object gate = new();

    public string Platform => Platforms.Local;

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        var id = NextId();
        var where = post.InThreadId is { } thread ? $"thread {thread}" : "#" + (post.ChannelId ?? "home");
        var text = files.Render(post.Content);
        string? threadId = post.InThreadId;
        if (post.ThreadTitle is not null)
        {
            threadId = "t" + id;
            text += $"\n(thread {threadId} opened: {post.ThreadTitle}; reply in it with /thread {threadId} <text>)";
        }

        terminal.WriteBlock($"[bot in {where}] {text}");
        return Task.FromResult(new PostedMessage(post.ChannelId ?? "home", id, threadId));
    }

    // Message and thread ids survive restarts, so a new thread never takes over an old thread's link.
    private string NextId()
    {
        lock (gate)
        {
            var next = (long.TryParse(state.Get(CounterKey), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0) + 1;
            state.Set(CounterKey, next.ToString(CultureInfo.InvariantCulture));
            return next.ToString(CultureInfo.InvariantCulture);
        }
    }
}
