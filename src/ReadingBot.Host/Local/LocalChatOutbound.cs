using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>
/// The local chat's side of the outbound port: what the bot says on its own is printed. A scheduled post (one with a
/// key) is recorded durably once printed, and a resend of the same key prints nothing and returns the first message:
/// the terminal keeps nothing itself, so this record is the dedupe. A crash in the instant between printing and
/// recording can still print the line twice (at least once, for that instant only).
/// </summary>
public sealed class LocalChatOutbound(LocalTerminal terminal, LocalFiles files, IAdapterStateStore state) : IChatOutbound
{
    private const string CounterKey = "local:lastMessageId";
    private const string PostedPrefix = "local:posted:";
    private readonly object gate = new();

    public string Platform => Platforms.Local;

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        if (post.Key is { } key && state.Get(PostedPrefix + key) is { } earlier)
        {
            var parts = earlier.Split('|');
            return Task.FromResult(new PostedMessage(parts[0], parts[1], parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null));
        }

        var id = NextId();
        var where = post.DirectTo is { } member ? $"a direct message to {member}"
            : post.InThreadId is { } thread ? $"thread {thread}" : "#" + (post.ChannelId ?? "home");
        var text = files.Render(post.Content);
        string? threadId = post.InThreadId;
        if (post.ThreadTitle is not null && post.DirectTo is null)
        {
            threadId = "t" + id;
            text += $"\n(thread {threadId} opened: {post.ThreadTitle}; reply in it with /thread {threadId} <text>)";
        }

        terminal.WriteBlock($"[bot in {where}] {text}");
        var posted = new PostedMessage(post.DirectTo is { } to ? "dm:" + to : post.ChannelId ?? "home", id, threadId);
        if (post.Key is { } postKey)
        {
            state.Set(PostedPrefix + postKey, $"{posted.ChannelId}|{posted.MessageId}|{posted.ThreadId}");
        }

        return Task.FromResult(posted);
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
