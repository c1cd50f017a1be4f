using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReadingBot.TestSupport.Discord;

/// <summary>
/// Discord's validation rules the emulator enforces, in one file so they can be reviewed against the docs
/// (discord/discord-api-docs: application-commands, message resource, interactions; as of 2026-08).
/// Each rule returns an error text; the emulator answers 400 with code 50035 (Invalid Form Body).
/// </summary>
public static partial class DiscordRules
{
    public const int MaxContent = 2000;
    public const int MaxEmbeds = 10;
    public const int MaxEmbedTotal = 6000;
    public const int MaxCommands = 100;

    // docs: application-commands "Application Command Naming" (\p{sc=Deva} and \p{sc=Thai} are not in .NET's regex; letters cover them).
    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$")]
    private static partial Regex CommandName();

    /// <summary>Bulk-overwrite body: names, descriptions, option counts and order, choices vs autocomplete, limits.</summary>
    public static List<string> ValidateCommands(JsonNode? body)
    {
        var errors = new List<string>();
        if (body is not JsonArray commands)
        {
            errors.Add("body must be an array of commands");
            return errors;
        }

        if (commands.Count > MaxCommands)
        {
            errors.Add($"{commands.Count} commands; at most {MaxCommands}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (command, i) in commands.Select((c, i) => (c as JsonObject, i)))
        {
            if (command is null)
            {
                errors.Add($"{i}: not an object");
                continue;
            }

            var type = command["type"]?.GetValue<int>() ?? 1;
            var name = command["name"]?.GetValue<string>() ?? "";
            ValidateName($"{i}.name", name, errors);
            if (!names.Add($"{type}:{name}"))
            {
                errors.Add($"{i}.name: '{name}' is used twice");
            }

            if (type == 1)
            {
                ValidateDescription($"{i}.description", command["description"]?.GetValue<string>(), errors);
            }

            ValidateOptions($"{i}.options", command["options"] as JsonArray, 0, errors);
        }

        return errors;
    }

    private static void ValidateOptions(string where, JsonArray? options, int depth, List<string> errors)
    {
        if (options is null)
        {
            return;
        }

        if (options.Count > 25)
        {
            errors.Add($"{where}: {options.Count} options; at most 25");
        }

        var seenOptional = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (option, i) in options.Select((o, i) => (o as JsonObject, i)))
        {
            var at = $"{where}.{i}";
            if (option is null)
            {
                errors.Add($"{at}: not an object");
                continue;
            }

            var type = option["type"]?.GetValue<int>() ?? 0;
            if (type is < 1 or > 11)
            {
                errors.Add($"{at}.type: {type} is not an option type");
            }

            var name = option["name"]?.GetValue<string>() ?? "";
            ValidateName($"{at}.name", name, errors);
            if (!names.Add(name))
            {
                errors.Add($"{at}.name: '{name}' is used twice");
            }

            ValidateDescription($"{at}.description", option["description"]?.GetValue<string>(), errors);
            if (type is 1 or 2)
            {
                if (depth >= (type == 2 ? 1 : 2))
                {
                    errors.Add($"{at}: subcommands nest too deep");
                }

                ValidateOptions($"{at}.options", option["options"] as JsonArray, depth + 1, errors);
                continue;
            }

            var required = option["required"]?.GetValue<bool>() ?? false;
            if (required && seenOptional)
            {
                errors.Add($"{at}: required options must be placed before non-required options");
            }

            seenOptional |= !required;
            var choices = option["choices"] as JsonArray;
            var autocomplete = option["autocomplete"]?.GetValue<bool>() ?? false;
            if (autocomplete && choices is { Count: > 0 })
            {
                errors.Add($"{at}: autocomplete and choices are mutually exclusive");
            }

            if (autocomplete && type is not (3 or 4 or 10))
            {
                errors.Add($"{at}: autocomplete needs a STRING, INTEGER or NUMBER option");
            }

            if (choices is { Count: > 25 })
            {
                errors.Add($"{at}.choices: {choices.Count} choices; at most 25");
            }

            foreach (var choice in choices?.OfType<JsonObject>() ?? [])
            {
                var choiceName = choice["name"]?.GetValue<string>() ?? "";
                if (choiceName.Length is < 1 or > 100)
                {
                    errors.Add($"{at}.choices: a choice name must be 1–100 characters");
                }
            }

            if (option["max_length"] is JsonValue max && (max.GetValue<int>() is < 1 or > 6000))
            {
                errors.Add($"{at}.max_length: must be 1–6000");
            }
        }
    }

    private static void ValidateName(string at, string name, List<string> errors)
    {
        if (!CommandName().IsMatch(name))
        {
            errors.Add($"{at}: '{name}' does not match the command name pattern");
        }
        else if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            errors.Add($"{at}: '{name}' must be lowercase");
        }
    }

    private static void ValidateDescription(string at, string? description, List<string> errors)
    {
        if (description is null || description.Length is < 1 or > 100)
        {
            errors.Add($"{at}: must be 1–100 characters");
        }
    }

    /// <summary>A message body (create, edit, interaction response, follow-up). Returns (code, text) or null.</summary>
    public static (int Code, string Message)? ValidateMessage(JsonObject message, bool requireSomething, bool hasFiles)
    {
        var content = message["content"]?.GetValue<string>();
        var embeds = message["embeds"] as JsonArray;
        if (content is { Length: > MaxContent })
        {
            return (50035, $"content: must be {MaxContent} or fewer in length");
        }

        if (embeds is { Count: > MaxEmbeds })
        {
            return (50035, $"embeds: at most {MaxEmbeds}");
        }

        var total = 0;
        foreach (var embed in embeds?.OfType<JsonObject>() ?? [])
        {
            if (Check(embed["title"], 256, "embed title", ref total) is { } e1)
            {
                return (50035, e1);
            }

            if (Check(embed["description"], 4096, "embed description", ref total) is { } e2)
            {
                return (50035, e2);
            }

            if (Check(embed["footer"]?["text"], 2048, "embed footer", ref total) is { } e3)
            {
                return (50035, e3);
            }

            if (Check(embed["author"]?["name"], 256, "embed author", ref total) is { } e4)
            {
                return (50035, e4);
            }

            if (embed["fields"] is JsonArray fields)
            {
                if (fields.Count > 25)
                {
                    return (50035, "embed fields: at most 25");
                }

                foreach (var field in fields.OfType<JsonObject>())
                {
                    if (Check(field["name"], 256, "field name", ref total) is { } e5)
                    {
                        return (50035, e5);
                    }

                    if (Check(field["value"], 1024, "field value", ref total) is { } e6)
                    {
                        return (50035, e6);
                    }
                }
            }
        }

        if (total > MaxEmbedTotal)
        {
            return (50035, $"embeds: {total} characters in all; at most {MaxEmbedTotal}");
        }

        if (message["components"] is JsonArray rows)
        {
            if (rows.Count > 5)
            {
                return (50035, "components: at most 5 action rows");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows.OfType<JsonObject>())
            {
                var inner = row["components"] as JsonArray ?? [];
                if (row["type"]?.GetValue<int>() != 1 || inner.Count is < 1 or > 5)
                {
                    return (50035, "components: an action row holds 1–5 buttons");
                }

                foreach (var button in inner.OfType<JsonObject>())
                {
                    var id = button["custom_id"]?.GetValue<string>();
                    if (button["style"]?.GetValue<int>() != 5 && (id is null || id.Length is < 1 or > 100 || !ids.Add(id)))
                    {
                        return (50035, "components: custom_id must be 1–100 characters and unique");
                    }

                    if (button["label"]?.GetValue<string>() is { Length: > 80 })
                    {
                        return (50035, "components: label must be at most 80 characters");
                    }
                }
            }
        }

        if (ValidateAllowedMentions(message["allowed_mentions"]) is { } mentions)
        {
            return (50035, mentions);
        }

        if (message["nonce"] is JsonValue nonce && nonce.ToString().Length > 25)
        {
            return (50035, "nonce: must be 25 or fewer in length");
        }

        var hasSomething = !string.IsNullOrEmpty(content) || embeds is { Count: > 0 } || message["components"] is JsonArray { Count: > 0 }
            || message["sticker_ids"] is JsonArray { Count: > 0 } || message["poll"] is not null || hasFiles;
        return requireSomething && !hasSomething ? (50006, "Cannot send an empty message") : null;
    }

    /// <summary>parse entries and the matching explicit lists are mutually exclusive.</summary>
    public static string? ValidateAllowedMentions(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject mentions)
        {
            return "allowed_mentions: must be an object";
        }

        var parse = (mentions["parse"] as JsonArray)?.Select(p => p?.GetValue<string>()).ToList() ?? [];
        if (parse.Any(p => p is not ("users" or "roles" or "everyone")))
        {
            return "allowed_mentions.parse: unknown value";
        }

        if (parse.Contains("users") && mentions["users"] is JsonArray { Count: > 0 })
        {
            return "allowed_mentions: parse:[\"users\"] and users: [ids] are mutually exclusive";
        }

        if (parse.Contains("roles") && mentions["roles"] is JsonArray { Count: > 0 })
        {
            return "allowed_mentions: parse:[\"roles\"] and roles: [ids] are mutually exclusive";
        }

        return (mentions["users"] as JsonArray)?.Count > 100 || (mentions["roles"] as JsonArray)?.Count > 100
            ? "allowed_mentions: at most 100 users and 100 roles"
            : null;
    }

    /// <summary>True when a message body could not ping anyone: allowed_mentions present with an empty parse and no lists.</summary>
    public static bool HasSafeMentions(JsonObject message) =>
        message["allowed_mentions"] is JsonObject m && m["parse"] is JsonArray { Count: 0 }
        && m["users"] is null or JsonArray { Count: 0 } && m["roles"] is null or JsonArray { Count: 0 };

    private static string? Check(JsonNode? node, int max, string what, ref int total)
    {
        var text = node?.GetValue<string>();
        if (text is null)
        {
            return null;
        }

        total += text.Length;
        return text.Length > max ? $"{what}: must be {max} or fewer in length" : null;
    }
}
