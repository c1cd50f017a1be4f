using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Commands;

/// <summary>
/// Where a command came from, as the adapter verified it: the group's address, the member, and the channel and
/// thread (opaque platform ids) it was issued in.
/// </summary>
public sealed record CommandContext(GroupAddress Group, Actor Actor, string? ChannelId = null, string? ThreadId = null);

/// <summary>A command's context with the group and member it resolved to, and whether the member may moderate.</summary>
public sealed record Invocation(CommandContext Context, Group Group, Member Member, bool IsModerator)
{
    public GroupId GroupId => Group.Id;
}
