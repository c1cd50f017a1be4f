using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
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
/// finishes inside the budget (Discord:DeferAfterSeconds), otherwise a deferral at once and the reply as a PATCH of
/// @original. The tenant is the payload's guild_id, never anything the member typed.
/// </summary>
public sealed class InteractionRouter(
    CommandDispatcher dispatcher,
    CommandCatalogue catalogue,
    ILibraryStore library,
    LibraryService libraryService,
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<InteractionRouter> logger)
{
    private const ulong Administrator = 1UL << 3;
    private const ulong ManageGuild = 1UL << 5;

    /// <summary>Answers one interaction. <paramref name="receivedAt"/> is a <see cref="TimeProvider.GetTimestamp"/> of its arrival: the defer budget counts from it.</summary>
    public async Task HandleAsync(JsonObject interaction, IInteractionResponder responder, long receivedAt, CancellationToken cancellationToken)
    {
        var type = interaction["type"]?.GetValue<int>() ?? 0;
        if (type == InteractionTypes.Ping)
        {
            await responder.RespondAsync(new JsonObject { ["type"] = InteractionTypes.Pong }, cancellationToken);
            return;
        }

        var guildId = interaction["guild_id"]?.GetValue<string>();
        if (guildId is null || interaction["member"] is not JsonObject member)
        {
            if (type != InteractionTypes.Autocomplete)
            {
                await responder.RespondAsync(Message(MessageRenderer.Render(new ErrorReply("ReadingBot works in servers: use this in a server where the bot is installed."))), cancellationToken);
            }
            else
            {
                await responder.RespondAsync(Choices([]), cancellationToken);
            }

            return;
        }

        var context = Context(interaction, guildId, member);
        var data = interaction["data"] as JsonObject ?? [];
        switch (type)
        {
            case InteractionTypes.Command:
                {
                    var (spec, values) = Read(data);
                    if (spec is null)
                    {
                        await responder.RespondAsync(Message(MessageRenderer.Render(new ErrorReply($"/{data["name"]} is not a ReadingBot command any more. Type /help for the list."))), cancellationToken);
                        return;
                    }

                    await AnswerAsync(interaction, responder, receivedAt, spec.Ephemeral,
                        ct => dispatcher.HandleOptionsAsync(context, spec, values, ct), cancellationToken);
                    return;
                }

            case InteractionTypes.Component:
                {
                    var line = MessageRenderer.CommandLineOf(data["custom_id"]?.GetValue<string>() ?? "");
                    if (line is null)
                    {
                        await responder.RespondAsync(Message(MessageRenderer.Render(new ErrorReply("That button no longer works. Type /help for the commands."))), cancellationToken);
                        return;
                    }

                    await AnswerAsync(interaction, responder, receivedAt, false,
                        ct => dispatcher.HandleTextAsync(context, line, ct), cancellationToken);
                    return;
                }

            case InteractionTypes.Autocomplete:
                await responder.RespondAsync(Choices(Suggest(context.Group.Id, data)), cancellationToken);
                return;

            default:
                await responder.RespondAsync(Message(MessageRenderer.Render(new ErrorReply("ReadingBot does not know that kind of interaction."))), cancellationToken);
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

    private async Task AnswerAsync(JsonObject interaction, IInteractionResponder responder, long receivedAt, bool ephemeralHint, Func<CancellationToken, Task<Reply>> run, CancellationToken cancellationToken)
    {
        // The command runs on the pool: its synchronous part (the store) must not hold back the deferral.
        var work = Task.Run(() => run(cancellationToken), cancellationToken);
        var left = options.Value.DeferAfter - time.GetElapsedTime(receivedAt);
        var finished = false;
        if (left > TimeSpan.Zero)
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            finished = await Task.WhenAny(work, Task.Delay(left, time, budget.Token)) == work;
            await budget.CancelAsync();
        }
        if (finished)
        {
            var message = MessageRenderer.Render(await work);
            if (message.File is null)
            {
                await responder.RespondAsync(Message(message), cancellationToken);
                return;
            }

            await responder.RespondAsync(Deferred(message.Ephemeral), cancellationToken);
            await CompleteAsync(interaction, message, message.Ephemeral, cancellationToken);
            return;
        }

        await responder.RespondAsync(Deferred(ephemeralHint), cancellationToken);
        var reply = MessageRenderer.Render(await work);
        await CompleteAsync(interaction, reply, ephemeralHint, cancellationToken);
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

    private (CommandSpec? Spec, Dictionary<string, string> Values) Read(JsonObject data)
    {
        var name = data["name"]?.GetValue<string>() ?? "";
        var options = data["options"] as JsonArray ?? [];
        string? sub = null;
        if (options.FirstOrDefault() is JsonObject first && first["type"]?.GetValue<int>() == CommandRegistration.SubCommand)
        {
            sub = first["name"]?.GetValue<string>();
            options = first["options"] as JsonArray ?? [];
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options.OfType<JsonObject>())
        {
            if (option["name"]?.GetValue<string>() is { } key && option["value"] is JsonValue value)
            {
                values[key] = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
            }
        }

        return (catalogue.Find(name, sub), values);
    }

    private List<(string Name, string Value)> Suggest(GroupId group, JsonObject data)
    {
        var (spec, _) = Read(data);
        var options = data["options"] as JsonArray ?? [];
        if (options.FirstOrDefault() is JsonObject first && first["type"]?.GetValue<int>() == CommandRegistration.SubCommand)
        {
            options = first["options"] as JsonArray ?? [];
        }

        var focused = options.OfType<JsonObject>().FirstOrDefault(o => o["focused"]?.GetValue<bool>() == true);
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

    private static JsonObject Deferred(bool ephemeral) =>
        new() { ["type"] = InteractionTypes.DeferredMessage, ["data"] = new JsonObject { ["flags"] = ephemeral ? MessageRenderer.EphemeralFlag : 0 } };

    private static JsonObject Choices(List<(string Name, string Value)> choices) => new()
    {
        ["type"] = InteractionTypes.AutocompleteResult,
        ["data"] = new JsonObject { ["choices"] = new JsonArray([.. choices.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["value"] = c.Value })]) },
    };
}
