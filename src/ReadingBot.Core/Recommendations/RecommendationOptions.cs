using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Recommendations;

/// <summary>Recommendations (<c>Recommendations:*</c>); docs/recommendations.md lists every key.</summary>
public sealed class RecommendationOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between background passes (new papers, feed, training). A command that finds work pending wakes the pass early.</summary>
    [SettingRange(1d, 86400d, "a number of seconds from 1 to 86400")]
    public double RefreshSeconds { get; set; } = 60;

    [SettingRange(100, 65_536, "a whole number from 100 to 65536")]
    public int MaxFeatures { get; set; } = 20_000;
    [SettingRange(1, 1000, "a whole number from 1 to 1000")]
    public int MinDocumentFrequency { get; set; } = 2;
    [SettingRange(0d, 1d, "a share above 0 and at most 1", MinimumIsExclusive = true)]
    public double MaxDocumentShare { get; set; } = 0.5;
    [SettingRange(10_000, 50_000_000, "a whole number from 10000 to 50000000")]
    public int MaxBigramCandidates { get; set; } = 2_000_000;

    /// <summary>Refit the vocabulary when the corpus grew by this share since the last fit (new papers are folded in until then).</summary>
    [SettingRange(0d, 10d, "a share from 0 to 10")]
    public double RefitGrowth { get; set; } = 0.2;

    /// <summary>Below this many papers every change refits the vocabulary (it takes milliseconds).</summary>
    [SettingRange(0, 1_000_000, "a whole number from 0 to 1000000")]
    public int AlwaysRefitBelow { get; set; } = 5_000;

    /// <summary>The fewest positive papers for which an SVM is trained; below it the centroid ranks.</summary>
    [SettingRange(1, 100, "a whole number from 1 to 100")]
    public int MinPositives { get; set; } = 3;

    /// <summary>The SVM's cost (arxiv-sanity's 0.01), split between the classes in inverse proportion to their size.</summary>
    [SettingRange(0d, 100d, "a number above 0 and at most 100", MinimumIsExclusive = true)]
    public double SvmC { get; set; } = 0.01;

    /// <summary>Negatives sampled per training run (all other papers are sampled from): bounds training time.</summary>
    [SettingRange(10, 1_000_000, "a whole number from 10 to 1000000")]
    public int MaxNegatives { get; set; } = 5_000;

    /// <summary>Models trained at once in the background.</summary>
    [SettingRange(1, 64, "a whole number from 1 to 64")]
    public int TrainingConcurrency { get; set; } = 1;

    /// <summary>Trained models kept (least recently used dropped first); each is 4 bytes per feature (80 KB at 20,000), and retraining one takes tens of ms.</summary>
    [SettingRange(1, 100_000, "a whole number from 1 to 100000")]
    public int ModelCacheSize { get; set; } = 200;

    /// <summary>Papers shown by /recommend and /similar.</summary>
    [SettingRange(1, 20, "a whole number from 1 to 20")]
    public int Results { get; set; } = 10;

    /// <summary>Terms shown as reasons for each pick.</summary>
    [SettingRange(0, 10, "a whole number from 0 to 10")]
    public int ReasonTerms { get; set; } = 3;

    [SettingRange(1, 1000, "a whole number from 1 to 1000")]
    public int MemberRequestsPerMinute { get; set; } = 5;
    [SettingRange(1, 10_000, "a whole number from 1 to 10000")]
    public int GroupRequestsPerMinute { get; set; } = 30;

    /// <summary>How many weeks back <c>Trending</c> looks.</summary>
    [SettingRange(1, 52, "a whole number from 1 to 52")]
    public int TrendingWeeks { get; set; } = 4;

    [ValidateObjectMembers]
    public FeedOptions Feed { get; set; } = new();

    public FeatureOptions Features => new()
    {
        MaxFeatures = MaxFeatures,
        MinDocumentFrequency = MinDocumentFrequency,
        MaxDocumentShare = MaxDocumentShare,
        MaxBigramCandidates = MaxBigramCandidates,
    };

    /// <summary>Hand-written: the feed needs categories only when it is on (a rule over two keys).</summary>
    public static IEnumerable<string> Rules(RecommendationOptions o)
    {
        if (o.Feed.Enabled && o.Feed.CategoryList.Count == 0)
        {
            yield return SettingProblem.Describe("Recommendations:Feed:Categories", $"'{o.Feed.Categories}' is out of range", "a comma-separated list such as cs.LG,cs.CL,cs.CV");
        }
    }
}

/// <summary>The annotations' checks for <see cref="RecommendationOptions"/>, generated.</summary>
[OptionsValidator]
public sealed partial class RecommendationOptionsAnnotations : IValidateOptions<RecommendationOptions>;

/// <summary>The arXiv feed of new papers offered as candidates (<c>Recommendations:Feed:*</c>).</summary>
public sealed class FeedOptions
{
    public bool Enabled { get; set; }

    /// <summary>arXiv categories, comma-separated (cs.LG,cs.CL,cs.CV).</summary>
    public string Categories { get; set; } = "cs.LG,cs.CL,cs.CV";

    /// <summary>The newest papers fetched per refresh (arXiv answers at most 2,000 per call).</summary>
    [SettingRange(1, 2000, "a whole number from 1 to 2000")]
    public int MaxResults { get; set; } = 200;

    /// <summary>Hours between feed refreshes (arXiv's listings change once a day).</summary>
    [SettingRange(0.01, 168d, "a number of hours from 0.01 to 168")]
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
