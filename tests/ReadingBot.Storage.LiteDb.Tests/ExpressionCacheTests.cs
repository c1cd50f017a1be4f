using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>
/// LiteDB 5.0.21 keeps a compiled expression for every distinct expression text in a process-wide cache that is never
/// emptied (LiteDB issue #2807); its own Query helpers write values into that text. The stores keep values as
/// parameters, so a long-running bot's reads do not grow that cache with every group, paper and instant. The cache is
/// the process's, so this test runs alone: other tests' first queries would add to it meanwhile.
/// </summary>
[Collection(ExpressionCacheTests.Alone)]
public sealed class ExpressionCacheTests
{
    public const string Alone = "LiteDB's process-wide expression cache";

    private static int CachedExpressions()
    {
        var count = 0;
        foreach (var name in new[] { "_cacheScalar", "_cacheEnumerable" })
        {
            var field = typeof(BsonExpression).GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
            Assert.True(field is not null, $"LiteDB's BsonExpression has no {name} any more: check whether issue #2807 is fixed and this test still means something");
            count += ((System.Collections.ICollection)field.GetValue(null)!).Count;
        }

        return count;
    }

    [Fact]
    public void Reads_with_a_new_value_each_time_add_no_compiled_expression_once_warm()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var library = new LiteLibraryStore(db);
        var wayr = new LiteWayrStore(db);
        var progress = new LiteProgressStore(db);
        var deliveries = new LiteDeliveryLog(db);
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        void Read(int i)
        {
            var group = new GroupAddress(Platforms.Slack, "T" + i).Id;
            _ = library.Count(group);
            _ = wayr.PostsBetween(group, new WeekKey(2026, 1 + (i % 40)), new WeekKey(2026, 50));
            _ = progress.FinishedBetween(group, at.AddSeconds(-i), at.AddSeconds(i));
            _ = deliveries.Purge(at.AddMilliseconds(i));
        }

        Read(0);
        var before = CachedExpressions();
        for (var i = 1; i <= 200; i++)
        {
            Read(i);
        }

        Assert.Equal(before, CachedExpressions());
    }
}

[CollectionDefinition(ExpressionCacheTests.Alone, DisableParallelization = true)]
public sealed class ExpressionCacheCollection;
