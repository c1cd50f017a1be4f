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

    /// <summary>The paper's code, where a source names it (a GitHub link in arXiv's comment field, say).</summary>
    public string? CodeUrl { get; init; }

    /// <summary>The latest version the source knows (arXiv's <c>v5</c>), where it has versions.</summary>
    public string? LatestVersion { get; init; }

    public MetadataState State { get; init; } = MetadataState.Pending;
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>
    /// What to call the paper while its title is unknown: <c>arXiv:1810.04805</c>, <c>DOI 10.1145/3065386</c>,
    /// <c>OpenReview r1Ue8Hcxg</c>, or a link's host and path. Derived from the key, so it is the same on every surface.
    /// </summary>
    public string PendingLabel => LabelFor(Key);

    /// <summary>
    /// The one title every surface shows (lists, cards, the week, the calendar, exports): the source's, else the
    /// title the member typed, else <see cref="PendingLabel"/>. Read at render time, so the real title replaces the
    /// label everywhere as soon as the metadata arrives.
    /// </summary>
    public string DisplayTitle(string? givenTitle) =>
        !string.IsNullOrWhiteSpace(Title) ? Title : !string.IsNullOrWhiteSpace(givenTitle) ? givenTitle : PendingLabel;

    /// <summary>The readable label of a paper key (see <see cref="PendingLabel"/>).</summary>
    public static string LabelFor(string key)
    {
        var reference = PaperRef.FromKey(key);
        switch (reference.Source)
        {
            case PaperSource.Arxiv:
                return $"arXiv:{reference.Id}";
            case PaperSource.Doi:
                return $"DOI {reference.Id}";
            case PaperSource.OpenReview:
                return $"OpenReview {reference.Id}";
        }

        if (!Uri.TryCreate(reference.Id, UriKind.Absolute, out var uri))
        {
            return reference.Id;
        }

        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        var text = host + Uri.UnescapeDataString(uri.AbsolutePath).TrimEnd('/');
        return text.Length <= 80 ? text : text[..79] + "…";
    }

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
    public string Title => Paper.DisplayTitle(Entry.GivenTitle);

    /// <summary>True while neither the source nor the member has given a title (the title is the paper's label).</summary>
    public bool Untitled => string.IsNullOrWhiteSpace(Paper.Title) && string.IsNullOrWhiteSpace(Entry.GivenTitle);

    public string Label => $"#{Entry.Number}";
}

/// <summary>Adds a feature's facts (suggestions, votes, discussion, progress) to a paper's full card.</summary>
public interface IPaperCardContributor
{
    IEnumerable<Replies.CardField> Fields(Groups.GroupId group, LibraryItem item);
}
