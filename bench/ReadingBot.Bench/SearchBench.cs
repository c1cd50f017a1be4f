using System.Diagnostics;
using ReadingBot.Core.Papers;

namespace ReadingBot.Bench;

/// <summary>The library's BM25 index (<see cref="GroupSearchIndex"/>) over 100,000 synthetic abstracts in one group.</summary>
internal static class SearchBench
{
    public static Task RunAsync(string[] args)
    {
        var papers = args.Length > 0 && int.TryParse(args[0], out var n) ? n : RecommendationBench.Papers;
        var corpus = new SyntheticCorpus();
        var before = Machine.Memory();
        var index = new GroupSearchIndex();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < papers; i++)
        {
            var (title, abstractText, authors) = corpus.Paper(i);
            index.Upsert(i + 1, new Paper { Key = GeneratedLibrary.Key(i), Source = PaperSource.Url, Url = "https://bench.invalid", Title = title, Abstract = abstractText, Authors = authors });
        }

        // As PaperSearchIndex does after loading a group's library.
        index.TrimExcess();
        Console.WriteLine($"BM25 index of {papers:N0} abstracts built in {sw.Elapsed.TotalSeconds:0.00} s (text generation included)");
        var after = Machine.Memory();
        Console.WriteLine($"  its memory: {after.HeapMb - before.HeapMb:0} MB of managed heap");

        var queries = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var words = corpus.Paper(i * 37).Title.Split(' ');
            queries.Add(string.Join(' ', words.Take(2 + (i % 3))));
        }

        foreach (var q in queries.Take(10))
        {
            index.Search(q, 10);
        }

        var times = new List<double>();
        foreach (var q in queries)
        {
            sw.Restart();
            index.Search(q, 10);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"one query (2–4 title words, top 10) over {papers:N0} abstracts: median {Machine.Percentile(times, 50):0.0} ms, p99 {Machine.Percentile(times, 99):0.0} ms; target < 20 ms");
        GC.KeepAlive(index);
        return Task.CompletedTask;
    }
}
