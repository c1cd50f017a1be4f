using System.Text;

namespace ReadingBot.Core.Replies;

/// <summary>Renders replies as plain text: the local chat's output and every adapter's fallback.</summary>
public static class PlainTextRenderer
{
    /// <summary>The reply as text, every moment in the group's zone and naming it.</summary>
    public static string Render(Reply reply) => Moment.Plain(RenderWithMoments(reply));

    private static string RenderWithMoments(Reply reply) => reply switch
    {
        TextReply t => t.Text,
        ErrorReply e => "Error: " + e.Message,
        CardReply c => CardWithMoments(c.Card),
        ListReply l => RenderList(l),
        FileReply f => $"{f.Caption} ({f.FileName}, {f.Content.Length} bytes)",
        _ => reply.ToString(),
    };

    /// <summary>The card as text, every moment in the group's zone and naming it.</summary>
    public static string RenderCard(Card card) => Moment.Plain(CardWithMoments(card));

    private static string CardWithMoments(Card card)
    {
        var sb = new StringBuilder();
        sb.Append(card.Title);
        if (card.Subtitle is not null)
        {
            sb.Append('\n').Append(card.Subtitle);
        }

        if (card.Url is not null)
        {
            sb.Append('\n').Append(card.Url);
        }

        foreach (var field in card.Fields)
        {
            sb.Append('\n').Append(field.Name).Append(": ").Append(field.Value);
        }

        if (card.Body is not null)
        {
            sb.Append("\n\n").Append(card.Body);
        }

        foreach (var button in card.Buttons)
        {
            sb.Append("\n[").Append(button.Label).Append("] /").Append(button.CommandLine);
        }

        if (card.Footer is not null)
        {
            sb.Append('\n').Append(card.Footer);
        }

        return sb.ToString();
    }

    private static string RenderList(ListReply list)
    {
        var sb = new StringBuilder(list.Title);
        if (list.Items.Count == 0)
        {
            sb.Append('\n').Append(list.EmptyText);
        }

        foreach (var item in list.Items)
        {
            sb.Append("\n  ").Append(item.Text);
            if (item.Url is not null)
            {
                sb.Append("  ").Append(item.Url);
            }

            if (item.Button is not null)
            {
                sb.Append("  [").Append(item.Button.Label).Append(": /").Append(item.Button.CommandLine).Append(']');
            }
        }

        if (list.Footer is not null)
        {
            sb.Append('\n').Append(list.Footer);
        }

        return sb.ToString();
    }
}
