using System.Globalization;

namespace ReadingBot.Core.Exports;

/// <summary>The VTIMEZONE component of the iCalendar export: the zone's offsets and their transitions.</summary>
internal static class IcsTimeZone
{
    internal static IEnumerable<string> Component(TimeZoneInfo zone, string zoneId, DateTimeOffset now)
    {
        yield return "BEGIN:VTIMEZONE";
        yield return "TZID:" + zoneId;
        var transitions = Transitions(zone, now.Year - 1, now.Year + 1);
        if (transitions.Count == 0)
        {
            var offset = zone.GetUtcOffset(now);
            yield return "BEGIN:STANDARD";
            yield return "DTSTART:19700101T000000";
            yield return "TZOFFSETFROM:" + Offset(offset);
            yield return "TZOFFSETTO:" + Offset(offset);
            yield return "TZNAME:" + CalendarExport.IcsText(zone.StandardName.Length is > 0 and < 20 ? zone.StandardName : Offset(offset));
            yield return "END:STANDARD";
        }

        foreach (var (atUtc, from, to) in transitions)
        {
            var daylight = zone.IsDaylightSavingTime(atUtc.AddMinutes(1));
            var kind = daylight ? "DAYLIGHT" : "STANDARD";
            yield return "BEGIN:" + kind;
            // DTSTART is the local time at which the transition happens, on the old offset's clock.
            yield return "DTSTART:" + (atUtc.UtcDateTime + from).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
            yield return "TZOFFSETFROM:" + Offset(from);
            yield return "TZOFFSETTO:" + Offset(to);
            yield return "END:" + kind;
        }

        yield return "END:VTIMEZONE";
    }

    /// <summary>Offset changes of <paramref name="zone"/> in the given years, found by scanning days and bisecting to the minute.</summary>
    public static List<(DateTimeOffset AtUtc, TimeSpan From, TimeSpan To)> Transitions(TimeZoneInfo zone, int firstYear, int lastYear)
    {
        var result = new List<(DateTimeOffset, TimeSpan, TimeSpan)>();
        var start = new DateTimeOffset(firstYear, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(lastYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var previous = zone.GetUtcOffset(start);
        for (var t = start.AddHours(6); t <= end; t = t.AddHours(6))
        {
            var current = zone.GetUtcOffset(t);
            if (current == previous)
            {
                continue;
            }

            var lo = t.AddHours(-6);
            var hi = t;
            while (hi - lo > TimeSpan.FromMinutes(1))
            {
                var mid = lo + ((hi - lo) / 2);
                if (zone.GetUtcOffset(mid) == previous)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            var at = new DateTimeOffset(hi.UtcDateTime.Ticks - (hi.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            result.Add((at, previous, current));
            previous = current;
        }

        return result;
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
}
