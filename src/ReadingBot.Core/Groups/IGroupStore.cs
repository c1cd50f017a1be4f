namespace ReadingBot.Core.Groups;

/// <summary>Stores groups. Implementations are synchronous: the store is embedded and its transactions are thread-bound.</summary>
public interface IGroupStore
{
    Group? Find(GroupId id);

    /// <summary>Returns the stored group, or stores and returns <paramref name="create"/>'s group if there is none.</summary>
    Group GetOrAdd(GroupId id, Func<Group> create);

    void Save(Group group);

    /// <summary>
    /// Changes only the platform's name of the group (nothing else it holds), so an adapter learning a server's name
    /// cannot undo a moderator's /settings change made at the same time. Nothing happens for a group not stored.
    /// </summary>
    void SetPlatformName(GroupId id, string name);

    IReadOnlyList<Group> All();
}

/// <summary>Stores members of groups.</summary>
public interface IMemberStore
{
    Member? Find(GroupId group, string userId);

    /// <summary>Finds a member by user id or, failing that, by display name (case-insensitive).</summary>
    Member? FindByIdOrName(GroupId group, string idOrName);

    void Save(Member member);

    IReadOnlyList<Member> List(GroupId group);
}

/// <summary>Removes everything stored for a workspace, when the bot is removed from it.</summary>
public interface ITenantDataStore
{
    /// <summary>Deletes every record of every group whose id starts with the workspace prefix; returns how many.</summary>
    int RemoveWorkspace(string platform, string workspace);
}
