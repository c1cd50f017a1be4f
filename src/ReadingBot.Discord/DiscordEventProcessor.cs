using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;
using ReadingBot.Discord.Gateway;
using ReadingBot.Discord.Inbound;
using ReadingBot.Discord.Interactions;
using ReadingBot.Discord.Rendering;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>
/// Handles one Discord delivery from the shared pipeline (deduplicated there, and a server removal done there):
/// interactions from the Gateway or the HTTP endpoint, messages in threads the bot opened, and servers' names.
/// </summary>
public sealed class DiscordEventProcessor(
    InteractionRouter interactions,
    CommandDispatcher dispatcher,
    DeliveryClaims claims,
    IThreadLinkStore threads,
    DiscordRestClient rest,
    DiscordConnectionState state,
    GuildNames guildNames,
    IOptions<DiscordOptions> options,
    ILogger<DiscordEventProcessor> logger) : IInboundHandler<DiscordInboundItem>
{
    public async Task HandleAsync(DiscordInboundItem item, CancellationToken cancellationToken)
    {
        try
        {
            switch (item.Kind)
            {
                case DiscordInboundKind.Interaction when item.Responder is { } responder:
                    await interactions.HandleAsync(item.Data, responder, item.Answer, item.DeferEphemeral, cancellationToken);
                    if (item.Data["guild_id"]?.GetValue<string>() is { } guildId)
                    {
                        guildNames.EnsureKnown(guildId);
                    }

                    break;
                case DiscordInboundKind.ServerSeen:
                    guildNames.Seen(item.Data);
                    break;
                case DiscordInboundKind.Message:
                    await MessageAsync(item.Data, cancellationToken);
                    break;
            }
        }
        catch (DiscordRestException ex)
        {
            logger.LogWarning("Discord refused our answer to a {Kind}: {Status} code {Code} {Message}", item.Kind, (int)ex.Status, ex.Code, ex.DiscordMessage);
        }
    }

    private async Task MessageAsync(JsonObject message, CancellationToken cancellationToken)
    {
        // Without the privileged intent, content arrives empty: thread notes need Discord:MessageContent.
        if (!options.Value.MessageContent || message["author"] is not JsonObject author)
        {
            return;
        }

        var authorId = author["id"]?.GetValue<string>();
        if (authorId is null || authorId == state.BotUserId || author["bot"]?.GetValue<bool>() == true || message["webhook_id"] is not null)
        {
            return;
        }

        var guildId = message["guild_id"]?.GetValue<string>();
        var channelId = message["channel_id"]?.GetValue<string>();
        var content = message["content"]?.GetValue<string>();
        var messageId = message["id"]?.GetValue<string>();
        if (guildId is null || channelId is null || messageId is null || string.IsNullOrWhiteSpace(content))
        {
            return;
        }

        // Only threads the bot opened matter; checking first keeps ordinary chatter from costing a store write.
        var group = new GroupAddress(Platforms.Discord, guildId);
        if (threads.Find(group.Id, channelId) is null || !await claims.TryClaimAsync(["discord:message:" + messageId], TimeSpan.FromHours(1)))
        {
            return;
        }

        var member = message["member"] as JsonObject ?? [];
        var actor = interactions.ActorOf(member, author);
        var context = new CommandContext(group, actor, channelId, channelId);
        var reply = await dispatcher.HandleThreadMessageAsync(context, content, cancellationToken);
        if (reply is null)
        {
            return;
        }

        var rendered = MessageRenderer.Render(reply with { Ephemeral = false });
        rendered.Body["message_reference"] = new JsonObject { ["message_id"] = messageId, ["fail_if_not_exists"] = false };
        rendered.Body["nonce"] = DiscordOutbound.NewNonce();
        rendered.Body["enforce_nonce"] = true;
        await rest.SendAsync(HttpMethod.Post, $"channels/{channelId}/messages", rendered.Body, rendered.File, cancellationToken);
    }
}
