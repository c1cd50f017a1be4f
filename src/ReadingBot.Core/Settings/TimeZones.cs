namespace ReadingBot.Core.Settings;

/// <summary>Looks up IANA time zones, refusing Windows ids and anything that is not a zone name.</summary>
public static class TimeZones
{
    public static bool TryFind(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || id.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) || found is null)
        {
            return false;
        }

        // Accept only names that are IANA ids (so a stored zone means the same on every platform).
        if (!found.HasIanaId && !TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out _))
        {
            return false;
        }

        zone = found;
        return true;
    }

    public static TimeZoneInfo FindOrUtc(string id) => TryFind(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
