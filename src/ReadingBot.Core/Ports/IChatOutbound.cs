using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Ports;

/// <summary>
/// Something the bot says on its own: an announcement, a reminder, a digest. The scheduler hands it to
/// <see cref="OutboundMessenger"/>, which picks the adapter by the group's platform.
/// </summary>
/// <param name="Group">The group it is for (the adapter posts only within that workspace).</param>
/// <param name="ChannelId">The channel to post in; null means the group's home channel setting.</param>
/// <param name="Content">What to post.</param>
/// <param name="ThreadTitle">When set, the adapter starts a thread on the posted message with this title.</param>
/// <param name="InThreadId">When set, the message is posted inside this existing thread.</param>
public sealed record OutboundPost(GroupAddress Group, string? ChannelId, Reply Content, string? ThreadTitle = null, string? InThreadId = null)
{
    /// <summary>
    /// The durable key of a scheduled post (group, week, kind), the same on every attempt. Adapters use it to make a
    /// resend idempotent: Discord derives the message nonce from it, Slack puts it in the message metadata, the local
    /// chat records it.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>
    /// Set on a resend: when the earlier attempt of the same <see cref="Key"/> was claimed. That attempt may have
    /// reached the platform before the process died; an adapter that cannot rely on the platform to drop the copy
    /// looks for it from this time on and returns it instead of posting again.
    /// </summary>
    public DateTimeOffset? EarlierAttemptAt { get; init; }

    /// <summary>
    /// When set, the post goes to this member privately (a direct message from the bot in the group's workspace)
    /// instead of a channel; <see cref="ChannelId"/> and threads are ignored.
    /// </summary>
    public string? DirectTo { get; init; }
}

/// <summary>Where a post landed: the thread id is set when a thread was started or posted into.</summary>
public sealed record PostedMessage(string ChannelId, string MessageId, string? ThreadId);

/// <summary>The one outbound port each chat adapter implements.</summary>
public interface IChatOutbound
{
    /// <summary>The platform this adapter speaks to (see <see cref="Platforms"/>).</summary>
    string Platform { get; }

    /// <summary>Posts a message; throws <see cref="OutboundException"/> when the platform refuses (deleted channel, no access).</summary>
    Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken);
}

/// <summary>A post the platform refused or could not take; the message is safe to show to moderators.</summary>
public class OutboundException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The member does not take direct messages from the bot (closed DMs, blocked bot, Messages tab off).</summary>
public sealed class DirectMessagesClosedException(string message, Exception? inner = null) : OutboundException(message, inner);

/// <summary>Routes outbound posts to the adapter of the group's platform.</summary>
public sealed class OutboundMessenger(IEnumerable<IChatOutbound> adapters)
{
    private readonly Dictionary<string, IChatOutbound> byPlatform = adapters.ToDictionary(a => a.Platform, StringComparer.Ordinal);

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken) =>
        byPlatform.TryGetValue(post.Group.Platform, out var adapter)
            ? adapter.PostAsync(post, cancellationToken)
            : throw new OutboundException($"no chat adapter for platform '{post.Group.Platform}' is running");

    public bool Supports(string platform) => byPlatform.ContainsKey(platform);
}
