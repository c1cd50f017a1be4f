using System.Globalization;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Wayr;

/// <summary>The WAYR and streak settings of a group.</summary>
internal static class WayrSettings
{
    public static readonly SettingDefinition Open = new("wayr-open", "when the weekly WAYR thread opens (weekday HH:MM, group time)", SettingScope.Group, "monday 08:00", true, WeeklySchedule.NormalizeWeeklyTime);
    public static readonly SettingDefinition Close = new("wayr-close", "when the WAYR week closes with its digest (weekday HH:MM, group time)", SettingScope.Group, "sunday 20:00", true, WeeklySchedule.NormalizeWeeklyTime);
    public static readonly SettingDefinition MinNote = new("wayr-min-note", "characters a note-only WAYR post needs to count for the streak", SettingScope.Group, "40", true, v => NormalizeInt(v, 1, 2000));
    public static readonly SettingDefinition Discussion = new("streak-discussion", "whether adding to the discussion of the week's paper keeps a streak (on/off)", SettingScope.Group, "off", true, SettingCatalogue.NormalizeOnOff);
    public static readonly SettingDefinition FreezeEvery = new("freeze-every", "kept weeks that earn one streak freeze", SettingScope.Group, "4", true, v => NormalizeInt(v, 1, 52));
    public static readonly SettingDefinition FreezeMax = new("freeze-max", "the most freezes a member can hold", SettingScope.Group, "2", true, v => NormalizeInt(v, 0, 10));

    public static FreezeRules Rules(Group group) =>
        new(int.Parse(group.Setting(FreezeEvery), CultureInfo.InvariantCulture), int.Parse(group.Setting(FreezeMax), CultureInfo.InvariantCulture));

    public static int MinNoteLength(Group group) => int.Parse(group.Setting(MinNote), CultureInfo.InvariantCulture);

    public static WeeklyTime OpenTime(Group group) =>
        WeeklyTime.TryParse(group.Setting(Open), out var t) ? t : new WeeklyTime(DayOfWeek.Monday, new TimeOnly(8, 0));

    public static WeeklyTime CloseTime(Group group) =>
        WeeklyTime.TryParse(group.Setting(Close), out var t) ? t : new WeeklyTime(DayOfWeek.Sunday, new TimeOnly(20, 0));

    public static DateTimeOffset OpensAt(Group group, WeekKey week) =>
        WeeklySchedule.InstantOf(week, OpenTime(group), group.Zone());

    /// <summary>When a week closes: the close time of that ISO week, or the week's last minute if the close is set before the open.</summary>
    public static DateTimeOffset ClosesAt(Group group, WeekKey week)
    {
        var zone = group.Zone();
        var close = WeeklySchedule.InstantOf(week, CloseTime(group), zone);
        return close > OpensAt(group, week) ? close : WeeklySchedule.ToInstant(week.Monday.AddDays(6), new TimeOnly(23, 59), zone);
    }

    private static string NormalizeInt(string value, int min, int max) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new SettingValueException($"'{(value.Length <= 20 ? value : value[..20])}' is not a whole number from {min} to {max}.");
}
