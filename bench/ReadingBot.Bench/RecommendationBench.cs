using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Bench;

/// <summary>
/// The real <see cref="RecommendationEngine"/> over 100,000 synthetic papers in 1,000 groups: one group holds all of
/// them (the worst case for scoring), 999 groups hold 100 each. Paper text is regenerated on each read, as a store
/// on disk would serve it, so memory counts what the engine keeps, not the corpus.
/// </summary>
internal static class RecommendationBench
{
    public const int Papers = 100_000;
    public const int Groups = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var papers = args.Length > 0 && int.TryParse(args[0], out var n) ? n : Papers;
        var corpus = new SyntheticCorpus();
        var sw = Stopwatch.StartNew();
        long words = 0;
        for (var i = 0; i < papers; i++)
        {
            words += corpus.Paper(i).Abstract.Count(c => c == ' ') + 1;
        }

        var generation = sw.Elapsed;
        Console.WriteLine($"corpus: {papers:N0} abstracts, {words / (double)papers:0} words each on average; generating their text once takes {generation.TotalSeconds:0.00} s");

        var store = new GeneratedLibrary(corpus, papers);
        var signals = new BenchSignals();
        var options = new RecommendationOptions();
        using var engine = new RecommendationEngine(store, store, store, signals, new NoDislikes(), new NoPaperFeed(), options, TimeProvider.System, NullLogger<RecommendationEngine>.Instance);

        sw.Restart();
        await engine.RunOnceAsync(CancellationToken.None);
        var build = sw.Elapsed;
        var snap = engine.Snapshot;
        var nnz = snap.Rows.Sum(r => (long)r.Indices.Length);
        Console.WriteLine($"index build (fit 1/2-grams pruned to {snap.Space!.Count:N0} features + transform, reading every paper twice): {build.TotalSeconds:0.00} s " +
            $"(of which ~{2 * generation.TotalSeconds:0.0} s regenerating text); {nnz / (double)snap.Rows.Count:0} non-zeros per paper; target < 30 s");

        var big = new GroupId("bench:0");
        var small = new GroupId("bench:5");
        var member = "m0";
        var likes = signals.ForMember(big, member);
        var exclude = likes.Select(s => s.PaperKey).ToHashSet(StringComparer.Ordinal);

        var centroid = Time(() => engine.Rank(big, member, likes, exclude, 20), 15, out var centroidRanking);
        Console.WriteLine($"a member's top 20 among {papers:N0} papers, centroid (before training): median {centroid.Median:0.0} ms, max {centroid.Max:0.0} ms; " +
            $"{Precision(centroidRanking!):P0} of picks from the liked topic");

        sw.Restart();
        engine.Train(big, member);
        Console.WriteLine($"training one member's SVM (20 positives, {options.MaxNegatives:N0} sampled negatives, background): {sw.Elapsed.TotalMilliseconds:0} ms");

        var svm = Time(() => engine.Rank(big, member, likes, exclude, 20), 15, out var svmRanking);
        Console.WriteLine($"a member's top 20 among {papers:N0} papers, cached SVM: median {svm.Median:0.0} ms, max {svm.Max:0.0} ms ({svmRanking!.Kind}); " +
            $"{Precision(svmRanking):P0} of picks from the liked topic; target < 100 ms");
        Console.WriteLine($"  reasons of the first pick: {string.Join(", ", svmRanking.Papers[0].Reasons)}");

        var smallLikes = signals.ForMember(small, member);
        var smallRank = Time(() => engine.Rank(small, member, smallLikes, new HashSet<string>(), 20), 15, out _);
        Console.WriteLine($"a member's top 20 in a group of 100 papers: median {smallRank.Median:0.00} ms");

        var similar = Time(() => engine.Similar(big, GeneratedLibrary.Key(123), 20), 15, out _);
        Console.WriteLine($"/similar among {papers:N0} papers: median {similar.Median:0.0} ms");

        store.Grow(new GroupId("bench:1"), 1_000);
        sw.Restart();
        await engine.RunOnceAsync(CancellationToken.None);
        Console.WriteLine($"1,000 new papers folded in (no refit): {sw.Elapsed.TotalMilliseconds:0} ms; features version unchanged: {engine.Snapshot.Space!.Version == snap.Space.Version}");

        Console.WriteLine($"memory with the engine for {Groups:N0} groups and {engine.Snapshot.Rows.Count:N0} papers, one model cached: {Machine.MemoryLine()}");

        // The same process also runs the bot: the real composition over a LiteDB file with 1,000 groups.
        using var bot = BenchBot.Create(TimeProvider.System);
        for (var g = 0; g < Groups; g++)
        {
            await bot.SendAsync($"w{g}", "mod", "settings announce monday 09:00", moderator: true);
            await bot.SendAsync($"w{g}", $"m{g % 7}", $"paper add 2404.{g:D5}");
        }

        Console.WriteLine($"memory with that engine plus the bot holding {Groups:N0} groups in LiteDB: {Machine.MemoryLine()}; target < 200 MB resident");
        GC.KeepAlive(engine);
    }

    private static double Precision(Ranking ranking) =>
        ranking.Papers.Count(p => SyntheticCorpus.TopicOf(GeneratedLibrary.Index(p.PaperKey)) == BenchSignals.LikedTopic) / (double)Math.Max(1, ranking.Papers.Count);

    private static (double Median, double Max) Time<T>(Func<T> action, int runs, out T last)
    {
        last = action();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            last = action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return (Machine.Median(times), times.Max());
    }
}

/// <summary>Group bench:0 holds every paper; bench:1 … bench:999 hold 100 each. Text comes from the generator.</summary>
internal sealed class GeneratedLibrary(SyntheticCorpus corpus, int papers) : IGroupStore, ILibraryStore, IPaperStore
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<Group> groups = Enumerable.Range(0, RecommendationBench.Groups)
        .Select(i => new Group { Id = new GroupId($"bench:{i}"), Platform = "local", Workspace = $"w{i}", CreatedAt = Start }).ToList();
    private readonly Dictionary<GroupId, int> extra = [];
    public static string Key(int index) => $"url:https://bench.invalid/{index}";

    public static int Index(string key) => int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds <paramref name="count"/> new papers to a group's library.</summary>
    public void Grow(GroupId group, int count)
    {
        extra[group] = extra.GetValueOrDefault(group) + count;
    }

    public Group? Find(GroupId id) => groups.FirstOrDefault(g => g.Id == id);

    public Group GetOrAdd(GroupId id, Func<Group> create) => Find(id) ?? create();

    public void Save(Group group)
    {
    }

    public void SetPlatformName(GroupId id, string name)
    {
    }

    public IReadOnlyList<Group> All() => groups;

    public int Count(GroupId group) => (group.Value == "bench:0" ? papers : 100) + extra.GetValueOrDefault(group);

    public IReadOnlyList<LibraryEntry> List(GroupId group, int skip, int take)
    {
        var number = int.Parse(group.Value[6..], System.Globalization.CultureInfo.InvariantCulture);
        var baseCount = number == 0 ? papers : 100;
        return Enumerable.Range(skip, Math.Max(0, Math.Min(take, Count(group) - skip)))
            .Select(i => i < baseCount ? (number == 0 ? i : ((number * 100) + i) % papers) : papers + i - baseCount)
            .Select(i => new LibraryEntry { Group = group, Number = i + 1, PaperKey = Key(i), AddedBy = "m0", AddedAt = Start })
            .ToList();
    }

    public LibraryEntry? FindByNumber(GroupId group, int number) => null;

    public LibraryEntry? FindByPaper(GroupId group, string paperKey) => null;

    public (LibraryEntry Entry, bool Created) Add(GroupId group, Paper paper, string addedBy, string? givenTitle, string? version, DateTimeOffset at) =>
        throw new NotSupportedException();

    public IReadOnlyDictionary<string, Paper> FindMany(IReadOnlyCollection<string> keys) =>
        keys.Distinct().Select(Find).OfType<Paper>().ToDictionary(p => p.Key);

    public Paper? Find(string key)
    {
        var index = Index(key);
        var (title, abstractText, authors) = corpus.Paper(index);
        return new Paper { Key = key, Source = PaperSource.Url, Url = key[4..], Title = title, Abstract = abstractText, Authors = authors, State = MetadataState.Resolved };
    }

    public void Save(Paper paper)
    {
    }

    public IReadOnlyList<Paper> FindDue(DateTimeOffset now, int limit) => [];
}

/// <summary>Member m0 liked 20 papers of topic 3; in small groups, 5 papers of theirs.</summary>
internal sealed class BenchSignals : IReadingSignals
{
    public const int LikedTopic = 3;

    public IReadOnlyList<PaperSignal> ForMember(GroupId group, string userId) => group.Value == "bench:0"
        ? Enumerable.Range(0, 20).Select(i => Like(LikedTopic + (i * SyntheticCorpus.Topics))).ToList()
        : Enumerable.Range(0, 5).Select(i => Like(((int.Parse(group.Value[6..], System.Globalization.CultureInfo.InvariantCulture) * 100) + i) % RecommendationBench.Papers)).ToList();

    public IReadOnlyList<PaperSignal> ForGroup(GroupId group) => ForMember(group, "m0");

    public IReadOnlyList<PaperSignal> ForGroupSince(GroupId group, DateTimeOffset since) => ForGroup(group);

    private static PaperSignal Like(int index) => new(GeneratedLibrary.Key(index), SignalKind.Liked, 1.0, "m0", null);
}

/// <summary>The bench's members dislike nothing.</summary>
internal sealed class NoDislikes : ReadingBot.Core.Recommendations.IDislikeStore
{
    public bool Toggle(ReadingBot.Core.Groups.GroupId group, string userId, string paperKey, DateTimeOffset at) => false;

    public IReadOnlyList<string> ForMember(ReadingBot.Core.Groups.GroupId group, string userId) => [];
}
