using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Follows;

/// <summary>Following researchers and topics (<c>Follow:*</c>).</summary>
public sealed class FollowOptions
{
    /// <summary>Hours between two searches of arXiv for followed authors and topics.</summary>
    [SettingRange(0.01, 168d, "a number of hours from 0.01 to 168")]
    public double RefreshHours { get; set; } = 6;

    /// <summary>How far back the first refresh (and the feed's papers for topics) reaches, in days.</summary>
    [SettingRange(1, 60, "a whole number of days from 1 to 60")]
    public int LookbackDays { get; set; } = 7;

    /// <summary>The most follows one member may have in a group.</summary>
    [SettingRange(1, 1000, "a whole number from 1 to 1000")]
    public int MaxPerMember { get; set; } = 50;

    /// <summary>The most follows a group may have, its members' and its own together.</summary>
    [SettingRange(1, 100_000, "a whole number from 1 to 100000")]
    public int MaxPerGroup { get; set; } = 200;

    /// <summary>Papers asked of arXiv per request of a refresh.</summary>
    [SettingRange(10, 2000, "a whole number from 10 to 2000")]
    public int PageSize { get; set; } = 200;

    /// <summary>The most pages one author batch reads back in one refresh.</summary>
    [SettingRange(1, 50, "a whole number from 1 to 50")]
    public int MaxPages { get; set; } = 5;

    public TimeSpan RefreshInterval => TimeSpan.FromHours(RefreshHours);
}

/// <summary>The annotations' checks for <see cref="FollowOptions"/>, generated.</summary>
[OptionsValidator]
public sealed partial class FollowOptionsAnnotations : IValidateOptions<FollowOptions>;
