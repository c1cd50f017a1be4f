namespace ReadingBot.Core.Papers;

/// <summary>How far a paper's metadata has been fetched.</summary>
public enum MetadataState
{
    /// <summary>Not fetched yet, or the source did not answer; a background job tries again.</summary>
    Pending,

    /// <summary>Fetched from the source.</summary>
    Resolved,

    /// <summary>The source answered that it does not know the paper.</summary>
    NotFound,
}

/// <summary>
/// One record per paper, shared by all groups: bibliographic facts only, no group data. What a group did with a
/// paper (who added it, its number, notes) lives in that group's <see cref="LibraryEntry"/> and related records.
/// </summary>
public sealed record Paper
{
    public required string Key { get; init; }
    public required PaperSource Source { get; init; }

    /// <summary>A link a person can open (the abstract page where there is one).</summary>
    public required string Url { get; init; }

    public string? Title { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? Abstract { get; init; }
    public int? Year { get; init; }
    public string? Venue { get; init; }
    public DateTimeOffset? Published { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? PdfUrl { get; init; }
    public string? Doi { get; init; }
    public string? ArxivId { get; init; }
    public string? JournalRef { get; init; }

    /// <summary>The latest version the source knows (arXiv's <c>v5</c>), where it has versions.</summary>
    public string? LatestVersion { get; init; }

    public MetadataState State { get; init; } = MetadataState.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>A new record for a reference whose metadata is not known yet.</summary>
    public static Paper Pending(PaperRef reference) => new()
    {
        Key = reference.Key,
        Source = reference.Source,
        Url = reference.Source == PaperSource.Arxiv ? $"https://arxiv.org/abs/{reference.Id}" : reference.Url,
        ArxivId = reference.Source == PaperSource.Arxiv ? reference.Id : null,
        Doi = reference.Source == PaperSource.Doi ? reference.Id : null,
        PdfUrl = reference.Source == PaperSource.Arxiv ? $"https://arxiv.org/pdf/{reference.Id}" : null,
    };
}

/// <summary>A paper in one group's library, with the group-local number members use (<c>#3</c>).</summary>
public sealed record LibraryEntry
{
    public required Groups.GroupId Group { get; init; }
    public required int Number { get; init; }
    public required string PaperKey { get; init; }
    public required string AddedBy { get; init; }
    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>The title the member typed, shown until (or unless) the source provides one.</summary>
    public string? GivenTitle { get; init; }

    /// <summary>The version the member named when adding it (arXiv <c>v2</c>), if any.</summary>
    public string? VersionRead { get; init; }
}

/// <summary>A library entry with its paper, as most views need both.</summary>
public sealed record LibraryItem(LibraryEntry Entry, Paper Paper)
{
    public string Title => Paper.Title ?? Entry.GivenTitle ?? Paper.Url;

    public string Label => $"#{Entry.Number}";
}

/// <summary>Adds a feature's facts (suggestions, votes, discussion, progress) to a paper's full card.</summary>
public interface IPaperCardContributor
{
    IEnumerable<Replies.CardField> Fields(Groups.GroupId group, LibraryItem item);
}
