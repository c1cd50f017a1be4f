using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Rendering;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack;

/// <summary>
/// Posts what the bot says on its own. A post without a channel goes to the group's home channel setting; a post
/// with a thread title becomes a thread parent whose ts is the thread id; a post into a thread uses thread_ts.
/// Posts only within the workspace the bot token belongs to. A scheduled post carries its durable key in the message
/// metadata; chat.postMessage has no idempotency key, so before a resend (the earlier attempt may have landed before
/// the process died) the adapter looks for that key in the channel's (or thread's) recent messages and returns the
/// message it finds instead of posting again.
/// </summary>
public sealed class SlackOutbound(SlackWebApi api, IGroupStore groups, ILogger<SlackOutbound> logger) : IChatOutbound
{
    /// <summary>The metadata event type of the bot's scheduled posts; the payload is <c>{"key": "&lt;durable key&gt;"}</c>.</summary>
    public const string PostEventType = "readingbot_post";

    /// <summary>How many recent messages a resend looks through for its earlier attempt (one page of history).</summary>
    private const int LookupWindow = 100;

    /// <summary>How far before the earlier claim the lookup starts: the claim's clock and Slack's may differ a little.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public string Platform => Platforms.Slack;

    public async Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        var me = api.Identity ?? await IdentityAsync(cancellationToken);
        if (post.Group.Workspace != me.TeamId && post.Group.Workspace != me.EnterpriseId)
        {
            throw new OutboundException($"This bot is installed in Slack workspace {me.TeamId}, not {post.Group.Workspace}; it cannot post there.");
        }

        if (post.DirectTo is { } member)
        {
            post = post with { ChannelId = await DirectChannelAsync(member, cancellationToken), InThreadId = null, ThreadTitle = null, DirectTo = null };
        }

        string? threadTs = null;
        var channel = post.ChannelId;
        if (post.InThreadId is { Length: > 0 } threadId)
        {
            var (threadChannel, ts) = SlackThreadId.Parse(threadId);
            channel = threadChannel ?? channel;
            threadTs = ts;
        }

        channel ??= HomeChannel(post.Group);
        if (post.Content is FileReply file && !file.Ephemeral)
        {
            return await PostFileAsync(post, file, channel, threadTs, cancellationToken);
        }

        if (post.Key is { } earlierKey && post.EarlierAttemptAt is { } earlierAt
            && await FindEarlierAsync(channel, threadTs, earlierKey, earlierAt, me, cancellationToken) is { } landed)
        {
            logger.LogInformation("Slack channel {Channel} already has the post {Key} (ts {Ts}); not posting it again", channel, earlierKey, landed);
            var earlierThread = post.ThreadTitle is not null ? SlackThreadId.Format(channel, landed)
                : threadTs is not null ? SlackThreadId.Format(channel, threadTs)
                : null;
            return new PostedMessage(channel, landed, earlierThread);
        }

        var message = BlockKitRenderer.Render(post.Content, post.ThreadTitle).ToJson();
        message["channel"] = channel;
        message["unfurl_links"] = false;
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        if (post.Key is { } key)
        {
            message["metadata"] = new JsonObject { ["event_type"] = PostEventType, ["event_payload"] = new JsonObject { ["key"] = key } };
        }

        JsonObject result;
        try
        {
            result = await api.PostMessageAsync(message, cancellationToken);
        }
        catch (SlackApiException ex)
        {
            throw new OutboundException($"Could not post to Slack channel {channel}: {SlackWebApi.Describe(ex.Error)}.", ex);
        }

        var postedChannel = SlackWebApi.Str(result, "channel") ?? channel;
        var postedTs = SlackWebApi.Str(result, "ts") ?? throw new OutboundException("Slack accepted the post but returned no ts.");
        var thread = post.ThreadTitle is not null ? SlackThreadId.Format(postedChannel, postedTs)
            : threadTs is not null ? SlackThreadId.Format(postedChannel, threadTs)
            : null;
        if (SlackFiles.PictureOf(post.Content) is { } picture && !post.Content.Ephemeral)
        {
            await SharePictureAsync(picture, postedChannel, post.ThreadTitle is not null ? postedTs : threadTs, cancellationToken);
        }

        return new PostedMessage(postedChannel, postedTs, thread);
    }

    /// <summary>
    /// Shares a file in the channel or thread. With a thread title, a parent message carrying the title and caption is
    /// posted first and the file goes into its thread, so the post still opens a thread as the caller asked.
    /// </summary>
    private async Task<PostedMessage> PostFileAsync(OutboundPost post, FileReply file, string channel, string? threadTs, CancellationToken cancellationToken)
    {
        string? parentTs = null;
        if (post.ThreadTitle is not null)
        {
            var parent = await PostAsync(post with { Content = new TextReply(file.Caption), InThreadId = threadTs is null ? null : SlackThreadId.Format(channel, threadTs), ChannelId = channel }, cancellationToken);
            parentTs = parent.MessageId;
            threadTs ??= parentTs;
        }

        UploadedFile uploaded;
        try
        {
            var upload = SlackFiles.Upload(file, channel, threadTs);
            uploaded = await api.UploadFileAsync(parentTs is null ? upload : upload with { InitialComment = null }, cancellationToken);
        }
        catch (SlackApiException ex)
        {
            throw new OutboundException($"Could not share {file.FileName} in Slack channel {channel}: {SlackWebApi.Describe(ex.Error)}.", ex);
        }

        var thread = threadTs is not null ? SlackThreadId.Format(channel, threadTs) : null;
        return new PostedMessage(channel, parentTs ?? uploaded.MessageTs ?? uploaded.FileId, thread);
    }

    /// <summary>
    /// The card's picture follows it in the same place. The card is already posted, so a refused upload is not a failed
    /// post: retrying would post the card twice.
    /// </summary>
    private async Task SharePictureAsync(FileReply picture, string channel, string? threadTs, CancellationToken cancellationToken)
    {
        try
        {
            await api.UploadFileAsync(SlackFiles.Upload(picture, channel, threadTs), cancellationToken);
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Could not share {File} after a post in Slack channel {Channel}: {Error}", picture.FileName, channel, ex.Error);
        }
    }

    /// <summary>
    /// The ts of the bot's message carrying <paramref name="key"/> in its metadata, posted since the earlier attempt,
    /// in the channel's recent history or in the thread; null when there is none (or it cannot be read: then posting
    /// again is better than losing the post).
    /// </summary>
    private async Task<string?> FindEarlierAsync(string channel, string? threadTs, string key, DateTimeOffset earlierAt, SlackIdentity me, CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonObject> recent;
        try
        {
            var oldest = earlierAt - ClockSkew;
            recent = threadTs is null
                ? await api.RecentMessagesAsync(channel, oldest, LookupWindow, cancellationToken)
                : await api.RecentRepliesAsync(channel, threadTs, oldest, LookupWindow, cancellationToken);
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Could not read Slack channel {Channel} to check for an earlier post {Key} ({Error}); posting it", channel, key, ex.Error);
            return null;
        }

        return recent.FirstOrDefault(m =>
                (me.BotId is null || SlackWebApi.Str(m, "bot_id") == me.BotId)
                && m["metadata"] is JsonObject metadata
                && SlackWebApi.Str(metadata, "event_type") == PostEventType
                && SlackWebApi.Str(metadata["event_payload"], "key") == key) is { } found
            ? SlackWebApi.Str(found, "ts")
            : null;
    }

    /// <summary>
    /// The bot's IM channel with the member (conversations.open, scope im:write). A member Slack will not let the bot
    /// write to (deactivated, not visible to the app, or a bot) is a <see cref="DirectMessagesClosedException"/>.
    /// </summary>
    private async Task<string> DirectChannelAsync(string member, CancellationToken cancellationToken)
    {
        try
        {
            return await api.OpenDirectMessageAsync(member, cancellationToken);
        }
        catch (SlackApiException ex) when (ex.Error is "user_disabled" or "user_not_found" or "user_not_visible" or "cannot_dm_bot")
        {
            throw new DirectMessagesClosedException($"Slack does not let the bot write to {member} directly ({ex.Error}).", ex);
        }
        catch (SlackApiException ex)
        {
            throw new OutboundException($"Could not open a direct message with {member} on Slack: {SlackWebApi.Describe(ex.Error)}.", ex);
        }
    }

    private string HomeChannel(GroupAddress address)
    {
        var value = groups.Find(address.Id)?.Setting(SettingCatalogue.Channel);
        return string.IsNullOrWhiteSpace(value)
            ? throw new OutboundException("No home channel is set for this Slack workspace. A moderator can set one with /reading settings channel #channel-name (and invite the bot there).")
            : value;
    }

    private async Task<SlackIdentity> IdentityAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await api.AuthTestAsync(cancellationToken);
        }
        catch (SlackApiException ex)
        {
            throw new OutboundException($"Slack is not reachable with the bot token: {SlackWebApi.Describe(ex.Error)}.", ex);
        }
    }
}
