using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>Stores WAYR weeks and posts.</summary>
public interface IWayrStore
{
    WayrWeek? FindWeek(GroupId group, WeekKey week);

    /// <summary>Returns the week, creating it with the group's next WAYR number if it does not exist (atomic).</summary>
    WayrWeek EnsureWeek(GroupId group, WeekKey week);

    void SaveWeek(WayrWeek week);

    IReadOnlyList<WayrWeek> ClosedWeeks(GroupId group, int count);

    /// <summary>Stores a new post with the week's next post number, unless the week is closed (atomic); null if closed.</summary>
    WayrPost? AddPost(WayrPost post);

    void SavePost(WayrPost post);

    bool DeletePost(GroupId group, WeekKey week, int number);

    IReadOnlyList<WayrPost> Posts(GroupId group, WeekKey week);

    /// <summary>Every post of the group, in every week.</summary>
    IReadOnlyList<WayrPost> AllPosts(GroupId group);

    /// <summary>The posts of the weeks from <paramref name="from"/> to <paramref name="to"/>, both included, oldest first.</summary>
    IReadOnlyList<WayrPost> PostsBetween(GroupId group, WeekKey from, WeekKey to);

    /// <summary>Every post that names the paper, in any week.</summary>
    IReadOnlyList<WayrPost> PostsForPaper(GroupId group, string paperKey);
}

/// <summary>Stores reading progress (the latest pass per member and paper).</summary>
public interface IProgressStore
{
    void Save(ReadingProgress progress);

    IReadOnlyList<ReadingProgress> ForMember(GroupId group, string member);

    IReadOnlyList<ReadingProgress> ForPaper(GroupId group, string paperKey);

    IReadOnlyList<ReadingProgress> FinishedBetween(GroupId group, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Every member's latest pass of every paper in the group.</summary>
    IReadOnlyList<ReadingProgress> ForGroup(GroupId group);
}

/// <summary>Stores digests.</summary>
public interface IDigestStore
{
    Digest? Find(GroupId group, WeekKey week);

    Digest? Latest(GroupId group);
}
