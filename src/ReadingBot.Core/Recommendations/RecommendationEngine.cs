using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Recommendations;

/// <summary>A paper the recommender ranked, with the terms that weighed most for it.</summary>
public sealed record RankedPaper(string PaperKey, float Score, IReadOnlyList<string> Reasons, bool FromFeed);

/// <summary>A ranking and how it was made.</summary>
public sealed record Ranking(IReadOnlyList<RankedPaper> Papers, ModelKind Kind, int Positives);

/// <summary>
/// Keeps tf-idf features of all known papers up to date (<see cref="FeatureSnapshotBuilder"/>) and per-member models trained, in the background
/// (<see cref="RunOnceAsync"/>, called by a hosted service on a timer and when a command finds work pending), so that
/// commands only score: a cached SVM when one matches the member's current signal, else the centroid at once.
/// </summary>
public sealed class RecommendationEngine(
    IGroupStore groups,
    ILibraryStore library,
    IPaperStore papers,
    IReadingSignals signals,
    IDislikeStore dislikes,
    IPaperFeed feed,
    RecommendationOptions options,
    TimeProvider time,
    ILogger<RecommendationEngine> logger) : IDisposable
{
    /// <summary>The subject of a group's own model (no platform user id has this form).</summary>
    public const string GroupSubject = "#group";

    private readonly SemaphoreSlim passGate = new(1, 1);
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly ConcurrentDictionary<(GroupId Group, string Subject), CachedModel> models = new();
    private readonly ConcurrentDictionary<(GroupId Group, string Subject), byte> trainingQueue = new();
    private readonly FeatureSnapshotBuilder snapshots = new(groups, library, papers, options, logger);
    private FeatureSnapshot snapshot = FeatureSnapshot.Empty;
    private DateTimeOffset? feedFetchedAt;
    private long uses;

    public FeatureSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>How many models wait to be trained.</summary>
    public int PendingTraining => trainingQueue.Count;

    /// <summary>Lets the background pass start now instead of at its next tick.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>Waits for <see cref="Wake"/> or <paramref name="period"/> (on the injected clock), whichever is first.</summary>
    public async Task WaitForWorkAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(period, time, linked.Token);
        var woken = wake.WaitAsync(linked.Token);
        await Task.WhenAny(delay, woken);
        await linked.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// One background pass: picks up new and filled-in papers of every library, refreshes the feed when due, refits
    /// or folds in features, then trains the queued models (at most <see cref="RecommendationOptions.TrainingConcurrency"/> at once).
    /// </summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await passGate.WaitAsync(cancellationToken);
        try
        {
            var fresh = await FetchFeedIfDueAsync(cancellationToken);
            UpdateFeatures(fresh);
            await TrainQueuedAsync(cancellationToken);
        }
        finally
        {
            passGate.Release();
        }
    }

    private async Task<IReadOnlyList<Paper>?> FetchFeedIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!options.Feed.Enabled || (feedFetchedAt is { } last && now - last < TimeSpan.FromHours(options.Feed.RefreshHours)))
        {
            return null;
        }

        feedFetchedAt = now;
        var (found, problem) = await feed.NewPapersAsync(options.Feed.CategoryList, options.Feed.MaxResults, cancellationToken);
        if (problem is not null)
        {
            logger.LogWarning("The arXiv feed could not be fetched: {Problem}", problem);
        }

        return found.Count > 0 ? found : null;
    }

    private void UpdateFeatures(IReadOnlyList<Paper>? feedPapers)
    {
        var next = snapshots.Next(Snapshot, feedPapers, out var removedGroups);
        foreach (var gone in removedGroups)
        {
            Forget(gone);
        }

        if (next is not null)
        {
            Volatile.Write(ref snapshot, next);
        }
    }

    /// <summary>
    /// Ranks the group's candidates (its library and the feed) for a member, or for the group when
    /// <paramref name="subject"/> is <see cref="GroupSubject"/>, leaving out <paramref name="exclude"/>.
    /// Null when the subject has no positive paper with features.
    /// </summary>
    public Ranking? Rank(GroupId group, string subject, IReadOnlyList<PaperSignal> positives, ISet<string> exclude, int count)
    {
        var snap = Snapshot;
        if (snap.Space is not { } space)
        {
            Wake();
            return null;
        }

        var weighted = Positives(snap, positives);
        if (weighted.Count == 0)
        {
            return null;
        }

        // A member's dislikes count against papers like them, and a new dislike retrains (it changes the fingerprint).
        var negatives = subject == GroupSubject ? [] : Negatives(snap, dislikes.ForMember(group, subject), weighted);
        var fingerprint = Fingerprint(weighted.Keys.Concat(negatives.Select(n => "-" + snap.Keys[n])));
        LinearModel model;
        if (models.TryGetValue((group, subject), out var cached) && cached.Fingerprint == fingerprint && cached.Model.SpaceVersion == space.Version)
        {
            cached.LastUsed = Interlocked.Increment(ref uses);
            model = cached.Model;
        }
        else
        {
            if (weighted.Count >= options.MinPositives)
            {
                trainingQueue.TryAdd((group, subject), 0);
                Wake();
            }

            model = LinearModels.Centroid(weighted.Values.Select(p => (snap.Rows[p.Row], p.Weight)).Concat(negatives.Select(n => (snap.Rows[n], -DislikeCentroidWeight))), space.Count, space.Version);
        }

        var skip = exclude.Where(snap.RowOf.ContainsKey).Select(k => snap.RowOf[k]).Concat(weighted.Values.Select(p => p.Row)).Concat(negatives).ToHashSet();
        var top = LinearModels.Top(model, snap.Rows, Candidates(snap, group, skip), count);
        return new Ranking(Describe(snap, space, group, model, top), model.Kind, weighted.Count);
    }

    /// <summary>
    /// Orders papers by the subject's trained model when one is cached (a paper the engine has no row for is read
    /// from its title), best first; keeps the given order when there is no model yet. Never trains on the request path.
    /// </summary>
    public IReadOnlyList<T> RankByModel<T>(GroupId group, string subject, IReadOnlyList<T> papers, Func<T, (string Key, string? Title)> paper)
    {
        var snap = Snapshot;
        if (snap.Space is not { } space || !models.TryGetValue((group, subject), out var cached) || cached.Model.SpaceVersion != space.Version || papers.Count < 2)
        {
            return papers;
        }

        return papers
            .Select((p, i) => (Paper: p, Order: i, Score: cached.Model.Score(snap.RowFor(paper(p).Key) ?? space.Transform(new FeatureDocument(paper(p).Key, paper(p).Title, null, [])))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Order)
            .Select(x => x.Paper)
            .ToList();
    }

    /// <summary>The group's candidates nearest to <paramref name="paperKey"/> by cosine; null when the paper has no features yet.</summary>
    public Ranking? Similar(GroupId group, string paperKey, int count)
    {
        var snap = Snapshot;
        if (snap.Space is not { } space || snap.RowFor(paperKey) is not { IsEmpty: false } row)
        {
            Wake();
            return null;
        }

        var model = LinearModels.Similarity(row, space.Count, space.Version);
        var self = snap.RowOf[paperKey];
        var top = LinearModels.Top(model, snap.Rows, Candidates(snap, group, [self]), count);
        return new Ranking(Describe(snap, space, group, model, top), ModelKind.Similarity, 1);
    }

    /// <summary>True when the snapshot has a row for the paper (possibly empty: no text yet).</summary>
    public bool Knows(string paperKey) => Snapshot.RowOf.ContainsKey(paperKey);

    private IReadOnlyList<RankedPaper> Describe(FeatureSnapshot snap, FeatureSpace space, GroupId group, LinearModel model, IReadOnlyList<(int Candidate, float Score)> top)
    {
        var libraryRows = snap.GroupRows.TryGetValue(group, out var rows) ? rows : [];
        return top.Select(t => new RankedPaper(
            snap.Keys[t.Candidate],
            t.Score,
            model.Reasons(snap.Rows[t.Candidate], options.ReasonTerms).Select(space.Display).ToList(),
            Array.BinarySearch(libraryRows, t.Candidate) < 0)).ToList();
    }

    /// <summary>The group's library rows, then feed rows it does not hold, less <paramref name="skip"/>.</summary>
    private static IEnumerable<int> Candidates(FeatureSnapshot snap, GroupId group, HashSet<int> skip)
    {
        var libraryRows = snap.GroupRows.TryGetValue(group, out var rows) ? rows : [];
        foreach (var row in libraryRows)
        {
            if (!skip.Contains(row))
            {
                yield return row;
            }
        }

        foreach (var row in snap.FeedRows)
        {
            if (!skip.Contains(row) && Array.BinarySearch(libraryRows, row) < 0)
            {
                yield return row;
            }
        }
    }

    private static Dictionary<string, (int Row, double Weight)> Positives(FeatureSnapshot snap, IReadOnlyList<PaperSignal> positives)
    {
        var result = new Dictionary<string, (int Row, double Weight)>(StringComparer.Ordinal);
        foreach (var signal in positives)
        {
            if (snap.RowOf.TryGetValue(signal.PaperKey, out var row) && !snap.Rows[row].IsEmpty)
            {
                // Several signals on one paper add up, to at most twice a like.
                var weight = result.TryGetValue(signal.PaperKey, out var existing) ? existing.Weight + signal.Weight : signal.Weight;
                result[signal.PaperKey] = (row, Math.Min(2.0, weight));
            }
        }

        return result;
    }

    private const double DislikeWeight = 3.0;
    private const double DislikeCentroidWeight = 0.5;

    /// <summary>The rows of the member's disliked papers that have features (a paper both liked and disliked counts as liked).</summary>
    private static List<int> Negatives(FeatureSnapshot snap, IReadOnlyList<string> disliked, Dictionary<string, (int Row, double Weight)> positives) =>
        disliked.Where(k => !positives.ContainsKey(k) && snap.RowOf.TryGetValue(k, out var row) && !snap.Rows[row].IsEmpty).Select(k => snap.RowOf[k]).ToList();

    private static string Fingerprint(IEnumerable<string> keys) => string.Join('\n', keys.Order(StringComparer.Ordinal));

    private async Task TrainQueuedAsync(CancellationToken cancellationToken)
    {
        var queued = trainingQueue.Keys.ToList();
        if (queued.Count == 0)
        {
            return;
        }

        await Parallel.ForEachAsync(queued, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.TrainingConcurrency), CancellationToken = cancellationToken }, (key, ct) =>
        {
            trainingQueue.TryRemove(key, out _);
            try
            {
                Train(key.Group, key.Subject);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Training a recommendation model failed");
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Queues a model for the next background pass (a member's signal changed) and wakes the pass.</summary>
    public void RequestTraining(GroupId group, string subject)
    {
        trainingQueue.TryAdd((group, subject), 0);
        Wake();
    }

    /// <summary>Trains (synchronously) the model of a member, or of the group for <see cref="GroupSubject"/>, and caches it.</summary>
    public void Train(GroupId group, string subject)
    {
        var snap = Snapshot;
        if (snap.Space is not { } space)
        {
            return;
        }

        var signalList = subject == GroupSubject ? signals.ForGroup(group) : signals.ForMember(group, subject);
        var weighted = Positives(snap, signalList);
        if (weighted.Count < options.MinPositives)
        {
            return;
        }

        var negatives = subject == GroupSubject ? [] : Negatives(snap, dislikes.ForMember(group, subject), weighted);
        var examples = weighted.Values.Select(p => new TrainingExample(snap.Rows[p.Row], true, p.Weight)).ToList();
        // A dislike is a stronger negative than a paper sampled at random.
        examples.AddRange(negatives.Select(n => new TrainingExample(snap.Rows[n], false, DislikeWeight)));
        var positiveRows = weighted.Values.Select(p => p.Row).Concat(negatives).ToHashSet();
        var pool = Enumerable.Range(0, snap.Rows.Count).Where(i => !positiveRows.Contains(i) && !snap.Rows[i].IsEmpty).ToArray();
        var random = new Random(17);
        if (pool.Length > options.MaxNegatives)
        {
            random.Shuffle(pool);
            pool = pool[..options.MaxNegatives];
        }

        examples.AddRange(pool.Select(i => new TrainingExample(snap.Rows[i], false, 1.0)));
        var model = LinearModels.TrainSvm(examples, space.Count, space.Version, options.SvmC);
        models[(group, subject)] = new CachedModel(model, Fingerprint(weighted.Keys.Concat(negatives.Select(n => "-" + snap.Keys[n])))) { LastUsed = Interlocked.Increment(ref uses) };
        Evict();
    }

    /// <summary>Drops a group's cached models (its data was removed).</summary>
    public void Forget(GroupId group)
    {
        foreach (var key in models.Keys.Where(k => k.Group == group))
        {
            models.TryRemove(key, out _);
        }
    }

    private void Evict()
    {
        var excess = models.Count - Math.Max(1, options.ModelCacheSize);
        if (excess <= 0)
        {
            return;
        }

        foreach (var (key, _) in models.OrderBy(m => m.Value.LastUsed).Take(excess).ToList())
        {
            models.TryRemove(key, out _);
        }
    }

    public void Dispose()
    {
        passGate.Dispose();
        wake.Dispose();
    }

    private sealed class CachedModel(LinearModel model, string fingerprint)
    {
        public LinearModel Model { get; } = model;
        public string Fingerprint { get; } = fingerprint;
        public long LastUsed { get; set; }
    }
}
