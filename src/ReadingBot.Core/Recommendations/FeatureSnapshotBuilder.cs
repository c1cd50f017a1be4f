using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Roadmaps;

namespace ReadingBot.Core.Recommendations;

/// <summary>
/// Builds each <see cref="FeatureSnapshot"/> from the one before: reads only the libraries whose paper count changed,
/// re-reads papers whose text was pending, then either refits the <see cref="FeatureSpace"/> (small corpora, or grown
/// past <see cref="RecommendationOptions.RefitGrowth"/>) or folds the new papers into the current one. It remembers
/// what it has read between calls, so <see cref="RecommendationEngine"/> calls it from its background pass only, one
/// call at a time.
/// </summary>
internal sealed class FeatureSnapshotBuilder(IGroupStore groups, ILibraryStore library, IPaperStore papers, RecommendationOptions options, ILogger logger)
{
    private readonly Dictionary<GroupId, int> knownCounts = [];
    private readonly HashSet<string> textless = new(StringComparer.Ordinal);
    private long versions;

    /// <summary>
    /// The snapshot that follows <paramref name="current"/> given the stores now and a freshly fetched feed (null: the
    /// feed is unchanged), or null when nothing changed. <paramref name="removedGroups"/> are the groups whose data is
    /// gone, so the caller can drop what it keeps for them.
    /// </summary>
    public FeatureSnapshot? Next(FeatureSnapshot current, IReadOnlyList<Paper>? feedPapers, out IReadOnlyList<GroupId> removedGroups)
    {
        var removed = new List<GroupId>();
        removedGroups = removed;
        var groupRows = new Dictionary<GroupId, int[]>(current.GroupRows);
        var groupKeys = new Dictionary<GroupId, List<string>>();
        var allGroups = groups.All();
        var live = allGroups.Select(g => g.Id).ToHashSet();
        var changed = false;
        foreach (var gone in groupRows.Keys.Where(g => !live.Contains(g)).ToList())
        {
            groupRows.Remove(gone);
            knownCounts.Remove(gone);
            removed.Add(gone);
            changed = true;
        }

        foreach (var group in allGroups)
        {
            var count = library.Count(group.Id);
            var known = knownCounts.GetValueOrDefault(group.Id);
            if (count == known)
            {
                continue;
            }

            // Papers only ever join a library; a smaller count means the group's data was removed and re-created.
            var from = count > known ? known : 0;
            var keys = from == 0 ? [] : groupRows.TryGetValue(group.Id, out var knownRows) ? knownRows.Select(r => current.Keys[r]).ToList() : [];
            for (var skip = from; skip < count; skip += 1000)
            {
                keys.AddRange(library.List(group.Id, skip, 1000).Select(e => e.PaperKey));
            }

            groupKeys[group.Id] = keys;
            knownCounts[group.Id] = count;
            changed = true;
        }

        var feedByKey = new Dictionary<string, Paper>(current.FeedPapers, StringComparer.Ordinal);
        if (feedPapers is not null)
        {
            feedByKey = feedPapers.Where(p => p.Title is not null || p.Abstract is not null).DistinctBy(p => p.Key).ToDictionary(p => p.Key, StringComparer.Ordinal);
            changed = true;
        }

        // Papers whose metadata was pending: has the refresher filled them in?
        var filled = textless.Where(k => papers.Find(k) is { } p && HasText(p)).ToList();
        foreach (var key in filled)
        {
            textless.Remove(key);
            changed = true;
        }

        if (!changed && current.Space is not null)
        {
            return null;
        }

        foreach (var (group, unchangedRows) in groupRows)
        {
            if (!groupKeys.ContainsKey(group))
            {
                groupKeys[group] = unchangedRows.Select(r => current.Keys[r]).ToList();
            }
        }

        var liveKeys = groupKeys.Values.SelectMany(k => k).Concat(feedByKey.Keys).Distinct(StringComparer.Ordinal).ToList();
        var newKeys = liveKeys.Where(k => !current.RowOf.ContainsKey(k)).ToList();
        var space = current.Space;
        var refit = space is null || liveKeys.Count < options.AlwaysRefitBelow || current.Keys.Count + newKeys.Count > space.Documents * (1 + options.RefitGrowth);
        List<string> allKeys;
        List<SparseRow> rows;
        if (refit)
        {
            // A refit keeps only live papers: feed papers that left the feed and no library holds are dropped here.
            allKeys = liveKeys;
            textless.Clear();
            var version = Interlocked.Increment(ref versions);
            space = FeatureSpace.Fit(allKeys.Select(k => Document(k, feedByKey)), options.Features, version);
            rows = allKeys.Select(k => space.Transform(Document(k, feedByKey))).ToList();
            logger.LogInformation("Recommendation features refitted: {Papers} papers, {Features} features", allKeys.Count, space.Count);
            if (allKeys.Count >= options.AlwaysRefitBelow)
            {
                // A large fit allocates hundreds of MB of transient tables, rarely; give the memory back to the OS
                // now rather than keep it committed until the next fit.
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }
        else
        {
            allKeys = [.. current.Keys, .. newKeys];
            rows = [.. current.Rows];
            foreach (var key in filled)
            {
                if (current.RowOf.TryGetValue(key, out var row))
                {
                    rows[row] = space!.Transform(Document(key, feedByKey));
                }
            }

            rows.AddRange(newKeys.Select(k => space!.Transform(Document(k, feedByKey))));
        }

        var rowOf = new Dictionary<string, int>(allKeys.Count, StringComparer.Ordinal);
        for (var i = 0; i < allKeys.Count; i++)
        {
            rowOf[allKeys[i]] = i;
        }

        var newGroupRows = groupKeys.ToDictionary(g => g.Key, g => g.Value.Select(k => rowOf[k]).Distinct().Order().ToArray());
        var feedRows = feedByKey.Keys.Select(k => rowOf[k]).Order().ToArray();
        return new FeatureSnapshot(space, allKeys, rows, rowOf, newGroupRows, feedRows, feedByKey);
    }

    private FeatureDocument Document(string key, IReadOnlyDictionary<string, Paper> feedByKey)
    {
        var paper = papers.Find(key) ?? (feedByKey.TryGetValue(key, out var f) ? f : null) ?? StarterRoadmap.PaperFor(key) ?? Paper.Pending(PaperRef.FromKey(key));
        if (!HasText(paper))
        {
            textless.Add(key);
        }

        // A classic added offline has no abstract yet: its starter summary stands in until the source answers.
        return FeatureDocument.Of(paper, StarterRoadmap.Find(key)?.Summary);
    }

    /// <summary>An abstract, or a title the source confirmed; a pending paper without an abstract is read again when it resolves.</summary>
    private static bool HasText(Paper paper) => !string.IsNullOrWhiteSpace(paper.Abstract) || (!string.IsNullOrWhiteSpace(paper.Title) && paper.State != MetadataState.Pending);
}
