using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.Contract;

public abstract class LibraryStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Adding_papers_numbers_them_per_group_in_one_transaction()
    {
        var g1 = AddGroup("g1");
        var g2 = AddGroup("g2");

        var (a, _) = Stores.Library.Add(g1.Id, Arxiv("1706.03762"), "alice", "Attention", null, At);
        var (b, _) = Stores.Library.Add(g1.Id, Arxiv("1512.03385"), "alice", null, "v2", At);
        var (c, _) = Stores.Library.Add(g2.Id, Arxiv("1706.03762"), "bob", null, null, At);

        Assert.Equal((1, 2, 1), (a.Number, b.Number, c.Number));
        Assert.Equal(3, Stores.Groups.Find(g1.Id)!.NextPaperNumber);
        Assert.Equal("v2", Stores.Library.FindByNumber(g1.Id, 2)!.VersionRead);
        Assert.Equal("arxiv:1706.03762", Stores.Papers.Find("arxiv:1706.03762")!.Key);
    }

    [Fact]
    public void Adding_a_paper_twice_returns_the_existing_entry_and_changes_nothing()
    {
        var g = AddGroup("g1");
        Stores.Library.Add(g.Id, Arxiv("1706.03762"), "alice", "Attention", null, At);

        var (again, created) = Stores.Library.Add(g.Id, Arxiv("1706.03762"), "bob", "Other", null, At);

        Assert.False(created);
        Assert.Equal(("alice", 1), (again.AddedBy, again.Number));
        Assert.Equal(2, Stores.Groups.Find(g.Id)!.NextPaperNumber);
    }

    [Fact]
    public void A_failed_add_rolls_back_the_paper_and_the_counter()
    {
        // No group record: the add fails, and the transaction leaves no paper behind.
        var missing = new GroupId("discord:missing");

        Assert.Throws<InvalidOperationException>(() => Stores.Library.Add(missing, Arxiv("1706.03762"), "alice", null, null, At));

        Assert.Null(Stores.Papers.Find("arxiv:1706.03762"));
        Assert.Equal(0, Stores.Library.Count(missing));
    }

    [Fact]
    public void Better_metadata_replaces_a_pending_shared_record_but_not_the_reverse()
    {
        var g1 = AddGroup("g1");
        var g2 = AddGroup("g2");
        Stores.Library.Add(g1.Id, Arxiv("1706.03762"), "alice", null, null, At);

        Stores.Library.Add(g2.Id, Arxiv("1706.03762") with { Title = "Attention Is All You Need", State = MetadataState.Resolved }, "bob", null, null, At);
        var g3 = AddGroup("g3");
        Stores.Library.Add(g3.Id, Arxiv("1706.03762"), "carol", null, null, At);

        Assert.Equal("Attention Is All You Need", Stores.Papers.Find("arxiv:1706.03762")!.Title);
    }

    [Fact]
    public void Listing_is_ordered_by_number_and_paged()
    {
        var g = AddGroup("g1");
        for (var i = 0; i < 25; i++)
        {
            Stores.Library.Add(g.Id, Arxiv($"2301.{i:D5}"), "alice", null, null, At);
        }

        var page2 = Stores.Library.List(g.Id, 20, 20);

        Assert.Equal([21, 22, 23, 24, 25], page2.Select(e => e.Number));
        Assert.Equal(25, Stores.Library.Count(g.Id));
    }
}
