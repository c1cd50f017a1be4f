using System.Diagnostics;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Bench;

/// <summary>Store hot paths through the store interfaces: LiteDB on a database file (direct mode, one writer) here, either store from <see cref="ProviderBench"/>.</summary>
internal static class StoreBench
{
    public static async Task RunAsync(string[] args)
    {
        using var bot = BenchBot.Create(TimeProvider.System);
        foreach (var (what, perSecond, count) in await MeasureAsync(bot))
        {
            Console.WriteLine($"{what}: {perSecond:N0}/s ({1_000_000 / perSecond:0} µs each, {count:N0} ops)");
        }
    }

    /// <summary>Each hot path's operations per second through the bot's store interfaces, whichever store it runs on.</summary>
    public static async Task<List<(string What, double PerSecond, int Count)>> MeasureAsync(BenchBot bot)
    {
        await bot.SendAsync("bench", "m1", "paper list");
        var group = bot.Get<IGroupStore>().All().Single().Id;
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var library = bot.Get<ILibraryStore>();
        var suggestions = bot.Get<ISuggestionStore>();
        var likes = bot.Get<ILikeStore>();
        var papers = bot.Get<IPaperStore>();
        var results = new List<(string, double, int)>();
        void Report<T>(string what, int count, Func<int, T> operation) => results.Add((what, PerSecond(count, operation), count));

        Report("paper add (paper record + library entry + group counter, one transaction)", 3_000, i =>
            library.Add(group, Paper.Pending(PaperRefParser.Parse($"2401.{i:D5}").Reference!), "m1", null, null, now));
        for (var i = 0; i < 200; i++)
        {
            suggestions.TryAdd(new Suggestion { Group = group, PaperKey = $"arxiv:2401.{i:D5}", SuggestedBy = "m1", SuggestedAt = now });
        }

        Report("vote toggle (read-modify-write of a suggestion)", 5_000, i => suggestions.ToggleVote(group, $"arxiv:2401.{i % 200:D5}", $"m{i % 50}"));
        Report("like toggle", 5_000, i => likes.Toggle(group, $"m{i % 50}", $"arxiv:2401.{i % 3000:D5}", now));
        Report("read: library entry by number", 20_000, i => library.FindByNumber(group, 1 + (i % 3000)));
        Report("read: paper by key", 20_000, i => papers.Find($"arxiv:2401.{i % 3000:D5}"));
        Report("read: open suggestions of a group (200)", 500, _ => suggestions.ListOpen(group));
        Report("read: a member's likes", 2_000, i => likes.ForMember(group, $"m{i % 50}"));
        // The lead adds the WAYR post and streak close hot paths here, as two more Report(...) lines.
        return results;
    }

    private static double PerSecond<T>(int count, Func<int, T> operation)
    {
        for (var i = 0; i < Math.Min(100, count); i++)
        {
            operation(i);
        }

        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            operation(i);
        }

        return count / sw.Elapsed.TotalSeconds;
    }
}
