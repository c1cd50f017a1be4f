using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Weeks;

/// <summary>A day of the week and a local time, such as "thursday 18:00".</summary>
public readonly record struct WeeklyTime(DayOfWeek Day, TimeOnly Time)
{
    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>Days after the ISO week's Monday (Monday 0 … Sunday 6).</summary>
    public int IsoOffset => ((int)Day + 6) % 7;

    public static bool TryParse(string text, out WeeklyTime value)
    {
        value = default;
        var parts = text.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !TryParseDay(parts[0], out var day) || !TryParseTime(parts[1], out var time))
        {
            return false;
        }

        value = new WeeklyTime(day, time);
        return true;
    }

    public static bool TryParseDay(string text, out DayOfWeek day)
    {
        var wanted = text.Trim().ToLowerInvariant();
        var index = Array.FindIndex(Days, d => d == wanted || (wanted.Length >= 3 && d.StartsWith(wanted, StringComparison.Ordinal)));
        day = index < 0 ? default : (DayOfWeek)((index + 1) % 7);
        return index >= 0;
    }

    public static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public override string ToString() => $"{Days[IsoOffset]} {Time.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}

/// <summary>Turns a group's schedule settings into instants, in its IANA zone, daylight-saving changes included.</summary>
public static class WeeklySchedule
{
    public static readonly SettingDefinition Announce = new("announce", "when the paper of the week is announced (weekday HH:MM, group time)", SettingScope.Group, "monday 09:00", true, NormalizeWeeklyTime);
    public static readonly SettingDefinition Meeting = new("meeting", "when the group meets to discuss (weekday HH:MM, group time)", SettingScope.Group, "thursday 18:00", true, NormalizeWeeklyTime);
    public static readonly SettingDefinition Reminders = new("reminders", "reminders before the meeting (e.g. 1d,1h; off for none)", SettingScope.Group, "1d,1h", true, NormalizeDurations);
    /// <summary>A member's own reminders by direct message before each meeting (<see cref="DirectReminderJob"/>).</summary>
    public static readonly SettingDefinition RemindMe = new("remind-me", "direct messages to you before each meeting (e.g. 1d,1h; off for none)", SettingScope.Member, "off", false, NormalizeDurations);
    public static readonly SettingDefinition AutoPick = new("autopick", "pick the most-voted suggestion when no moderator picked (on/off)", SettingScope.Group, "on", true, SettingCatalogue.NormalizeOnOff);
    public static readonly SettingDefinition AutoPickCutoff = new("autopick-cutoff", "how long before the announcement the automatic pick happens (e.g. 6h)", SettingScope.Group, "6h", true, NormalizeDuration);
    /// <summary>The weekly meeting as the platform's own calendar event (<see cref="NativeEventJob"/>); only Discord has them.</summary>
    public static readonly SettingDefinition NativeEvents = new("discord-events", "make each week's meeting a Discord scheduled event (on/off)", SettingScope.Group, "off", true, SettingCatalogue.NormalizeOnOff);
    public static readonly SettingDefinition Presenters = new("presenters", "propose a presenter from the volunteers each week (on/off)", SettingScope.Group, "off", true, SettingCatalogue.NormalizeOnOff);

    /// <summary>When the group's paper of the week is announced (its setting, Monday 09:00 when unreadable).</summary>
    public static WeeklyTime AnnounceTime(Group group) =>
        WeeklyTime.TryParse(group.Setting(Announce), out var t) ? t : new WeeklyTime(DayOfWeek.Monday, new TimeOnly(9, 0));

    /// <summary>When the group meets (its setting, Thursday 18:00 when unreadable).</summary>
    public static WeeklyTime MeetingTime(Group group) =>
        WeeklyTime.TryParse(group.Setting(Meeting), out var t) ? t : new WeeklyTime(DayOfWeek.Thursday, new TimeOnly(18, 0));

    /// <summary>The local date and time of a weekly time in a given ISO week, as an instant.</summary>
    public static DateTimeOffset InstantOf(WeekKey week, WeeklyTime at, TimeZoneInfo zone) =>
        ToInstant(week.Monday.AddDays(at.IsoOffset), at.Time, zone);

    /// <summary>
    /// A local date and time in a zone as an instant. A time inside a spring-forward gap moves forward by the gap
    /// (02:30 on the change day becomes 03:30); an ambiguous autumn time takes its first occurrence.
    /// </summary>
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-6));
            return new DateTimeOffset(local, before).ToOffset(zone.GetUtcOffset(new DateTimeOffset(local, before).UtcDateTime));
        }

        if (zone.IsAmbiguousTime(local))
        {
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The meeting that follows a week's announcement: the first meeting time at or after it.</summary>
    public static DateTimeOffset MeetingAfter(DateTimeOffset announcement, WeekKey week, WeeklyTime meeting, TimeZoneInfo zone)
    {
        var inWeek = InstantOf(week, meeting, zone);
        return inWeek >= announcement ? inWeek : InstantOf(week.Next(), meeting, zone);
    }

    public static string NormalizeWeeklyTime(string value) =>
        WeeklyTime.TryParse(value, out var parsed)
            ? parsed.ToString()
            : throw new SettingValueException($"'{Clip(value)}' is not a weekday and time. Use a value such as thursday 18:00 (24-hour clock).");

    public static string NormalizeDuration(string value) =>
        TryParseDuration(value, out var d)
            ? Format(d)
            : throw new SettingValueException($"'{Clip(value)}' is not a duration. Use minutes, hours or days, such as 30m, 6h or 1d.");

    public static string NormalizeDurations(string value)
    {
        var trimmed = value.Trim().ToLowerInvariant();
        if (trimmed is "off" or "none")
        {
            return "off";
        }

        var parts = SettingCatalogue.ParseList(trimmed);
        if (parts.Count is 0 or > 5 || !parts.All(p => TryParseDuration(p, out _)))
        {
            throw new SettingValueException($"'{Clip(value)}' is not a list of up to 5 durations. Use a value such as 1d,1h or off.");
        }

        return string.Join(',', parts.Select(p => TryParseDuration(p, out var d) ? Format(d) : p).Distinct());
    }

    public static IReadOnlyList<TimeSpan> ParseDurations(string value) =>
        value == "off" ? [] : SettingCatalogue.ParseList(value).Select(p => TryParseDuration(p, out var d) ? d : TimeSpan.Zero).Where(d => d > TimeSpan.Zero).ToList();

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var t = text.Trim().ToLowerInvariant();
        if (t.Length < 2 || !int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        duration = t[^1] switch
        {
            'm' when n <= 60 * 24 * 7 => TimeSpan.FromMinutes(n),
            'h' when n <= 24 * 7 => TimeSpan.FromHours(n),
            'd' when n <= 7 => TimeSpan.FromDays(n),
            _ => default,
        };
        return duration > TimeSpan.Zero;
    }

    public static string Format(TimeSpan d) =>
        d.TotalDays >= 1 && d.TotalDays == Math.Floor(d.TotalDays) ? $"{d.TotalDays:0}d"
        : d.TotalHours >= 1 && d.TotalHours == Math.Floor(d.TotalHours) ? $"{d.TotalHours:0}h"
        : $"{d.TotalMinutes:0}m";

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
