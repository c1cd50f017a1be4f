using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Discord.Rendering;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Interactions;

/// <summary>Sends an interaction's one initial response: a REST callback (Gateway mode) or the HTTP reply itself (Http mode).</summary>
public interface IInteractionResponder
{
    Task RespondAsync(JsonObject callback, CancellationToken cancellationToken);
}

/// <summary>Gateway-delivered interactions must be answered over REST.</summary>
public sealed class CallbackResponder(DiscordRestClient rest, string interactionId, string token) : IInteractionResponder
{
    public async Task RespondAsync(JsonObject callback, CancellationToken cancellationToken) =>
        await rest.SendAsync(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback", callback, null, cancellationToken);
}

/// <summary>Interaction and callback type numbers.</summary>
public static class InteractionTypes
{
    public const int Ping = 1;
    public const int Command = 2;
    public const int Component = 3;
    public const int Autocomplete = 4;
    public const int ModalSubmit = 5;

    public const int Pong = 1;
    public const int Message = 4;
    public const int DeferredMessage = 5;
    public const int AutocompleteResult = 8;
}

/// <summary>
/// Turns a verified interaction into a Core command and answers within Discord's 3 s: directly when the command
/// finishes inside the budget (Discord:DeferAfterSeconds), otherwise the <see cref="FirstAnswer"/>'s deferral goes
/// out from its timer and the reply follows as a PATCH of @original. The tenant is the payload's guild_id, never
/// anything the member typed.
/// </summary>
public sealed class InteractionRouter(
    CommandDispatcher dispatcher,
    CommandCatalogue catalogue,
    ILibraryStore library,
    LibraryService libraryService,
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    ILogger<InteractionRouter> logger)
{
    private const ulong Administrator = 1UL << 3;
    private const ulong ManageGuild = 1UL << 5;

    /// <summary>
    /// Answers one interaction. <paramref name="answer"/> (commands and buttons) holds the deferral that goes out when
    /// the budget counted from arrival runs out; <paramref name="deferEphemeral"/> says whether that deferral is private.
    /// </summary>
    public async Task HandleAsync(JsonObject interaction, IInteractionResponder responder, FirstAnswer? answer, bool deferEphemeral, CancellationToken cancellationToken)
    {
        var type = interaction["type"]?.GetValue<int>() ?? 0;
        if (type == InteractionTypes.Ping)
        {
            await responder.RespondAsync(new JsonObject { ["type"] = InteractionTypes.Pong }, cancellationToken);
            return;
        }

        var guildId = interaction["guild_id"]?.GetValue<string>();
        var member = interaction["member"] as JsonObject;
        if (guildId is null && type == InteractionTypes.Component && interaction["user"] is JsonObject dmUser
            && MessageRenderer.DirectButtonOf(interaction["data"]?["custom_id"]?.GetValue<string>() ?? "") is { } direct)
        {
            // A button on a message the bot sent a member directly: it names its server. The member acts with no
            // server permissions (a DM carries none), so such buttons never do moderator work.
            guildId = direct.GuildId;
            member = new JsonObject { ["user"] = dmUser.DeepClone(), ["permissions"] = "0" };
            interaction["data"]!["custom_id"] = MessageRenderer.ButtonPrefix + direct.Line;
        }

        if (guildId is null || member is null)
        {
            if (type != InteractionTypes.Autocomplete)
            {
                await ReplyAsync(new ErrorReply("ReadingBot works in servers: use this in a server where the bot is installed."));
            }
            else
            {
                await FirstAsync(responder, answer, Choices([]), cancellationToken);
            }

            return;
        }

        Task ReplyAsync(Reply reply) => AnswerAsync(interaction, responder, answer, deferEphemeral, _ => Task.FromResult(reply), cancellationToken);

        var context = Context(interaction, guildId, member);
        var data = interaction["data"] as JsonObject ?? [];
        switch (type)
        {
            case InteractionTypes.Command:
                {
                    var (spec, values) = Read(data);
                    if (spec is null)
                    {
                        await ReplyAsync(new ErrorReply($"/{data["name"]} is not a ReadingBot command any more. Type /help for the list."));
                        return;
                    }

                    await AnswerAsync(interaction, responder, answer, deferEphemeral,
                        ct => dispatcher.HandleOptionsAsync(context, spec, values, ct), cancellationToken);
                    return;
                }

            case InteractionTypes.Component:
                {
                    var line = MessageRenderer.CommandLineOf(data["custom_id"]?.GetValue<string>() ?? "");
                    if (line is null)
                    {
                        await ReplyAsync(new ErrorReply("That button no longer works. Type /help for the commands."));
                        return;
                    }

                    await AnswerAsync(interaction, responder, answer, deferEphemeral,
                        ct => dispatcher.HandleTextAsync(context, line, ct), cancellationToken);
                    return;
                }

            case InteractionTypes.Autocomplete:
                await FirstAsync(responder, answer, Choices(Suggest(context.Group.Id, data)), cancellationToken);
                return;

            default:
                await ReplyAsync(new ErrorReply("ReadingBot does not know that kind of interaction."));
                return;
        }
    }

    /// <summary>The member who acted, from the verified payload: nick, global name or username; moderator by permission or role.</summary>
    public Actor ActorOf(JsonObject member, JsonObject? user = null)
    {
        user ??= member["user"] as JsonObject ?? [];
        var id = user["id"]?.GetValue<string>() ?? "";
        var name = member["nick"]?.GetValue<string>() ?? user["global_name"]?.GetValue<string>() ?? user["username"]?.GetValue<string>() ?? id;
        var permissions = ulong.TryParse(member["permissions"]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var roleId = options.Value.ModeratorRoleId;
        var hasRole = roleId.Length > 0 && member["roles"] is JsonArray roles && roles.Any(r => r?.GetValue<string>() == roleId);
        return new Actor(id, name, (permissions & (Administrator | ManageGuild)) != 0 || hasRole);
    }

    private CommandContext Context(JsonObject interaction, string guildId, JsonObject member)
    {
        var channelId = interaction["channel_id"]?.GetValue<string>() ?? interaction["channel"]?["id"]?.GetValue<string>();
        string? threadId = null;
        if (interaction["channel"] is JsonObject channel && channel["type"]?.GetValue<int>() is 10 or 11 or 12)
        {
            threadId = channelId;
            channelId = channel["parent_id"]?.GetValue<string>() ?? channelId;
        }

        return new CommandContext(new GroupAddress(Core.Groups.Platforms.Discord, guildId), ActorOf(member), channelId, threadId);
    }

    private async Task AnswerAsync(JsonObject interaction, IInteractionResponder responder, FirstAnswer? answer, bool deferEphemeral, Func<CancellationToken, Task<Reply>> run, CancellationToken cancellationToken)
    {
        var message = MessageRenderer.Render(await run(cancellationToken));
        if (answer is null)
        {
            await responder.RespondAsync(Message(message), cancellationToken);
            return;
        }

        // A file travels only with an edit: defer first (private if the reply is), then attach it to @original.
        var first = message.File is null ? Message(message) : Deferred(message.Ephemeral);
        var outcome = await answer.TrySendReplyAsync(async () =>
        {
            await responder.RespondAsync(first, cancellationToken);
            return true;
        });
        if (outcome == AnswerOutcome.SentWithReply && message.File is null)
        {
            return;
        }

        await CompleteAsync(interaction, message, outcome == AnswerOutcome.SentWithReply ? message.Ephemeral : deferEphemeral, cancellationToken);
    }

    /// <summary>A response that only makes sense as the first one (choices): dropped when the stand-in went instead.</summary>
    private static async Task FirstAsync(IInteractionResponder responder, FirstAnswer? answer, JsonObject response, CancellationToken cancellationToken)
    {
        if (answer is null)
        {
            await responder.RespondAsync(response, cancellationToken);
            return;
        }

        await answer.TrySendReplyAsync(async () =>
        {
            await responder.RespondAsync(response, cancellationToken);
            return true;
        });
    }

    private async Task CompleteAsync(JsonObject interaction, DiscordMessage message, bool deferredEphemeral, CancellationToken cancellationToken)
    {
        var app = interaction["application_id"]?.GetValue<string>() ?? options.Value.ApplicationId;
        var token = interaction["token"]?.GetValue<string>() ?? "";
        if (message.Ephemeral && !deferredEphemeral)
        {
            // A public "thinking…" cannot turn private: remove it and answer privately instead.
            await rest.SendAsync(HttpMethod.Delete, $"webhooks/{app}/{token}/messages/@original", null, null, cancellationToken);
            await rest.SendAsync(HttpMethod.Post, $"webhooks/{app}/{token}", message.Body, message.File, cancellationToken);
            return;
        }

        var body = message.Body.DeepClone().AsObject();
        body.Remove("flags");
        await rest.SendAsync(HttpMethod.Patch, $"webhooks/{app}/{token}/messages/@original", body, message.File, cancellationToken);
    }

    /// <summary>The command an interaction's data names (its subcommand included), or null.</summary>
    internal static CommandSpec? SpecOf(CommandCatalogue catalogue, JsonObject data)
    {
        var name = data["name"]?.GetValue<string>() ?? "";
        string? sub = null;
        if ((data["options"] as JsonArray)?.FirstOrDefault() is JsonObject first && first["type"]?.GetValue<int>() == CommandRegistration.SubCommand)
        {
            sub = first["name"]?.GetValue<string>();
        }

        return catalogue.Find(name, sub);
    }

    private (CommandSpec? Spec, Dictionary<string, string> Values) Read(JsonObject data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in LeafOptions(data).OfType<JsonObject>())
        {
            if (option["name"]?.GetValue<string>() is { } key && option["value"] is JsonValue value)
            {
                values[key] = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
            }
        }

        return (SpecOf(catalogue, data), values);
    }

    /// <summary>The options the member filled in: the subcommand's when there is one.</summary>
    private static JsonArray LeafOptions(JsonObject data)
    {
        var options = data["options"] as JsonArray ?? [];
        return options.FirstOrDefault() is JsonObject first && first["type"]?.GetValue<int>() == CommandRegistration.SubCommand
            ? first["options"] as JsonArray ?? []
            : options;
    }

    private List<(string Name, string Value)> Suggest(GroupId group, JsonObject data)
    {
        var spec = SpecOf(catalogue, data);
        var focused = LeafOptions(data).OfType<JsonObject>().FirstOrDefault(o => o["focused"]?.GetValue<bool>() == true);
        var optionName = focused?["name"]?.GetValue<string>();
        if (spec is null || focused is null || spec.Options.FirstOrDefault(o => o.Name == optionName)?.Kind != OptionKind.PaperRef)
        {
            return [];
        }

        var typed = (focused["value"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Trim();
        try
        {
            var needle = typed.TrimStart('#');
            return library.List(group, 0, 1000)
                .Select(libraryService.Item)
                .Where(i => needle.Length == 0
                    || i.Entry.Number.ToString(CultureInfo.InvariantCulture).StartsWith(needle, StringComparison.Ordinal)
                    || i.Title.Contains(needle, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(i => i.Entry.Number)
                .Take(25)
                .Select(i => (MessageRenderer.Clip($"#{i.Entry.Number} {i.Title}", 100), $"#{i.Entry.Number}"))
                .ToList();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Autocomplete failed in group {Group}", group);
            return [];
        }
    }

    private static JsonObject Message(DiscordMessage message) =>
        new() { ["type"] = InteractionTypes.Message, ["data"] = message.Body.DeepClone() };

    /// <summary>The deferral ("thinking…"), private when the reply will be.</summary>
    internal static JsonObject Deferred(bool ephemeral) =>
        new() { ["type"] = InteractionTypes.DeferredMessage, ["data"] = new JsonObject { ["flags"] = ephemeral ? MessageRenderer.EphemeralFlag : 0 } };

    internal static JsonObject Choices(List<(string Name, string Value)> choices) => new()
    {
        ["type"] = InteractionTypes.AutocompleteResult,
        ["data"] = new JsonObject { ["choices"] = new JsonArray([.. choices.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["value"] = c.Value })]) },
    };
}
