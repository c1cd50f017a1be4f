using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReadingBot.Discord.Interactions;

/// <summary>
/// Checks that a verified interaction has the JSON types the router reads (strings for ids and tokens, numbers for
/// types, objects and arrays where Discord sends them). A valid signature proves who signed, not that the fields are
/// well formed: without this check a wrong type surfaces as an exception deep in the router.
/// </summary>
public static class InteractionShape
{
    private const int MaxOptionDepth = 3;

    /// <summary>What is wrong with the payload, in a few words naming only the field; null when it has the expected shape.</summary>
    public static string? Problem(JsonObject interaction)
    {
        if (!IsInt(interaction["type"], out var type))
        {
            return "type is not a number";
        }

        if (!IsSnowflake(interaction["id"]))
        {
            return "id is not a snowflake string";
        }

        if (type == InteractionTypes.Ping)
        {
            return null;
        }

        return Field(interaction, "token", required: true)
            ?? Field(interaction, "application_id")
            ?? Field(interaction, "guild_id")
            ?? Field(interaction, "channel_id")
            ?? Channel(interaction["channel"])
            ?? Who(interaction)
            ?? Data(type, interaction["data"]);
    }

    private static string? Channel(JsonNode? channel) => channel switch
    {
        null => null,
        JsonObject c => Field(c, "id", prefix: "channel.") ?? Field(c, "parent_id", prefix: "channel.")
            ?? (c["type"] is null || IsInt(c["type"], out _) ? null : "channel.type is not a number"),
        _ => "channel is not an object",
    };

    private static string? Who(JsonObject interaction)
    {
        var member = interaction["member"];
        var user = interaction["user"];
        if (member is null && user is null)
        {
            // Discord sends member in a server and user in a direct message: one of them is always there.
            return interaction["guild_id"] is null ? "neither member nor user is present" : "member is missing";
        }

        if (member is not null and not JsonObject)
        {
            return "member is not an object";
        }

        if (member is JsonObject m)
        {
            if (m["user"] is not JsonObject)
            {
                return "member.user is missing or not an object";
            }

            var problem = User(m["user"], "member.user.")
                ?? Field(m, "nick", prefix: "member.")
                ?? Field(m, "permissions", prefix: "member.");
            if (problem is not null)
            {
                return problem;
            }

            if (m["roles"] is { } roles && (roles is not JsonArray list || list.Any(r => !IsString(r))))
            {
                return "member.roles is not an array of strings";
            }
        }
        else if (interaction["guild_id"] is not null)
        {
            return "member is missing";
        }

        return user is null ? null : User(user, "user.");
    }

    private static string? User(JsonNode? user, string prefix) => user is JsonObject u
        ? Field(u, "id", required: true, prefix) ?? Field(u, "username", prefix: prefix) ?? Field(u, "global_name", prefix: prefix)
        : prefix.TrimEnd('.') + " is not an object";

    private static string? Data(int type, JsonNode? data)
    {
        if (type is < InteractionTypes.Command or > InteractionTypes.ModalSubmit)
        {
            // The router answers kinds it does not know with a message of its own; it reads nothing of their data.
            return null;
        }

        if (data is not JsonObject d)
        {
            return data is null ? "data is missing" : "data is not an object";
        }

        return type switch
        {
            InteractionTypes.Command or InteractionTypes.Autocomplete => Field(d, "name", required: true, "data.") ?? Options(d["options"], "data.options", 1),
            InteractionTypes.Component => Field(d, "custom_id", required: true, "data."),
            _ => null,
        };
    }

    private static string? Options(JsonNode? options, string path, int depth)
    {
        if (options is null)
        {
            return null;
        }

        if (options is not JsonArray list || depth > MaxOptionDepth)
        {
            return path + " is not an array of options";
        }

        foreach (var node in list)
        {
            if (node is not JsonObject option)
            {
                return path + " holds something that is not an option";
            }

            var problem = Field(option, "name", required: true, path + "[].")
                ?? (IsInt(option["type"], out _) ? null : path + "[].type is not a number")
                ?? (option["focused"] is null || IsBool(option["focused"]) ? null : path + "[].focused is not true or false")
                ?? (option["value"] is null or JsonValue ? null : path + "[].value is not a plain value")
                ?? Options(option["options"], path + "[].options", depth + 1);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>A string field: absent or null is fine unless <paramref name="required"/>.</summary>
    private static string? Field(JsonObject parent, string name, bool required = false, string prefix = "")
    {
        var node = parent[name];
        if (node is null)
        {
            return required ? prefix + name + " is missing" : null;
        }

        return IsString(node) ? null : prefix + name + " is not a string";
    }

    private static bool IsBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static bool IsInt(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value);
    }

    private static bool IsSnowflake(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length is > 0 and <= 20 && s.All(char.IsAsciiDigit);
}
