using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Groups;

/// <summary>Finds or creates the group and member behind a command, and answers who may moderate.</summary>
public sealed class GroupDirectory(IGroupStore groups, IMemberStore members, WorkspaceNames names, TimeProvider time, GroupDefaults defaults)
{
    /// <summary>The address's group, created on first use, carrying the platform's latest name for its workspace.</summary>
    public Group EnsureGroup(GroupAddress address) => names.Apply(groups.GetOrAdd(address.Id, () => new Group
        {
            Id = address.Id,
            Platform = address.Platform,
            Workspace = address.Workspace,
            Scope = address.Scope,
            CreatedAt = time.GetUtcNow(),
            Settings = defaults.InitialSettings(),
            PlatformName = names.Find(address.Platform, address.Workspace) ?? "",
        }));

    public Member EnsureMember(GroupId group, Actor actor)
    {
        var now = time.GetUtcNow();
        var existing = members.Find(group, actor.UserId);
        if (existing is null)
        {
            var created = new Member { Group = group, UserId = actor.UserId, DisplayName = actor.DisplayName, JoinedAt = now, LastSeenAt = now };
            members.Save(created);
            return created;
        }

        // Display names change on the platforms; keep the latest, and note activity at most once a minute.
        if (existing.DisplayName != actor.DisplayName || now - existing.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            existing = existing with { DisplayName = actor.DisplayName, LastSeenAt = now };
            members.Save(existing);
        }

        return existing;
    }

    /// <summary>A moderator is one the platform says is (from the verified payload) or one the group lists.</summary>
    public static bool IsModerator(Group group, Actor actor) =>
        actor.IsPlatformModerator || SettingCatalogue.ParseList(group.Setting(SettingCatalogue.Moderators)).Contains(actor.UserId, StringComparer.Ordinal);
}

/// <summary>Settings a new group starts with, from the host's configuration.</summary>
public sealed class GroupDefaults(string timeZone)
{
    public string TimeZone { get; } = timeZone;

    public IReadOnlyDictionary<string, string> InitialSettings() =>
        new Dictionary<string, string> { [SettingCatalogue.TimeZone.Key] = TimeZone };
}
