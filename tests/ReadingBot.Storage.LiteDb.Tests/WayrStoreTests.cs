using ReadingBot.Core.Groups;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class WayrStoreTests
{
    [Fact]
    public void Posts_between_two_weeks_include_both_ends_and_no_other_group_or_year()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        var store = new LiteWayrStore(database);
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        foreach (var (group, week) in new[] { (mine, new WeekKey(2025, 47)), (mine, new WeekKey(2026, 1)), (mine, new WeekKey(2026, 9)), (mine, new WeekKey(2026, 10)), (mine, new WeekKey(2026, 11)), (theirs, new WeekKey(2026, 9)) })
        {
            store.AddPost(new WayrPost { Group = group, Week = week, Number = 0, Author = "u", At = at });
        }

        var weeks = store.PostsBetween(mine, new WeekKey(2026, 1), new WeekKey(2026, 10)).Select(p => p.Week.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(["2026-W01", "2026-W09", "2026-W10"], weeks);
    }
}
