namespace ReadingBot.Core.Settings;

/// <summary>Whether a setting belongs to the whole group or to each member.</summary>
public enum SettingScope
{
    Group,
    Member,
}

/// <summary>
/// One key of <c>/settings</c>: its scope, default, who may change it, and how a typed value is checked.
/// <see cref="Normalize"/> returns the value to store, or throws <see cref="SettingValueException"/> with a friendly message.
/// </summary>
public sealed record SettingDefinition(
    string Key,
    string Description,
    SettingScope Scope,
    string DefaultValue,
    bool ModeratorOnly,
    Func<string, string> Normalize);

/// <summary>A value that a setting refuses; the message says what to type instead.</summary>
internal sealed class SettingValueException(string message) : Exception(message);

/// <summary>
/// Every setting the bot knows, in one list that <c>/settings</c>, validation and storage read. Features define their
/// keys beside their code (<c>WeeklySchedule</c>, <c>WayrSettings</c>) and list them here.
/// </summary>
public static class SettingCatalogue
{
    public const int MaxValueLength = 200;

    public static readonly SettingDefinition TimeZone = new(
        "timezone", "the group's IANA time zone; weeks and schedules follow it", SettingScope.Group, "Etc/UTC", true, NormalizeTimeZone);

    public static readonly SettingDefinition Channel = new(
        "channel", "the home channel where announcements and digests are posted", SettingScope.Group, "", true, NormalizeChannel);

    public static readonly SettingDefinition Moderators = new(
        "moderators", "user ids with moderator rights besides the platform's own (comma-separated)", SettingScope.Group, "", true, NormalizeList);

    public static readonly SettingDefinition Leaderboard = new(
        "leaderboard", "whether you appear on the leaderboard (on/off)", SettingScope.Member, "on", false, NormalizeOnOff);

    public static readonly SettingDefinition FollowDm = new(
        "follow-dm", "whether you get a weekly direct message with new papers by who and what you follow (on/off)", SettingScope.Member, "off", false, NormalizeOnOff);

    public static readonly SettingDefinition PublicPage = new(
        "public-page", "whether the group's web page is public and read-only at a stable link (on/off)", SettingScope.Group, "off", true, NormalizeOnOff);

    /// <summary>The group's name on its web page; empty means the platform's server or workspace name where known.</summary>
    public static readonly SettingDefinition Name = new(
        "name", "the group's name on its web page (empty: the platform's name, else \"Reading group\")", SettingScope.Group, "", true, NormalizeName);

    private static readonly SettingDefinition[] Known =
    [
        Name, TimeZone, Channel, Moderators,
        Weeks.WeeklySchedule.Announce, Weeks.WeeklySchedule.Meeting, Weeks.WeeklySchedule.Reminders,
        Weeks.WeeklySchedule.AutoPick, Weeks.WeeklySchedule.AutoPickCutoff, Weeks.WeeklySchedule.Presenters,
        Weeks.WeeklySchedule.NativeEvents,
        Wayr.WayrSettings.Open, Wayr.WayrSettings.Close, Wayr.WayrSettings.MinNote, Wayr.WayrSettings.Discussion,
        Wayr.WayrSettings.FreezeEvery, Wayr.WayrSettings.FreezeMax,
        PublicPage, Leaderboard, FollowDm, Weeks.WeeklySchedule.RemindMe,
    ];

    public static IReadOnlyList<SettingDefinition> All => Known;

    public static SettingDefinition? Find(string key) =>
        Known.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));

    public static string NormalizeTimeZone(string value)
    {
        var trimmed = value.Trim();
        if (!TimeZones.TryFind(trimmed, out var zone))
        {
            throw new SettingValueException($"'{Clip(trimmed)}' is not an IANA time zone. Use a name such as Europe/Berlin, America/New_York or Etc/UTC.");
        }

        return zone.Id;
    }

    public static string NormalizeOnOff(string value) => value.Trim().ToLowerInvariant() switch
    {
        "on" or "yes" or "true" => "on",
        "off" or "no" or "false" => "off",
        _ => throw new SettingValueException($"'{Clip(value)}' is not on or off. Use on or off."),
    };

    /// <summary>A name of one line, at most 80 characters; <c>-</c> clears it.</summary>
    public static string NormalizeName(string value)
    {
        var collapsed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (collapsed == "-")
        {
            return "";
        }

        if (collapsed.Length is 0 or > 80 || collapsed.Any(char.IsControl))
        {
            throw new SettingValueException("Give the group a name of at most 80 characters, such as Transformers Reading Club (- clears it).");
        }

        return collapsed;
    }

    public static string NormalizeChannel(string value)
    {
        var trimmed = value.Trim();
        // Platforms wrap channel mentions: Discord <#123>, Slack <#C123|name>; keep the bare id.
        if (trimmed.StartsWith("<#", StringComparison.Ordinal) && trimmed.EndsWith('>'))
        {
            trimmed = trimmed[2..^1].Split('|')[0];
        }

        trimmed = trimmed.TrimStart('#');
        if (trimmed.Length is 0 or > 80 || trimmed.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '@'))
        {
            throw new SettingValueException("That is not a channel. Give a channel id or mention, such as #general.");
        }

        return trimmed;
    }

    public static string NormalizeList(string value)
    {
        var items = ParseList(value);
        if (items.Any(i => i.Length > 80 || i.Any(c => c is '<' or '>' or '@')))
        {
            throw new SettingValueException("Give user ids separated by commas, such as U123,U456.");
        }

        return string.Join(',', items);
    }

    public static IReadOnlyList<string> ParseList(string value) =>
        value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
