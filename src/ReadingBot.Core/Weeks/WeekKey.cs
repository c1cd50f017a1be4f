using System.Globalization;

namespace ReadingBot.Core.Weeks;

/// <summary>An ISO week (year and week number) as seen in a group's time zone.</summary>
public readonly record struct WeekKey(int Year, int Week) : IComparable<WeekKey>
{
    public static WeekKey Of(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return new WeekKey(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
    }

    /// <summary>
    /// The earliest week any group could file <paramref name="instant"/> under: local weeks differ from UTC's by less
    /// than a day, so the UTC week before it is a safe lower bound for a range of weeks in any zone.
    /// </summary>
    public static WeekKey EarliestFor(DateTimeOffset instant) => Of(instant, TimeZoneInfo.Utc).Previous();

    /// <summary>The Monday that starts this week, as a local date.</summary>
    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public WeekKey Next() => Advance(1);

    /// <summary>The week <paramref name="weeks"/> weeks later (earlier when negative).</summary>
    public WeekKey Advance(int weeks) => FromMonday(Monday.AddDays(7 * weeks));

    public WeekKey Previous() => FromMonday(Monday.AddDays(-7));

    public static WeekKey FromMonday(DateOnly monday)
    {
        var dt = monday.ToDateTime(TimeOnly.MinValue);
        return new WeekKey(ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    public static bool TryParse(string text, out WeekKey week)
    {
        // Accepts 2026-W48 and 2026W48.
        week = default;
        var parts = text.Trim().ToUpperInvariant().Replace("-W", "W", StringComparison.Ordinal).Split('W');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && y is >= 1900 and <= 9999 && w >= 1 && w <= ISOWeek.GetWeeksInYear(y))
        {
            week = new WeekKey(y, w);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Reads the week a command names: an ISO week (<c>2026-W49</c>, as <see cref="TryParse"/>) or a date in it
    /// (<c>2026-12-03</c>). A date names the same ISO week in every zone, so no zone is needed.
    /// </summary>
    public static bool TryParseWeekOrDate(string text, out WeekKey week)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            week = Of(new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), TimeZoneInfo.Utc);
            return true;
        }

        return TryParse(text, out week);
    }

    public int CompareTo(WeekKey other) => Year != other.Year ? Year.CompareTo(other.Year) : Week.CompareTo(other.Week);

    public override string ToString() => $"{Year:D4}-W{Week:D2}";

    public static bool operator <(WeekKey a, WeekKey b) => a.CompareTo(b) < 0;
    public static bool operator >(WeekKey a, WeekKey b) => a.CompareTo(b) > 0;
    public static bool operator <=(WeekKey a, WeekKey b) => a.CompareTo(b) <= 0;
    public static bool operator >=(WeekKey a, WeekKey b) => a.CompareTo(b) >= 0;
}
