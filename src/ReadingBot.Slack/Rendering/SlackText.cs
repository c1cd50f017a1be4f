using System.Globalization;
using System.Text;
using ReadingBot.Core.Replies;

namespace ReadingBot.Slack.Rendering;

/// <summary>
/// Slack's three control characters. Every text we render is escaped, so text that came from users (a paper title
/// holding <c>&lt;!channel&gt;</c>) can never become a mention, a broadcast or a link.
/// </summary>
public static class SlackText
{
    /// <summary>Escapes text for any Slack field; a moment in it is written in the group's zone, naming it.</summary>
    public static string Escape(string? text) => EscapeControl(Moment.Plain(text));

    /// <summary>
    /// Escapes text for a mrkdwn field, writing each moment as Slack date markup so every reader sees their own zone;
    /// the fallback (for clients that cannot) is the group's zone, named.
    /// </summary>
    public static string Mrkdwn(string? text) => Moment.Render(text, EscapeControl, Date);

    /// <summary>A moment as Slack date markup: "Today at 18:00", "Dec 10th at 18:00" in the reader's zone.</summary>
    public static string Date(Moment moment) =>
        string.Create(CultureInfo.InvariantCulture, $"<!date^{moment.UnixSeconds}^{{date_short_pretty}} at {{time}}|{EscapeControl(moment.PlainText).Replace("|", "/", StringComparison.Ordinal)}>");

    private static string EscapeControl(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <summary>Slack sends typed text with <c>&amp; &lt; &gt;</c> encoded; commands want what the member typed.</summary>
    public static string Unescape(string? text) =>
        string.IsNullOrEmpty(text)
            ? ""
            : text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    /// <summary>A link in mrkdwn: both parts escaped, and a <c>|</c> in the address encoded so it cannot end the address early.</summary>
    public static string Link(string url, string label) =>
        $"<{Escape(url).Replace("|", "%7C", StringComparison.Ordinal)}|{Escape(label)}>";

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Strips CR/LF so user text cannot forge log lines.</summary>
    public static string ForLog(string? text) =>
        text is null ? "" : Clip(text.Replace('\r', ' ').Replace('\n', ' '), 200);
}
