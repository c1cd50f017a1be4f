using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Settings;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Rendering;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack;

/// <summary>
/// Posts what the bot says on its own. A post without a channel goes to the group's home channel setting; a post
/// with a thread title becomes a thread parent whose ts is the thread id; a post into a thread uses thread_ts.
/// Posts only within the workspace the bot token belongs to.
/// </summary>
public sealed class SlackOutbound(SlackWebApi api, IGroupStore groups) : IChatOutbound
{
    public string Platform => Platforms.Slack;

    public async Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        var me = api.Identity ?? await IdentityAsync(cancellationToken);
        if (post.Group.Workspace != me.TeamId && post.Group.Workspace != me.EnterpriseId)
        {
            throw new OutboundException($"This bot is installed in Slack workspace {me.TeamId}, not {post.Group.Workspace}; it cannot post there.");
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
        var message = BlockKitRenderer.Render(post.Content, post.ThreadTitle).ToJson();
        message["channel"] = channel;
        message["unfurl_links"] = false;
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
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
        return new PostedMessage(postedChannel, postedTs, thread);
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
