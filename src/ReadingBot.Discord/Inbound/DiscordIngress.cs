using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Discord.Interactions;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Inbound;

/// <summary>What kind of Discord delivery an item is.</summary>
public enum DiscordInboundKind
{
    Interaction,
    Message,
    ServerRemoved,

    /// <summary>GUILD_CREATE or GUILD_UPDATE: the server's name may be new.</summary>
    ServerSeen,
}

/// <summary>
/// One Discord delivery for the shared pipeline: a Gateway dispatch or an HTTP interaction. An interaction carries
/// its one initial response (<see cref="Responder"/>) and the deferral that stands in for it after
/// <c>Discord:DeferAfterSeconds</c> (<see cref="Answer"/>).
/// </summary>
public sealed record DiscordInboundItem(DiscordInboundKind Kind, JsonObject Data, IReadOnlyList<string> DedupeKeys, TimeSpan DedupeFor) : IInboundItem
{
    public IInteractionResponder? Responder { get; init; }

    public FirstAnswer? Answer { get; init; }

    /// <summary>Whether the deferral is private (the command's spec says its replies are).</summary>
    public bool DeferEphemeral { get; init; }

    public TenantRemoval? Removal { get; init; }
}

/// <summary>
/// Turns Gateway dispatches and verified HTTP interactions into pipeline items. The Gateway cannot be refused, so a
/// full pipeline answers a waiting interaction with a deferral at once and then slows the reader down until a slot
/// frees; the reply follows as an edit when a worker gets to it.
/// </summary>
public sealed class DiscordIngress(
    InboundPipeline<DiscordInboundItem> pipeline,
    CommandCatalogue catalogue,
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    TimeProvider time)
{
    private static readonly TimeSpan InteractionKeep = TimeSpan.FromMinutes(15);

    /// <summary>A dispatch off the Gateway reader; only the kinds the bot handles are queued.</summary>
    public async Task AcceptDispatchAsync(string type, JsonObject data, long receivedAt, CancellationToken cancellationToken)
    {
        DiscordInboundItem? item = type switch
        {
            "INTERACTION_CREATE" when data["id"]?.GetValue<string>() is { } id && data["token"]?.GetValue<string>() is { } token =>
                Interaction(data, ["discord:interaction:" + id], new CallbackResponder(rest, id, token), receivedAt),
            "MESSAGE_CREATE" => new DiscordInboundItem(DiscordInboundKind.Message, data, [], TimeSpan.Zero),
            "GUILD_CREATE" or "GUILD_UPDATE" when data["name"] is not null => new DiscordInboundItem(DiscordInboundKind.ServerSeen, data, [], TimeSpan.Zero),
            "GUILD_DELETE" when Removal(data) is { } removal => new DiscordInboundItem(DiscordInboundKind.ServerRemoved, data, [], TimeSpan.Zero) { Removal = removal },
            _ => null,
        };
        if (item is not null)
        {
            await EnqueueAsync(item, runHere: false, cancellationToken);
        }
    }

    /// <summary>
    /// An HTTP interaction, verified and claimed by the endpoint; its first response is the HTTP reply, so it runs on
    /// the request's thread, and a command answered at once costs no hand-off.
    /// </summary>
    public Task AcceptInteractionAsync(JsonObject interaction, IInteractionResponder responder, long receivedAt, CancellationToken cancellationToken) =>
        EnqueueAsync(Interaction(interaction, [], responder, receivedAt), runHere: true, cancellationToken);

    private DiscordInboundItem Interaction(JsonObject data, IReadOnlyList<string> keys, IInteractionResponder responder, long receivedAt)
    {
        var type = data["type"]?.GetValue<int>() ?? 0;
        var item = new DiscordInboundItem(DiscordInboundKind.Interaction, data, keys, InteractionKeep) { Responder = responder };
        if (type == InteractionTypes.Ping)
        {
            return item;
        }

        // A command or a button defers ("thinking…"); autocomplete has no deferral, so its stand-in is no choices.
        var ephemeral = type == InteractionTypes.Command && InteractionRouter.SpecOf(catalogue, data["data"] as JsonObject ?? []) is { Ephemeral: true };
        var standIn = type == InteractionTypes.Autocomplete ? InteractionRouter.Choices([]) : InteractionRouter.Deferred(ephemeral);
        var answer = new FirstAnswer(
            async () =>
            {
                await responder.RespondAsync(standIn, CancellationToken.None);
                return true;
            },
            options.Value.DeferAfter,
            receivedAt,
            time);
        return item with { Answer = answer, DeferEphemeral = ephemeral };
    }

    private async Task EnqueueAsync(DiscordInboundItem item, bool runHere, CancellationToken cancellationToken)
    {
        if (!pipeline.TryReserve())
        {
            if (item.Answer is { } answer)
            {
                _ = answer.SendStandInAsync();
            }

            await pipeline.ReserveAsync(cancellationToken);
        }

        pipeline.Enqueue(item, runHere);
    }

    // unavailable=true is an outage, not a removal: keep the data.
    private static TenantRemoval? Removal(JsonObject guild) =>
        guild["unavailable"]?.GetValue<bool>() != true && guild["id"]?.GetValue<string>() is { } guildId
            ? new TenantRemoval(Platforms.Discord, guildId, "the bot was removed from the server")
            : null;
}
