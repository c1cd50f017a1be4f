using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Groups;

/// <summary>Group defaults (<c>Groups:*</c>).</summary>
public sealed class GroupsOptions
{
    /// <summary>The IANA zone a new group starts with.</summary>
    public string DefaultTimeZone { get; set; } = "Etc/UTC";

    /// <summary>Hand-written: whether a name is an IANA zone is not something an annotation can say.</summary>
    internal static IEnumerable<string> Rules(GroupsOptions o)
    {
        if (!TimeZones.TryFind(o.DefaultTimeZone, out _))
        {
            yield return SettingProblem.Describe("Groups:DefaultTimeZone", $"'{o.DefaultTimeZone}' is not an IANA time zone", "a zone such as Etc/UTC or Europe/Berlin");
        }
    }
}
