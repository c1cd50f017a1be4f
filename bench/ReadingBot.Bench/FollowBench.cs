using System.Diagnostics;
using ReadingBot.Core.Follows;

namespace ReadingBot.Bench;

/// <summary>
/// Issue #17's scale: 1,000 groups following 5,000 distinct authors and 2,000 topics. The refresh's arXiv cost is
/// counted, not run (one request per 3 s is arXiv's rule, so requests × 3 s is the time); the topic matching of a
/// day's feed of 2,000 synthetic papers is timed.
/// </summary>
internal static class FollowBench
{
    private const int Papers = 2_000;
    private const int TopicCount = 2_000;

    public static Task RunAsync(string[] args)
    {
        var corpus = new SyntheticCorpus();
        var authors = corpus.Names.Select(AuthorName.Parse).OfType<AuthorName>().ToList();
        var queries = ArxivAuthorBatches.Queries(authors);
        Console.WriteLine($"{authors.Count:N0} followed authors → {queries.Count} batched au: queries (at most 60 terms or 1,500 characters each);"
            + $" one page each is {queries.Count} requests ≈ {queries.Count * 3 / 60.0:0.0} min at arXiv's 3 s, within the rule by construction");

        var texts = Enumerable.Range(0, Papers).Select(i => corpus.Paper(i)).Select(p => p.Title + "\n" + p.Abstract).ToList();
        var topics = Enumerable.Range(0, TopicCount).Select(i => Topic(corpus, i)).ToList();
        var index = new TopicIndex<int>(topics.Select((q, i) => (i, q)));
        var hits = 0;
        for (var warm = 0; warm < 3; warm++)
        {
            hits = index.MatchAll(texts).Sum(h => h.Count);
        }

        var times = new List<double>();
        var sw = new Stopwatch();
        for (var run = 0; run < 21; run++)
        {
            sw.Restart();
            index.MatchAll(texts);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = Machine.Percentile(times, 50);
        Console.WriteLine($"{Papers:N0} papers × {TopicCount:N0} topics ({hits:N0} matches): median {median:0.0} ms, max {times[^1]:0.0} ms over 21 runs;"
            + $" target < 100 ms: {(median < 100 ? "met" : "MISSED")}");
        return Task.CompletedTask;
    }

    // Topics made of a paper's title words, as members would type them: one to three words, some a quoted phrase,
    // some with an excluded word.
    private static TopicQuery Topic(SyntheticCorpus corpus, int i)
    {
        var words = corpus.Paper(i * 13 % 100_000).Title.TrimEnd('.').Split(' ');
        var take = 1 + (i % 3);
        var start = i % Math.Max(1, words.Length - take);
        var chosen = words.Skip(start).Take(take).ToList();
        var text = i % 5 == 0 && chosen.Count >= 2 ? $"\"{chosen[0]} {chosen[1]}\" {string.Join(' ', chosen.Skip(2))}" : string.Join(' ', chosen);
        if (i % 7 == 0)
        {
            text += " -" + words[^1];
        }

        return TopicQuery.Parse(text).Query ?? TopicQuery.Parse("fallback").Query!;
    }
}
