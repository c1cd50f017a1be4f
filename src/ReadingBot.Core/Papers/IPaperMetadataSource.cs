namespace ReadingBot.Core.Papers;

/// <summary>What a metadata source answered.</summary>
public abstract record MetadataResult
{
    private MetadataResult()
    {
    }

    /// <summary>The source knows the paper; <see cref="Paper"/> carries its facts (key and source as asked).</summary>
    public sealed record Found(Paper Paper) : MetadataResult;

    /// <summary>The source answered that no such paper exists (a well-formed arXiv id it does not know, an unknown DOI).</summary>
    public sealed record NotFound(string Reason) : MetadataResult;

    /// <summary>The source could not be asked or failed (offline, timeout, 5xx); try again later.</summary>
    public sealed record Unavailable(string Reason) : MetadataResult;
}

/// <summary>
/// The port through which papers get their metadata (arXiv, Crossref, OpenReview, page meta tags).
/// Implementations never throw for network trouble: they answer <see cref="MetadataResult.Unavailable"/>.
/// </summary>
public interface IPaperMetadataSource
{
    Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken);
}

/// <summary>The source used when no network source is configured: every paper stays pending with what the member gave.</summary>
public sealed class OfflineMetadataSource : IPaperMetadataSource
{
    public Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken) =>
        Task.FromResult<MetadataResult>(new MetadataResult.Unavailable("no metadata source is configured"));
}
