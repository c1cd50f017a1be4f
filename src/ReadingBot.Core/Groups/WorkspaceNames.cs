using System.Collections.Concurrent;

namespace ReadingBot.Core.Groups;

/// <summary>
/// What each platform calls the workspaces this process has heard of (a Discord server's name from GUILD_CREATE or
/// the guild's REST object, a Slack workspace's from auth.test). Adapters teach it; <see cref="GroupDirectory"/>
/// copies a name onto the group when it differs, so the web page can title itself without a platform call.
/// </summary>
public sealed class WorkspaceNames(IGroupStore groups)
{
    /// <summary>Discord allows 100 characters in a server name; longer text is cut, control characters read as spaces.</summary>
    public const int MaxLength = 100;

    private readonly ConcurrentDictionary<(string Platform, string Workspace), string> names = new();

    /// <summary>The name last learned for the workspace, or null.</summary>
    public string? Find(string platform, string workspace) => names.TryGetValue((platform, workspace), out var name) ? name : null;

    /// <summary>Whether a name is known (an adapter that must ask the platform asks only once).</summary>
    public bool Knows(string platform, string workspace) => names.ContainsKey((platform, workspace));

    /// <summary>
    /// Records the platform's name for a workspace and renames the workspace's group if it exists already; a blank
    /// name is ignored (it would only hide a good one).
    /// </summary>
    public void Learn(string platform, string workspace, string? name)
    {
        var clean = Clean(name);
        if (clean.Length == 0 || (names.TryGetValue((platform, workspace), out var known) && known == clean))
        {
            return;
        }

        names[(platform, workspace)] = clean;
        var id = new GroupAddress(platform, workspace).Id;
        if (groups.Find(id) is { } group && group.PlatformName != clean)
        {
            groups.SetPlatformName(id, clean);
        }
    }

    /// <summary>The group as it should be stored: with the learned name when it differs from the stored one.</summary>
    internal Group Apply(Group group)
    {
        if (Find(group.Platform, group.Workspace) is not { } name || group.PlatformName == name)
        {
            return group;
        }

        groups.SetPlatformName(group.Id, name);
        return group with { PlatformName = name };
    }

    private static string Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        // A control character (a tab, a stray NUL) reads as a space; runs of space become one.
        var spaced = new string([.. name.Select(c => char.IsControl(c) ? ' ' : c)]);
        var collapsed = string.Join(' ', spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length > MaxLength ? collapsed[..MaxLength] : collapsed;
    }
}
