using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>How far a member got with what they posted.</summary>
public enum ReadingStatus
{
    Skimmed,
    Reading,
    Read,
    Implemented,
}

/// <summary>A group's WAYR week: its own running number, whether it is closed, and its thread.</summary>
public sealed record WayrWeek
{
    public required GroupId Group { get; init; }
    public required WeekKey Week { get; init; }
    public required int Number { get; init; }
    public bool Closed { get; init; }
    public string? ChannelId { get; init; }
    public string? ThreadId { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>One member's "what are you reading" post in one week.</summary>
public sealed record WayrPost
{
    public required GroupId Group { get; init; }
    public required WeekKey Week { get; init; }

    /// <summary>The post's number within its week (what <c>/wayr edit 2</c> names).</summary>
    public required int Number { get; init; }

    public required string Author { get; init; }
    public string? PaperKey { get; init; }
    public ReadingStatus Status { get; init; } = ReadingStatus.Reading;
    public string Note { get; init; } = "";
    public required DateTimeOffset At { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
}

/// <summary>A titled part of a digest.</summary>
public sealed record DigestSection(string Heading, IReadOnlyList<string> Lines);

/// <summary>The newsletter that closes a WAYR week; stored so <c>/digest</c> shows it later.</summary>
public sealed record Digest(GroupId Group, WeekKey Week, int Number, string Title, IReadOnlyList<DigestSection> Sections, DateTimeOffset CreatedAt);

/// <summary>A pass of the three-pass way of reading a paper, or done.</summary>
public enum ReadingPass
{
    Pass1,
    Pass2,
    Pass3,
    Done,
}

/// <summary>Where a member is with a paper, and when they got there.</summary>
public sealed record ReadingProgress(GroupId Group, string Member, string PaperKey, ReadingPass Pass, DateTimeOffset At);
