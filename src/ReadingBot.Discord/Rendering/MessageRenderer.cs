using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ReadingBot.Core.Replies;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Rendering;

/// <summary>A Discord message body (JSON) and an optional file to upload with it.</summary>
public sealed record DiscordMessage(JsonObject Body, RestFile? File)
{
    public bool Ephemeral => Body["flags"] is JsonValue v && (v.GetValue<int>() & MessageRenderer.EphemeralFlag) != 0;
}

/// <summary>
/// Renders Core replies as Discord messages within Discord's limits (2000 characters of content, embed limits,
/// 5×5 buttons with custom ids of at most 100 characters). Buttons carry their command line in the custom id.
/// </summary>
public static class MessageRenderer
{
    public const int EphemeralFlag = 64;
    public const int MaxContent = 2000;
    public const string ButtonPrefix = "rb:";

    public static DiscordMessage Render(Reply reply)
    {
        var body = new JsonObject();
        RestFile? file = null;
        var buttons = new List<ReplyButton>();
        switch (reply)
        {
            case TextReply t:
                body["content"] = Clip(Escape(t.Text), MaxContent);
                break;
            case ErrorReply e:
                body["content"] = Clip(Escape(e.Message), MaxContent);
                break;
            case CardReply c:
                var embed = Card(c.Card);
                if (c.Card.Image is { } image)
                {
                    // The picture travels as an attachment of the same message; the embed points at it by file name.
                    file = new RestFile(SafeFileName(image.FileName), image.ContentType, image.Content, Clip(Moment.Plain(image.AltText), 1024));
                    embed["image"] = new JsonObject { ["url"] = "attachment://" + file.FileName };
                }

                body["embeds"] = new JsonArray(embed);
                buttons.AddRange(c.Card.Buttons);
                break;
            case ListReply l:
                body["embeds"] = new JsonArray(List(l));
                buttons.AddRange(l.Items.Select(i => i.Button).OfType<ReplyButton>());
                break;
            case FileReply f:
                body["content"] = Clip(Escape(f.Caption), MaxContent);
                file = new RestFile(SafeFileName(f.FileName), f.ContentType, f.Content);
                break;
            default:
                body["content"] = Clip(Escape(PlainTextRenderer.Render(reply)), MaxContent);
                break;
        }

        if (Components(buttons) is { Count: > 0 } rows)
        {
            body["components"] = rows;
        }

        if (reply.Ephemeral)
        {
            body["flags"] = EphemeralFlag;
        }

        body["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() };
        return new DiscordMessage(body, file);
    }

    /// <summary>The command line a button's custom id carries, or null if it is not one of ours.</summary>
    public static string? CommandLineOf(string customId) =>
        customId.StartsWith(ButtonPrefix, StringComparison.Ordinal) ? customId[ButtonPrefix.Length..] : null;

    /// <summary>The prefix of a button sent in a direct message: <c>rb@&lt;guild&gt;:&lt;command line&gt;</c>.</summary>
    public const string DirectButtonPrefix = "rb@";

    /// <summary>
    /// A press in a DM carries no guild_id, so the buttons of a message the bot sends a member directly name the
    /// server whose group they act for. Custom ids come from the bot's own message, not from the member.
    /// </summary>
    public static void ScopeButtons(JsonObject body, string guildId)
    {
        foreach (var button in (body["components"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(r => (r["components"] as JsonArray ?? []).OfType<JsonObject>()))
        {
            if (button["custom_id"]?.GetValue<string>() is { } id && CommandLineOf(id) is { } line)
            {
                button["custom_id"] = Clip($"{DirectButtonPrefix}{guildId}:{line}", 100);
            }
        }
    }

    /// <summary>The server and command line of a button from a direct message (<see cref="ScopeButtons"/>), or null.</summary>
    public static (string GuildId, string Line)? DirectButtonOf(string customId)
    {
        var colon = customId.IndexOf(':', StringComparison.Ordinal);
        if (!customId.StartsWith(DirectButtonPrefix, StringComparison.Ordinal) || colon < 0)
        {
            return null;
        }

        var guild = customId[DirectButtonPrefix.Length..colon];
        return guild.Length > 0 && guild.All(char.IsAsciiDigit) ? (guild, customId[(colon + 1)..]) : null;
    }

    private static JsonObject Card(Card card)
    {
        var budget = new EmbedBudget();
        var embed = new JsonObject { ["type"] = "rich", ["title"] = budget.Take(Moment.Plain(card.Title), 256) };
        if (card.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
        {
            embed["url"] = url;
        }

        var fields = new JsonArray();
        foreach (var field in card.Fields.Take(25))
        {
            if (budget.Left < 64)
            {
                break;
            }

            fields.Add(new JsonObject { ["name"] = budget.Take(Moment.Plain(field.Name), 256, "-"), ["value"] = budget.Take(Escape(field.Value), 1024, "-"), ["inline"] = field.Value.Length <= 40 });
        }

        if (card.Footer is { } footer)
        {
            embed["footer"] = new JsonObject { ["text"] = budget.Take(Moment.Plain(footer), 2048) };
        }

        var description = string.Join("\n\n", new[] { card.Subtitle, card.Body }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => Escape(s!)));
        if (description.Length > 0 && budget.Left > 0)
        {
            embed["description"] = budget.Take(description, 4096);
        }

        if (fields.Count > 0)
        {
            embed["fields"] = fields;
        }

        return embed;
    }

    private static JsonObject List(ListReply list)
    {
        var budget = new EmbedBudget();
        var embed = new JsonObject { ["type"] = "rich", ["title"] = budget.Take(Moment.Plain(list.Title), 256) };
        if (list.Footer is { } footer)
        {
            embed["footer"] = new JsonObject { ["text"] = budget.Take(Moment.Plain(footer), 2048) };
        }

        var sb = new StringBuilder();
        if (list.Items.Count == 0)
        {
            sb.Append(Escape(list.EmptyText));
        }

        foreach (var item in list.Items)
        {
            // A masked link's label is shown as written, so a moment in it is written out rather than marked up.
            var line = item.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                ? $"• [{EscapeMarkdown(Moment.Plain(item.Text)).Replace("]", "\\]", StringComparison.Ordinal)}]({url.Replace(")", "%29", StringComparison.Ordinal)})"
                : "• " + Escape(item.Text);
            if (sb.Length + line.Length + 1 > Math.Min(4096, budget.Left) - 2)
            {
                sb.Append('…');
                break;
            }

            sb.Append(line).Append('\n');
        }

        embed["description"] = budget.Take(sb.ToString().TrimEnd('\n'), 4096);
        return embed;
    }

    private static JsonArray? Components(List<ReplyButton> buttons)
    {
        var usable = buttons
            .Where(b => (ButtonPrefix + b.CommandLine).Length <= 100 && b.CommandLine.Length > 0)
            .DistinctBy(b => b.CommandLine)
            .Take(25)
            .ToList();
        if (usable.Count == 0)
        {
            return null;
        }

        var rows = new JsonArray();
        foreach (var chunk in usable.Chunk(5))
        {
            var row = new JsonArray();
            foreach (var button in chunk)
            {
                row.Add(new JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = Clip(Moment.Plain(button.Label), 80), ["custom_id"] = ButtonPrefix + button.CommandLine });
            }

            rows.Add(new JsonObject { ["type"] = 1, ["components"] = row });
        }

        return rows;
    }

    /// <summary>
    /// Replies are plain text: escape Discord markdown so user text cannot restyle a message (links stay clickable).
    /// Moments become Discord timestamps, which each reader's client shows in their own zone. Only content, embed
    /// descriptions and field values render them; titles, field names, footers and labels get <see cref="Moment.Plain"/>.
    /// </summary>
    public static string Escape(string text) => Moment.Render(text, EscapeMarkdown, Timestamp);

    /// <summary>A moment as Discord timestamp markup: the full date and time, and "in 2 days" where that helps.</summary>
    public static string Timestamp(Moment moment) =>
        moment.WithRelative
            ? string.Create(CultureInfo.InvariantCulture, $"<t:{moment.UnixSeconds}:F> (<t:{moment.UnixSeconds}:R>)")
            : string.Create(CultureInfo.InvariantCulture, $"<t:{moment.UnixSeconds}:F>");

    private static string EscapeMarkdown(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var wordStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                wordStart = i + 1;
                sb.Append(c);
                continue;
            }

            var inUrl = text.AsSpan(wordStart).StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.AsSpan(wordStart).StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!inUrl && c is '\\' or '*' or '_' or '~' or '`' or '|' || (c == '>' && i == wordStart && (i == 0 || text[i - 1] == '\n')))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string SafeFileName(string name)
    {
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return clean.Length == 0 ? "file" : Clip(clean, 100);
    }

    /// <summary>Discord caps the characters of all embed text together at 6000.</summary>
    private sealed class EmbedBudget
    {
        public int Left { get; private set; } = 6000;

        public string Take(string text, int max, string empty = "")
        {
            var value = text.Length == 0 ? empty : text;
            var allowed = Math.Max(1, Math.Min(max, Left - 1));
            var clipped = Clip(value, allowed);
            Left -= clipped.Length;
            return clipped;
        }
    }
}
