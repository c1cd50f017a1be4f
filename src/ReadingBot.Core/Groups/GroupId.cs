namespace ReadingBot.Core.Groups;

/// <summary>The stable key of a reading group: every stored record and cache key carries it.</summary>
public readonly record struct GroupId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>The chat platforms ReadingBot speaks to. Adapters fill <see cref="GroupAddress.Platform"/> with one of these.</summary>
public static class Platforms
{
    public const string Local = "local";
    public const string Discord = "discord";
    public const string Slack = "slack";
}

/// <summary>
/// Where a group lives, taken only from verified platform data (a Discord interaction's guild, a signed Slack
/// request's team), never from text a user typed. <paramref name="Scope"/> narrows a workspace to one group
/// when a platform keeps several groups in one workspace (for example one per Slack channel); empty otherwise.
/// </summary>
public sealed record GroupAddress(string Platform, string Workspace, string Scope = "")
{
    /// <summary>The group's id: <c>platform:workspace</c> or <c>platform:workspace:scope</c>.</summary>
    public GroupId Id => new(Scope.Length == 0 ? $"{Platform}:{Workspace}" : $"{Platform}:{Workspace}:{Scope}");

    /// <summary>The prefix shared by every group of one workspace, used to remove a tenant's data.</summary>
    public static string WorkspacePrefix(string platform, string workspace) => $"{platform}:{workspace}";
}
