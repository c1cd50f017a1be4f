using ReadingBot.Core.Groups;
using ReadingBot.Core.Wayr;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class ProgressStoreTests
{
    [Fact]
    public void Finished_readings_between_two_instants_are_this_groups_done_passes_from_the_first_and_before_the_second()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        var store = new LiteProgressStore(database);
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        var from = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(7);
        store.Save(new ReadingProgress(mine, "early", "p1", ReadingPass.Done, from.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "first", "p1", ReadingPass.Done, from));
        store.Save(new ReadingProgress(mine, "second", "p2", ReadingPass.Done, to.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "late", "p1", ReadingPass.Done, to));
        store.Save(new ReadingProgress(mine, "skimming", "p1", ReadingPass.Pass1, from.AddDays(1)));
        store.Save(new ReadingProgress(theirs, "other", "p1", ReadingPass.Done, from.AddDays(1)));
        // A reading saved as done and then set back to a second pass leaves the index of finished readings.
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Done, from.AddDays(2)));
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Pass2, from.AddDays(3)));

        var finished = store.FinishedBetween(mine, from, to).Select(p => p.Member).Order(StringComparer.Ordinal);

        Assert.Equal(["first", "second"], finished);
    }
}
