using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Roadmaps;

/// <summary>One paper on a roadmap, with the title the roadmap gives it and an optional one-line note.</summary>
public sealed record RoadmapItem(string PaperKey, string Title, string? Note = null);

/// <summary>A section of a roadmap (a heading of the imported document).</summary>
public sealed record RoadmapSection(string Title, IReadOnlyList<RoadmapItem> Items);

/// <summary>A group's reading track: sections of papers in reading order.</summary>
public sealed record Roadmap
{
    public required GroupId Group { get; init; }
    public required string Title { get; init; }

    /// <summary><c>starter</c> for the built-in catalogue, else the link it was imported from.</summary>
    public required string Source { get; init; }

    public DateTimeOffset? ImportedAt { get; init; }
    public string? ImportedBy { get; init; }
    public IReadOnlyList<RoadmapSection> Sections { get; init; } = [];

    /// <summary>Every item in reading order, with its section.</summary>
    public IEnumerable<(RoadmapSection Section, RoadmapItem Item)> Items =>
        Sections.SelectMany(s => s.Items.Select(i => (s, i)));
}

/// <summary>Which roadmap papers a member has finished.</summary>
public sealed record RoadmapProgress
{
    public required GroupId Group { get; init; }
    public required string MemberId { get; init; }
    public IReadOnlyList<string> Done { get; init; } = [];
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Stores each group's roadmap (when imported) and each member's progress on it.</summary>
public interface IRoadmapStore
{
    Roadmap? Find(GroupId group);

    void Save(Roadmap roadmap);

    RoadmapProgress? FindProgress(GroupId group, string memberId);

    void SaveProgress(RoadmapProgress progress);
}
