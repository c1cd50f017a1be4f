using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Settings;
using ReadingBot.Discord.Rendering;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>
/// What the bot says on its own, posted to Discord: into the given channel or thread, else the group's home
/// channel setting; optionally starting a thread on the new message. Posts carry a nonce so a retry after a timeout
/// cannot post twice.
/// </summary>
public sealed class DiscordOutbound(DiscordRestClient rest, IGroupStore groups) : IChatOutbound
{
    public string Platform => Platforms.Discord;

    public async Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        if (post.Group.Platform != Platforms.Discord)
        {
            throw new OutboundException($"the Discord adapter cannot post for a {post.Group.Platform} group");
        }

        var channel = post.InThreadId ?? post.ChannelId ?? HomeChannel(post.Group);
        var message = MessageRenderer.Render(post.Content with { Ephemeral = false });
        message.Body.Remove("flags");
        message.Body["nonce"] = NewNonce();
        message.Body["enforce_nonce"] = true;
        try
        {
            var created = await rest.SendAsync(HttpMethod.Post, $"channels/{channel}/messages", message.Body, message.File, cancellationToken) as JsonObject ?? [];
            var messageId = created["id"]?.GetValue<string>() ?? throw new OutboundException("Discord accepted the message but returned no id");
            string? threadId = post.InThreadId;
            if (post.ThreadTitle is { } title)
            {
                var thread = await rest.SendAsync(HttpMethod.Post, $"channels/{channel}/messages/{messageId}/threads",
                    new JsonObject { ["name"] = MessageRenderer.Clip(title.Trim().Length == 0 ? "Discussion" : title.Trim(), 100), ["auto_archive_duration"] = 10080 }, null, cancellationToken) as JsonObject ?? [];
                threadId = thread["id"]?.GetValue<string>() ?? messageId;
            }

            return new PostedMessage(post.InThreadId is null ? channel : post.ChannelId ?? channel, messageId, threadId);
        }
        catch (DiscordRestException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden || ex.Code is 10003 or 50001 or 50013 or 50083 or 160004)
        {
            throw new OutboundException(ex.Code switch
            {
                10003 => $"Discord channel {channel} does not exist any more. Set the home channel again with /settings channel #channel.",
                50001 or 50013 => $"The bot cannot post in Discord channel {channel}: give it View Channel, Send Messages and Create Public Threads there.",
                50083 => $"The Discord thread {channel} is archived.",
                160004 => "A thread already exists on that message.",
                _ => $"Discord refused the post in channel {channel} ({(int)ex.Status}, code {ex.Code}).",
            }, ex);
        }
    }

    /// <summary>A nonce for enforce_nonce (at most 25 characters): a retried POST returns the first message instead of a copy.</summary>
    public static string NewNonce() => RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture) + RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);

    private string HomeChannel(GroupAddress address)
    {
        var group = groups.Find(address.Id);
        var channel = group?.Setting(SettingCatalogue.Channel);
        return string.IsNullOrWhiteSpace(channel)
            ? throw new OutboundException("This server has no home channel for the bot's posts. A moderator can set one with /settings channel #channel.")
            : channel;
    }
}
