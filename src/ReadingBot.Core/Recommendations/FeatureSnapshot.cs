using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Recommendations;

/// <summary>
/// The feature rows of every paper the recommender knows (all groups' libraries and the feed), immutable once
/// published: the request path reads one snapshot without locks while the background pass builds the next.
/// </summary>
public sealed record FeatureSnapshot(
    FeatureSpace? Space,
    IReadOnlyList<string> Keys,
    IReadOnlyList<SparseRow> Rows,
    IReadOnlyDictionary<string, int> RowOf,
    IReadOnlyDictionary<GroupId, int[]> GroupRows,
    int[] FeedRows,
    IReadOnlyDictionary<string, Paper> FeedPapers)
{
    public static readonly FeatureSnapshot Empty = new(null, [], [], new Dictionary<string, int>(), new Dictionary<GroupId, int[]>(), [], new Dictionary<string, Paper>());

    public SparseRow? RowFor(string key) => RowOf.TryGetValue(key, out var i) ? Rows[i] : null;
}
