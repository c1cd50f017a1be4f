using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>The read-after-write contract on LiteDB's caches, and the race only a cache has.</summary>
public sealed class ReadCacheTests() : ReadAfterWriteContract(LiteStoreSet.Open)
{
    [Fact]
    public void A_library_view_read_before_a_write_is_not_kept_after_it()
    {
        var group = AddGroup("g1");
        var db = ((LiteStoreSet)Stores).Database;
        var readAt = db.Libraries.Generation;
        db.Libraries.Forget(group.Id.Value);

        db.Libraries.Update(group.Id.Value, v => (v ?? LibraryView.Empty) with { Count = 41 }, readAt);

        Assert.False(db.Libraries.TryGet(group.Id.Value, out _));
        Assert.Equal(0, Stores.Library.Count(group.Id));
    }
}
