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

    [Fact]
    public void A_page_read_before_an_add_is_not_kept_after_the_add_changed_the_view()
    {
        var group = AddGroup("g1");
        var db = ((LiteStoreSet)Stores).Database;
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        Assert.Equal(1, Stores.Library.Count(group.Id));
        var readAt = db.Libraries.Generation;
        var stale = Stores.Library.List(group.Id, 0, 10);

        Stores.Library.Add(group.Id, Arxiv("1512.03385"), "alice", null, null, At);
        db.Libraries.Update(group.Id.Value, v => v!.WithPage(0, 10, stale), readAt);

        Assert.Equal([1, 2], Stores.Library.List(group.Id, 0, 10).Select(e => e.Number));
        Assert.Equal(2, Stores.Library.Count(group.Id));
    }

    [Fact]
    public void A_paper_read_before_a_save_is_not_kept_after_it()
    {
        var db = ((LiteStoreSet)Stores).Database;
        var paper = Arxiv("1706.03762");
        Stores.Papers.Save(paper);
        var readAt = db.Papers.Generation;

        Stores.Papers.Save(paper with { Title = "Attention Is All You Need" });
        db.Papers.Remember(paper.Key, paper, readAt);

        Assert.Equal("Attention Is All You Need", Stores.Papers.Find(paper.Key)!.Title);
    }
}
