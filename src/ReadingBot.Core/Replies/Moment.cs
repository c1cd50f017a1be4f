using System.Globalization;
using System.Text;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Replies;

/// <summary>
/// A point in time in a reply, with the group's zone, left for each surface to write: Discord and Slack show it in
/// every reader's own zone (their timestamp markup), the local chat and the web page in the group's zone, named.
/// Reply texts are strings, so a moment travels inside them as a short token (interpolate the moment:
/// <c>$"we meet {moment}"</c>); renderers find the tokens with <see cref="Render"/>. Core never formats a time itself.
/// </summary>
/// <param name="Instant">The point in time.</param>
/// <param name="Zone">The group's zone: the fallback text's zone and the zone the plain text names.</param>
/// <param name="WithRelative">Also show how far away it is ("in 2 days") where the platform can keep that current.</param>
public sealed record Moment(DateTimeOffset Instant, TimeZoneInfo Zone, bool WithRelative = false)
{
    // Private-use characters: never produced by the bot's own text, and stripped from nothing else (a member who
    // types them gets a date at worst, never markup: renderers write only digits for the instant).
    private const char Open = '\uE000';
    private const char Close = '\uE001';
    private const int MaxTokenLength = 96;

    /// <summary>Seconds since the Unix epoch, what Discord's and Slack's markup take.</summary>
    public long UnixSeconds => Instant.ToUnixTimeSeconds();

    /// <summary>The zone's IANA name (<c>Europe/Berlin</c>).</summary>
    public string ZoneName => Zone.HasIanaId ? Zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(Zone.Id, out var iana) ? iana : Zone.Id;

    /// <summary>The moment in the group's zone, without the zone: <c>Thu 10 Dec 2026 18:00</c>.</summary>
    public string LocalText => TimeZoneInfo.ConvertTime(Instant, Zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The moment in the group's zone, naming it: <c>Thu 10 Dec 2026 18:00 (Europe/Berlin)</c>.</summary>
    public string PlainText => $"{LocalText} ({ZoneName})";

    /// <summary>The token that stands for this moment inside a reply's text.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Open}{UnixSeconds} {ZoneName}{(WithRelative ? " R" : "")}{Close}");

    /// <summary>
    /// Rewrites a reply text: each run of ordinary text through <paramref name="literal"/> (the platform's escaping),
    /// each moment through <paramref name="moment"/> (its markup). A malformed token is dropped as text.
    /// </summary>
    public static string Render(string? text, Func<string, string> literal, Func<Moment, string> moment)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text is null ? "" : literal(text);
        }

        if (text.IndexOf(Open, StringComparison.Ordinal) < 0)
        {
            return literal(text);
        }

        var sb = new StringBuilder(text.Length + 32);
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(Open, at);
            var close = open < 0 ? -1 : text.IndexOf(Close, open + 1);
            if (open < 0 || close < 0)
            {
                sb.Append(literal(Clean(text[at..])));
                break;
            }

            if (open > at)
            {
                sb.Append(literal(Clean(text[at..open])));
            }

            if (Parse(text.AsSpan(open + 1, close - open - 1)) is { } m)
            {
                sb.Append(moment(m));
            }

            at = close + 1;
        }

        return sb.ToString();
    }

    /// <summary>The text with every moment written in the group's zone, naming it (the local chat, the web page, logs).</summary>
    public static string Plain(string? text) => Render(text, s => s, m => m.PlainText);

    /// <summary>The moments a text carries, in order.</summary>
    public static IReadOnlyList<Moment> In(string? text)
    {
        var found = new List<Moment>();
        _ = Render(text, s => s, m =>
        {
            found.Add(m);
            return "";
        });
        return found;
    }

    private static string Clean(string text) => text.Replace(Open.ToString(), "", StringComparison.Ordinal).Replace(Close.ToString(), "", StringComparison.Ordinal);

    private static Moment? Parse(ReadOnlySpan<char> token)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.ToString().Split(' ');
        if (parts.Length is < 2 or > 3
            || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || seconds is < -62135596800 or > 253402300799)
        {
            return null;
        }

        var zone = TimeZones.TryFind(parts[1], out var found) ? found : parts[1] == TimeZoneInfo.Utc.Id ? TimeZoneInfo.Utc : null;
        return zone is null ? null : new Moment(DateTimeOffset.FromUnixTimeSeconds(seconds), zone, parts.Length == 3 && parts[2] == "R");
    }
}
