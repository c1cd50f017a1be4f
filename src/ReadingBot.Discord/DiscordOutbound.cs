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
/// channel setting; optionally starting a thread on the new message. Posts carry a nonce with enforce_nonce, so a
/// retry after a timeout cannot post twice; a scheduled post's nonce comes from its durable key, so the resend after a
/// crash (within Discord's few-minute nonce window) returns the message the first attempt made.
/// </summary>
public sealed class DiscordOutbound(DiscordRestClient rest, IGroupStore groups) : IChatOutbound
{
    // A member's DM channel with the bot never changes: opened once per process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> directChannels = new(StringComparer.Ordinal);

    public string Platform => Platforms.Discord;

    public async Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        if (post.Group.Platform != Platforms.Discord)
        {
            throw new OutboundException($"the Discord adapter cannot post for a {post.Group.Platform} group");
        }

        if (post.DirectTo is { } member)
        {
            post = post with { ChannelId = await DirectChannelAsync(member, cancellationToken), InThreadId = null, ThreadTitle = null };
        }

        var channel = post.InThreadId ?? post.ChannelId ?? HomeChannel(post.Group);
        var message = MessageRenderer.Render(post.Content with { Ephemeral = false });
        message.Body.Remove("flags");
        if (post.DirectTo is not null)
        {
            MessageRenderer.ScopeButtons(message.Body, post.Group.Workspace);
        }

        message.Body["nonce"] = post.Key is { } key ? NonceOf(key) : NewNonce();
        message.Body["enforce_nonce"] = true;
        try
        {
            var created = await rest.SendAsync(HttpMethod.Post, $"channels/{channel}/messages", message.Body, message.File, cancellationToken) as JsonObject ?? [];
            var messageId = created["id"]?.GetValue<string>() ?? throw new OutboundException("Discord accepted the message but returned no id");
            string? threadId = post.InThreadId;
            if (post.ThreadTitle is { } title)
            {
                // A message returned for a resent nonce may already have its thread (the first attempt got that far).
                threadId = created["thread"]?["id"]?.GetValue<string>() ?? await StartThreadAsync(channel, messageId, title, cancellationToken);
            }

            return new PostedMessage(post.InThreadId is null ? channel : post.ChannelId ?? channel, messageId, threadId);
        }
        catch (DiscordRestException ex) when (post.DirectTo is not null && ex.Code == 50007)
        {
            throw new DirectMessagesClosedException($"Discord user {post.DirectTo} does not take direct messages from the bot (code 50007).", ex);
        }
        catch (DiscordRestException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden || ex.Code is 10003 or 50001 or 50013 or 50083)
        {
            throw new OutboundException(ex.Code switch
            {
                10003 => $"Discord channel {channel} does not exist any more. Set the home channel again with /settings channel #channel.",
                50001 or 50013 => $"The bot cannot post in Discord channel {channel}: give it View Channel, Send Messages and Create Public Threads there.",
                50083 => $"The Discord thread {channel} is archived.",
                _ => $"Discord refused the post in channel {channel} ({(int)ex.Status}, code {ex.Code}).",
            }, ex);
        }
    }

    /// <summary>The member's DM channel with the bot (<c>POST /users/@me/channels</c>).</summary>
    private async Task<string> DirectChannelAsync(string member, CancellationToken cancellationToken)
    {
        if (directChannels.TryGetValue(member, out var known))
        {
            return known;
        }

        try
        {
            var channel = await rest.SendAsync(HttpMethod.Post, "users/@me/channels", new JsonObject { ["recipient_id"] = member }, null, cancellationToken) as JsonObject ?? [];
            var id = channel["id"]?.GetValue<string>() ?? throw new OutboundException("Discord opened a direct message channel but returned no id");
            directChannels[member] = id;
            return id;
        }
        catch (DiscordRestException ex) when (ex.Code is 50007 or 10013 or 50035)
        {
            throw new DirectMessagesClosedException($"Discord will not open a direct message with user {member} (code {ex.Code}).", ex);
        }
    }

    private async Task<string> StartThreadAsync(string channel, string messageId, string title, CancellationToken cancellationToken)
    {
        try
        {
            var thread = await rest.SendAsync(HttpMethod.Post, $"channels/{channel}/messages/{messageId}/threads",
                new JsonObject { ["name"] = MessageRenderer.Clip(title.Trim().Length == 0 ? "Discussion" : title.Trim(), 100), ["auto_archive_duration"] = 10080 }, null, cancellationToken) as JsonObject ?? [];
            return thread["id"]?.GetValue<string>() ?? messageId;
        }
        catch (DiscordRestException ex) when (ex.Code == 160004)
        {
            // The message already has its thread (a resend of a post whose first attempt started it); a thread
            // started on a message takes the message's id.
            return messageId;
        }
    }

    /// <summary>
    /// The nonce of a scheduled post: the first 25 hex digits of the SHA-256 of its durable key (Discord allows 25
    /// characters), the same on every attempt, so a resend returns the message the first attempt made.
    /// </summary>
    public static string NonceOf(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..25];

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
