using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class PaperStoreTests : StoreTestBase
{
    [Fact]
    public void Pending_papers_are_due_when_their_next_attempt_has_come()
    {
        PaperStore.Save(Arxiv("1706.03762") with { NextAttemptAt = At.AddMinutes(5) });
        PaperStore.Save(Arxiv("1512.03385") with { NextAttemptAt = At.AddMinutes(-5) });
        PaperStore.Save(Arxiv("2301.00001") with { State = MetadataState.Resolved });

        Assert.Equal(["arxiv:1512.03385"], PaperStore.FindDue(At, 10).Select(p => p.Key));
    }
}
