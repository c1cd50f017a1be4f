using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Interactions;

/// <summary>
/// Turns the Core catalogue into Discord application commands: a name with subcommands becomes one slash command
/// with SUB_COMMAND options; typed options map to STRING/INTEGER, choices stay choices, paper references autocomplete.
/// </summary>
public static class CommandRegistration
{
    public const int SubCommand = 1;
    public const int StringOption = 3;
    public const int IntegerOption = 4;

    public static JsonArray Build(CommandCatalogue catalogue)
    {
        var commands = new JsonArray();
        foreach (var name in catalogue.Names)
        {
            var specs = catalogue.ForName(name);
            JsonArray options;
            string description;
            if (catalogue.HasSubcommands(name))
            {
                options = [.. specs.Select(s => (JsonNode)new JsonObject
                {
                    ["type"] = SubCommand,
                    ["name"] = s.Subcommand,
                    ["description"] = Describe(s.Description),
                    ["options"] = Options(s),
                })];
                description = Describe(name + ": " + string.Join(", ", specs.Select(s => s.Subcommand)));
            }
            else
            {
                options = Options(specs[0]);
                description = Describe(specs[0].Description);
            }

            commands.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = 1,
                ["description"] = description,
                ["options"] = options,
                // Reading groups live in servers: the commands are offered there only.
                ["contexts"] = new JsonArray(0),
                ["integration_types"] = new JsonArray(0),
            });
        }

        return commands;
    }

    private static JsonArray Options(CommandSpec spec)
    {
        var options = new JsonArray();
        // Discord wants required options before optional ones; values arrive by name, so order is free for us.
        foreach (var option in spec.Options.OrderBy(o => o.Required ? 0 : 1))
        {
            var json = new JsonObject
            {
                ["type"] = option.Kind == OptionKind.Integer ? IntegerOption : StringOption,
                ["name"] = option.Name,
                ["description"] = Describe(option.Description),
                ["required"] = option.Required,
            };
            switch (option.Kind)
            {
                case OptionKind.Choice:
                    json["choices"] = new JsonArray([.. option.Choices.Take(25).Select(c => (JsonNode)new JsonObject { ["name"] = c, ["value"] = c })]);
                    break;
                case OptionKind.PaperRef:
                    json["autocomplete"] = true;
                    json["max_length"] = Math.Min(option.MaxLength, 6000);
                    break;
                case OptionKind.Integer:
                    break;
                default:
                    json["max_length"] = Math.Min(option.MaxLength, 6000);
                    break;
            }

            options.Add(json);
        }

        return options;
    }

    private static string Describe(string text) => text.Length <= 100 ? text : text[..99] + "…";
}

/// <summary>Bulk-overwrites the application's commands (global, or one dev guild) at start.</summary>
public sealed class CommandRegistrar(DiscordRestClient rest, CommandCatalogue catalogue, IOptions<DiscordOptions> options, ILogger<CommandRegistrar> logger)
{
    public async Task<JsonArray> RegisterAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var path = o.DevGuildId.Length > 0
            ? $"applications/{o.ApplicationId}/guilds/{o.DevGuildId}/commands"
            : $"applications/{o.ApplicationId}/commands";
        var result = await rest.SendAsync(HttpMethod.Put, path, CommandRegistration.Build(catalogue), null, cancellationToken);
        var registered = result as JsonArray ?? [];
        logger.LogInformation("Registered {Count} Discord commands {Where}", registered.Count, o.DevGuildId.Length > 0 ? "in the dev guild" : "globally (they can take a while to appear)");
        return registered;
    }
}
