using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Discord.Gateway;
using ReadingBot.Discord.Interactions;
using ReadingBot.Discord.Rendering;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>
/// Handles one Gateway dispatch off the reader: interactions, messages in bot-opened threads, and removal from a
/// server. Replays after a RESUME are at least once, so interactions and messages are deduplicated durably.
/// </summary>
public sealed class DiscordEventProcessor(
    InteractionRouter interactions,
    CommandDispatcher dispatcher,
    ITenantDataStore tenants,
    IDeliveryLog deliveries,
    IThreadLinkStore threads,
    DiscordRestClient rest,
    DiscordConnectionState state,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordEventProcessor> logger)
{
    public async Task ProcessAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        try
        {
            switch (dispatch.Type)
            {
                case "INTERACTION_CREATE":
                    await InteractionAsync(dispatch, cancellationToken);
                    break;
                case "MESSAGE_CREATE":
                    await MessageAsync(dispatch.Data, cancellationToken);
                    break;
                case "GUILD_DELETE":
                    GuildDeleted(dispatch.Data);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (DiscordRestException ex)
        {
            logger.LogWarning("Discord refused our answer to {Event}: {Status} code {Code} {Message}", dispatch.Type, (int)ex.Status, ex.Code, ex.DiscordMessage);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Handling the Discord event {Event} failed", dispatch.Type);
        }
    }

    private async Task InteractionAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        var id = dispatch.Data["id"]?.GetValue<string>();
        var token = dispatch.Data["token"]?.GetValue<string>();
        if (id is null || token is null || !FirstTime("discord:interaction:" + id, TimeSpan.FromMinutes(15)))
        {
            return;
        }

        await interactions.HandleAsync(dispatch.Data, new CallbackResponder(rest, id, token), dispatch.ReceivedAt, cancellationToken);
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
        if (threads.Find(group.Id, channelId) is null || !FirstTime("discord:message:" + messageId, TimeSpan.FromHours(1)))
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

    private void GuildDeleted(JsonObject guild)
    {
        // unavailable=true is an outage, not a removal: keep the data.
        if (guild["unavailable"]?.GetValue<bool>() == true || guild["id"]?.GetValue<string>() is not { } guildId)
        {
            return;
        }

        var removed = tenants.RemoveWorkspace(Platforms.Discord, guildId);
        logger.LogInformation("Removed from Discord server {Guild}: deleted {Count} records", guildId, removed);
    }

    private bool FirstTime(string key, TimeSpan keep)
    {
        var now = time.GetUtcNow();
        return deliveries.TryRecord(key, now, now + keep);
    }
}
