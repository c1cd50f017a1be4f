using System.Text.RegularExpressions;

namespace ReadingBot.Core.Wayr;

/// <summary>What a WAYR post's text says: an optional paper reference, a status and a note.</summary>
internal sealed record WayrPostText(string? Reference, ReadingStatus Status, string Note, string? Error);

/// <summary>
/// Reads a WAYR post: the first word that is a paper reference (a link, an arXiv id, a DOI, <c>#n</c>) names the
/// paper; a status is the first word, the word after the reference, or <c>status:&lt;value&gt;</c> anywhere
/// (skimmed, reading, read, implemented; reading if none); the rest is the note.
/// </summary>
internal static partial class WayrPostParser
{
    [GeneratedRegex(@"^(arxiv:)?(\d{4}\.\d{4,5}(v\d+)?|[a-z\-]+(\.[A-Za-z]{2})?/\d{7}(v\d+)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivLike();

    public static WayrPostText Parse(string text)
    {
        var words = (text ?? "").Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToList();
        ReadingStatus? status = null;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].StartsWith("status:", StringComparison.OrdinalIgnoreCase))
            {
                var value = words[i][7..];
                if (!TryStatus(value, out var s))
                {
                    return new WayrPostText(null, ReadingStatus.Reading, "", $"'{Clip(value)}' is not a status. Use skimmed, reading, read or implemented.");
                }

                status = s;
                words.RemoveAt(i);
                break;
            }
        }

        var refIndex = words.FindIndex(LooksLikeReference);
        string? reference = refIndex >= 0 ? words[refIndex].TrimEnd(',', ';', ')').TrimStart('(', '<').TrimEnd('>') : null;
        if (status is null && words.Count > 0 && TryStatus(words[0], out var first))
        {
            status = first;
            words.RemoveAt(0);
            refIndex--;
        }

        if (refIndex >= 0)
        {
            words.RemoveAt(refIndex);
            if (status is null && refIndex < words.Count && TryStatus(words[refIndex], out var after))
            {
                status = after;
                words.RemoveAt(refIndex);
            }
        }

        var note = string.Join(' ', words).Trim().TrimStart('-', '—', ':').Trim();
        if (reference is null && note.Length == 0)
        {
            return new WayrPostText(null, ReadingStatus.Reading, "", "That post is empty. Say what you are reading, e.g. /wayr 1706.03762 read: the attention figures finally clicked.");
        }

        return new WayrPostText(reference, status ?? ReadingStatus.Reading, note, null);
    }

    /// <summary>True for words that name a paper; plain words with a dot (e.g., "e.g.") are not references.</summary>
    public static bool LooksLikeReference(string word)
    {
        var w = word.TrimEnd(',', ';', ')').TrimStart('(', '<').TrimEnd('>');
        return w.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || w.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || w.StartsWith("doi:", StringComparison.OrdinalIgnoreCase)
            || (w.StartsWith("10.", StringComparison.Ordinal) && w.Contains('/', StringComparison.Ordinal))
            || w.StartsWith("arxiv.org/", StringComparison.OrdinalIgnoreCase) || w.StartsWith("doi.org/", StringComparison.OrdinalIgnoreCase)
            || w.StartsWith("openreview.net/", StringComparison.OrdinalIgnoreCase)
            || (w.Length > 1 && w[0] == '#' && w[1..].All(char.IsAsciiDigit))
            || ArxivLike().IsMatch(w);
    }

    public static bool TryStatus(string word, out ReadingStatus status)
    {
        var w = word.Trim().TrimEnd(':', ',').ToLowerInvariant();
        (var ok, status) = w switch
        {
            "skimmed" or "skimming" => (true, ReadingStatus.Skimmed),
            "reading" => (true, ReadingStatus.Reading),
            "read" or "finished" => (true, ReadingStatus.Read),
            "implemented" or "implementing" => (true, ReadingStatus.Implemented),
            _ => (false, ReadingStatus.Reading),
        };
        return ok;
    }

    private static string Clip(string value) => value.Length <= 30 ? value : value[..30] + "…";
}
