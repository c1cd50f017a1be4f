using System.Globalization;
using System.Text;
using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Exports;

/// <summary>The iCalendar export (<c>/export ics</c>), as a pure function of the events (tests call it directly).</summary>
public static class CalendarExport
{
    /// <summary>
    /// An RFC 5545 calendar with a VTIMEZONE for the group's zone (its offsets and transitions this year and next) and
    /// the events other features contribute, in that zone. CRLF lines folded at 75 octets.
    /// </summary>
    public static string Calendar(GroupId group, TimeZoneInfo zone, IReadOnlyList<CalendarEvent> events, DateTimeOffset now)
    {
        var zoneId = zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : "Etc/UTC";
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ReadingBot//Reading group sessions//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + IcsText("Reading group sessions"), "X-WR-TIMEZONE:" + zoneId,
        };
        lines.AddRange(IcsTimeZone.Component(zone, zoneId, now));
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        foreach (var e in events)
        {
            var local = TimeZoneInfo.ConvertTime(e.Start, zone);
            var end = TimeZoneInfo.ConvertTime(e.Start + e.Duration, zone);
            lines.Add("BEGIN:VEVENT");
            lines.Add("UID:" + IcsText(e.Uid) + "@readingbot");
            lines.Add("DTSTAMP:" + stamp);
            lines.Add("SEQUENCE:" + e.Sequence.ToString(CultureInfo.InvariantCulture));
            lines.Add(e.Cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
            lines.Add($"DTSTART;TZID={zoneId}:{local.DateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}");
            lines.Add($"DTEND;TZID={zoneId}:{end.DateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}");
            lines.Add("SUMMARY:" + IcsText(e.Summary));
            if (e.Description is not null)
            {
                lines.Add("DESCRIPTION:" + IcsText(e.Description));
            }

            if (e.Url is not null)
            {
                lines.Add("URL:" + e.Url);
            }

            lines.Add("END:VEVENT");
        }

        lines.Add("END:VCALENDAR");
        _ = group;
        return string.Concat(lines.Select(l => Fold(l) + "\r\n"));
    }

    internal static string IcsText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    /// <summary>Folds a content line at 75 octets (UTF-8), never inside a character, continuing with a space.</summary>
    private static string Fold(string line)
    {
        var bytes = Encoding.UTF8.GetByteCount(line);
        if (bytes <= 75)
        {
            return line;
        }

        var sb = new StringBuilder();
        var count = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (count + size > limit)
            {
                sb.Append("\r\n ");
                count = 0;
                limit = 74;
            }

            sb.Append(rune.ToString());
            count += size;
        }

        return sb.ToString();
    }
}
