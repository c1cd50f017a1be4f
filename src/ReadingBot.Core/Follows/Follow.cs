using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Follows;

/// <summary>What a follow watches: a researcher's papers, or words in new papers' titles and abstracts.</summary>
public enum FollowKind
{
    Author,
    Topic,
}

/// <summary>
/// One follow of a member (or of the whole group, <see cref="GroupOwner"/>): the text as typed and the normalised
/// <see cref="Key"/> that makes "Y. LeCun" and "y lecun" the same follow.
/// </summary>
public sealed record Follow(GroupId Group, string Owner, FollowKind Kind, string Key, string Text, string AddedBy, DateTimeOffset At)
{
    /// <summary>The owner of the group's own follows (moderators manage them; the digest lists their matches).</summary>
    public const string GroupOwner = "*group";

    public bool ForGroup => Owner == GroupOwner;
}

/// <summary>
/// A new paper found for an owner's follows, kept once per owner and paper (its version-less key), whichever refresh,
/// version or category listing brought it. <see cref="Why"/> names the author or the matched words.
/// </summary>
public sealed record FollowMatch(GroupId Group, string Owner, string PaperKey, string Title, string Url, string? ArxivId, string Why, DateTimeOffset FoundAt);

/// <summary>Follows and their matches, each keyed by the group first.</summary>
public interface IFollowStore
{
    /// <summary>Saves the follow; false when the owner already follows the same key.</summary>
    bool Add(Follow follow);

    /// <summary>Removes the owner's follow of that kind and key; false when there was none.</summary>
    bool Remove(GroupId group, string owner, FollowKind kind, string key);

    /// <summary>The owner's follows, oldest first.</summary>
    IReadOnlyList<Follow> ForOwner(GroupId group, string owner);

    /// <summary>How many follows the group has, members' and its own together.</summary>
    int CountForGroup(GroupId group);

    /// <summary>Every group's follows: the refresh's work list (each match is then stored under its own group).</summary>
    IReadOnlyList<Follow> All();

    /// <summary>Records the match; false when the owner already had this paper (nothing changes then).</summary>
    bool AddMatch(FollowMatch match);

    /// <summary>The owner's matches found at or after <paramref name="since"/>, newest first.</summary>
    IReadOnlyList<FollowMatch> Matches(GroupId group, string owner, DateTimeOffset since);
}
