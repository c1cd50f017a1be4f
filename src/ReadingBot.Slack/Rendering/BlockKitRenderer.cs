using System.Text.Json.Nodes;
using ReadingBot.Core.Replies;

namespace ReadingBot.Slack.Rendering;

/// <summary>A message ready for chat.postMessage, a response_url or an ack payload: a fallback text and Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray? Blocks)
{
    /// <summary>The fields shared by every place a message goes (<c>text</c>, <c>blocks</c>).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["text"] = Text };
        if (Blocks is { Count: > 0 })
        {
            json["blocks"] = Blocks.DeepClone();
        }

        return json;
    }
}

/// <summary>
/// Renders platform-neutral replies as Block Kit. Every piece of text is escaped (<see cref="SlackText"/>), and every
/// Slack limit is kept here (50 blocks, 3,000 characters a section, 10 fields, 25 buttons, 75-character labels) so a
/// reply can never be refused as invalid_blocks.
/// </summary>
public static class BlockKitRenderer
{
    /// <summary>Buttons carry this prefix in action_id; their value is the command line to run.</summary>
    public const string CommandActionPrefix = "readingbot.cmd.";

    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxButtonLabel = 75;
    public const int MaxButtonValue = 2000;
    public const int MaxFallbackText = 3000;

    public static SlackMessage Render(Reply reply, string? heading = null)
    {
        var blocks = new JsonArray();
        if (heading is not null)
        {
            blocks.Add(Section($"*{SlackText.Mrkdwn(heading)}*"));
        }

        switch (reply)
        {
            case TextReply t:
                AddLongText(blocks, SlackText.Mrkdwn(t.Text));
                break;
            case ErrorReply e:
                AddLongText(blocks, ":warning: " + SlackText.Mrkdwn(e.Message));
                break;
            case CardReply c:
                AddCard(blocks, c.Card);
                break;
            case ListReply l:
                AddList(blocks, l);
                break;
            case FileReply f:
                // Only reached when the file could not be shared: a private reply, or no channel to share it in.
                AddLongText(blocks, SlackText.Escape($"{f.Caption} ({f.FileName}, {f.Content.Length} bytes). " + (f.Ephemeral ? SlackFiles.EphemeralExplanation : SlackFiles.NoChannelExplanation)));
                break;
            default:
                AddLongText(blocks, SlackText.Escape(PlainTextRenderer.Render(reply)));
                break;
        }

        var fallback = PlainTextRenderer.Render(reply);
        if (heading is not null)
        {
            fallback = heading + "\n" + fallback;
        }

        return new SlackMessage(SlackText.Clip(SlackText.Escape(fallback), MaxFallbackText), Cap(blocks));
    }

    private static void AddCard(JsonArray blocks, Card card)
    {
        var title = card.Url is { Length: > 0 } url ? SlackText.Link(url, card.Title) : SlackText.Mrkdwn(card.Title);
        blocks.Add(Section(SlackText.Clip($"*{title}*", MaxSectionText)));
        if (!string.IsNullOrWhiteSpace(card.Subtitle))
        {
            blocks.Add(Context(SlackText.Mrkdwn(card.Subtitle)));
        }

        foreach (var chunk in card.Fields.Chunk(10))
        {
            var fields = new JsonArray();
            foreach (var f in chunk)
            {
                fields.Add(Mrkdwn(SlackText.Clip($"*{SlackText.Escape(f.Name)}*\n{SlackText.Mrkdwn(f.Value)}", MaxFieldText)));
            }

            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        if (!string.IsNullOrWhiteSpace(card.Body))
        {
            AddLongText(blocks, SlackText.Mrkdwn(card.Body));
        }

        var buttons = card.Buttons.Select((b, i) => Button(b, i)).OfType<JsonObject>().Take(25).ToList();
        if (buttons.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. buttons]) });
        }

        if (!string.IsNullOrWhiteSpace(card.Footer))
        {
            blocks.Add(Context(SlackText.Mrkdwn(card.Footer)));
        }
    }

    private static void AddList(JsonArray blocks, ListReply list)
    {
        blocks.Add(Section(SlackText.Clip($"*{SlackText.Mrkdwn(list.Title)}*", MaxSectionText)));
        if (list.Items.Count == 0)
        {
            blocks.Add(Section(SlackText.Mrkdwn(list.EmptyText)));
        }
        else if (list.Items.Count <= MaxBlocks - 5)
        {
            foreach (var item in list.Items)
            {
                var section = Section(SlackText.Clip(ItemText(item), MaxSectionText));
                if (item.Button is not null && Button(item.Button, blocks.Count) is { } button)
                {
                    section["accessory"] = button;
                }

                blocks.Add(section);
            }
        }
        else
        {
            // Too many lines for one block each: pack them into sections of at most 3,000 characters (buttons are dropped).
            AddLongText(blocks, string.Join("\n", list.Items.Select(ItemText)));
        }

        if (!string.IsNullOrWhiteSpace(list.Footer))
        {
            blocks.Add(Context(SlackText.Mrkdwn(list.Footer)));
        }
    }

    private static string ItemText(ListItem item) =>
        "• " + (item.Url is { Length: > 0 } url ? SlackText.Link(url, item.Text) : SlackText.Mrkdwn(item.Text));

    private static JsonObject? Button(ReplyButton button, int index)
    {
        if (button.CommandLine.Length > MaxButtonValue)
        {
            return null;
        }

        return new JsonObject
        {
            ["type"] = "button",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackText.Clip(SlackText.Escape(button.Label), MaxButtonLabel) },
            // action_id must be unique within a message; the command line itself is the value.
            ["action_id"] = CommandActionPrefix + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(button.CommandLine + "\n" + index)))[..16],
            ["value"] = button.CommandLine,
        };
    }

    private static void AddLongText(JsonArray blocks, string escaped)
    {
        if (escaped.Length == 0)
        {
            return;
        }

        var rest = escaped;
        while (rest.Length > 0)
        {
            var take = rest.Length <= MaxSectionText ? rest.Length : SafeCut(rest, MaxSectionText);
            blocks.Add(Section(rest[..take]));
            rest = rest[take..].TrimStart('\n');
        }
    }

    /// <summary>Cuts at a line break if there is one, and never inside an escape sequence or a surrogate pair.</summary>
    private static int SafeCut(string text, int max)
    {
        var cut = text.LastIndexOf('\n', max - 1);
        if (cut > max / 2)
        {
            return cut;
        }

        cut = max;
        var amp = text.LastIndexOf('&', cut - 1, Math.Min(cut, 6));
        if (amp >= 0 && text.IndexOf(';', amp) >= cut)
        {
            cut = amp;
        }

        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return cut;
    }

    private static JsonArray Cap(JsonArray blocks)
    {
        if (blocks.Count <= MaxBlocks)
        {
            return blocks;
        }

        var capped = new JsonArray();
        for (var i = 0; i < MaxBlocks - 1; i++)
        {
            capped.Add(blocks[i]!.DeepClone());
        }

        capped.Add(Context("… (shortened: Slack shows at most 50 blocks)"));
        return capped;
    }

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Context(string mrkdwn) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(SlackText.Clip(mrkdwn, MaxSectionText))) };
}
