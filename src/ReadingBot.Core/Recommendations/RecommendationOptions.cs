namespace ReadingBot.Core.Recommendations;

/// <summary>Recommendations (<c>Recommendations:*</c>); docs/recommendations.md lists every key.</summary>
public sealed class RecommendationOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between background passes (new papers, feed, training). A command that finds work pending wakes the pass early.</summary>
    public double RefreshSeconds { get; set; } = 60;

    public int MaxFeatures { get; set; } = 20_000;
    public int MinDocumentFrequency { get; set; } = 2;
    public double MaxDocumentShare { get; set; } = 0.5;
    public int MaxBigramCandidates { get; set; } = 2_000_000;

    /// <summary>Refit the vocabulary when the corpus grew by this share since the last fit (new papers are folded in until then).</summary>
    public double RefitGrowth { get; set; } = 0.2;

    /// <summary>Below this many papers every change refits the vocabulary (it takes milliseconds).</summary>
    public int AlwaysRefitBelow { get; set; } = 5_000;

    /// <summary>The fewest positive papers for which an SVM is trained; below it the centroid ranks.</summary>
    public int MinPositives { get; set; } = 3;

    /// <summary>The SVM's cost (arxiv-sanity's 0.01), split between the classes in inverse proportion to their size.</summary>
    public double SvmC { get; set; } = 0.01;

    /// <summary>Negatives sampled per training run (all other papers are sampled from): bounds training time.</summary>
    public int MaxNegatives { get; set; } = 5_000;

    /// <summary>Models trained at once in the background.</summary>
    public int TrainingConcurrency { get; set; } = 1;

    /// <summary>Trained models kept (least recently used dropped first); each is 4 bytes per feature (80 KB at 20,000), and retraining one takes tens of ms.</summary>
    public int ModelCacheSize { get; set; } = 200;

    /// <summary>Papers shown by /recommend and /similar.</summary>
    public int Results { get; set; } = 10;

    /// <summary>Terms shown as reasons for each pick.</summary>
    public int ReasonTerms { get; set; } = 3;

    public int MemberRequestsPerMinute { get; set; } = 5;
    public int GroupRequestsPerMinute { get; set; } = 30;

    /// <summary>How many weeks back <c>Trending</c> looks.</summary>
    public int TrendingWeeks { get; set; } = 4;

    public FeedOptions Feed { get; set; } = new();

    public FeatureOptions Features => new()
    {
        MaxFeatures = MaxFeatures,
        MinDocumentFrequency = MinDocumentFrequency,
        MaxDocumentShare = MaxDocumentShare,
        MaxBigramCandidates = MaxBigramCandidates,
    };
}

/// <summary>The arXiv feed of new papers offered as candidates (<c>Recommendations:Feed:*</c>).</summary>
public sealed class FeedOptions
{
    public bool Enabled { get; set; }

    /// <summary>arXiv categories, comma-separated (cs.LG,cs.CL,cs.CV).</summary>
    public string Categories { get; set; } = "cs.LG,cs.CL,cs.CV";

    /// <summary>The newest papers fetched per refresh (arXiv answers at most 2,000 per call).</summary>
    public int MaxResults { get; set; } = 200;

    /// <summary>Hours between feed refreshes (arXiv's listings change once a day).</summary>
    public double RefreshHours { get; set; } = 12;

    public IReadOnlyList<string> CategoryList =>
        Categories.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>New papers in chosen categories, newest first (arXiv's listing through its API).</summary>
public interface IPaperFeed
{
    /// <summary>Never throws for network trouble: returns what it could get (possibly nothing) and a problem.</summary>
    Task<(IReadOnlyList<Papers.Paper> Papers, string? Problem)> NewPapersAsync(IReadOnlyList<string> categories, int maxResults, CancellationToken cancellationToken);
}

/// <summary>The feed used when no network source is configured.</summary>
public sealed class NoPaperFeed : IPaperFeed
{
    public Task<(IReadOnlyList<Papers.Paper> Papers, string? Problem)> NewPapersAsync(IReadOnlyList<string> categories, int maxResults, CancellationToken cancellationToken) =>
        Task.FromResult<(IReadOnlyList<Papers.Paper>, string?)>(([], "the bot has no network sources configured"));
}
