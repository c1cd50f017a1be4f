namespace ReadingBot.Core.Groups;

/// <summary>A reading group: one per platform workspace (and scope), with its settings and paper counter.</summary>
public sealed record Group
{
    public required GroupId Id { get; init; }
    public required string Platform { get; init; }
    public required string Workspace { get; init; }
    public string Scope { get; init; } = "";
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The number the next paper added to the library gets (<c>#1</c>, <c>#2</c>, …).</summary>
    public int NextPaperNumber { get; init; } = 1;

    /// <summary>
    /// The workspace's own name on its platform (the Discord server's, the Slack workspace's), as the adapter last
    /// learned it; empty when it has not said. For display only, never identity.
    /// </summary>
    public string PlatformName { get; init; } = "";

    /// <summary>Group settings by key; see <see cref="Settings.SettingCatalogue"/> for keys and defaults.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The value of a setting, or its catalogue default.</summary>
    public string Setting(ReadingBot.Core.Settings.SettingDefinition definition) =>
        Settings.TryGetValue(definition.Key, out var value) ? value : definition.DefaultValue;

    public GroupAddress Address => new(Platform, Workspace, Scope);

    /// <summary>The group's time zone setting, or UTC when it is unset or unknown. A method, not a property, so stores never map it.</summary>
    public TimeZoneInfo Zone() => ReadingBot.Core.Settings.TimeZones.FindOrUtc(Setting(ReadingBot.Core.Settings.SettingCatalogue.TimeZone));

    /// <summary>
    /// An instant for a reply, in the group's zone: each surface writes it its own way (in each reader's zone on
    /// Discord and Slack, <c>Thu 3 Dec 2026 18:00 (Europe/Berlin)</c> in the local chat and on the web page).
    /// </summary>
    /// <param name="instant">The point in time.</param>
    /// <param name="withRelative">Also say how far away it is ("in 2 days"), for times still ahead.</param>
    public ReadingBot.Core.Replies.Moment MomentOf(DateTimeOffset instant, bool withRelative = false) => new(instant, Zone(), withRelative);
}

/// <summary>A member of one group. The same platform user in two groups is two members.</summary>
public sealed record Member
{
    public required GroupId Group { get; init; }
    public required string UserId { get; init; }
    public required string DisplayName { get; init; }
    public required DateTimeOffset JoinedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Member-scoped settings by key (for example leaderboard opt-out).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public string Setting(ReadingBot.Core.Settings.SettingDefinition definition) =>
        Settings.TryGetValue(definition.Key, out var value) ? value : definition.DefaultValue;
}

/// <summary>Who issued a command, as the adapter verified it.</summary>
/// <param name="UserId">The platform's user id (the local chat uses the name given to <c>/as</c>).</param>
/// <param name="DisplayName">A name to show; never used for identity.</param>
/// <param name="IsPlatformModerator">True when the platform itself grants moderation (Discord Manage Server, Slack admin).</param>
public sealed record Actor(string UserId, string DisplayName, bool IsPlatformModerator);
