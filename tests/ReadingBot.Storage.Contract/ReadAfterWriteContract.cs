using ReadingBot.Core.Papers;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.Contract;

/// <summary>
/// What a command reads right after a write shows the write, whatever a store keeps in memory to answer reads fast
/// (the LiteDB store caches groups, members and library pages).
/// </summary>
public abstract class ReadAfterWriteContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_member_read_before_a_save_is_read_again_as_saved()
    {
        var group = AddGroup("g1");
        Stores.Members.Save(new Member { Group = group.Id, UserId = "u1", DisplayName = "Ada", JoinedAt = At, LastSeenAt = At });
        Assert.Equal("Ada", Stores.Members.Find(group.Id, "u1")!.DisplayName);

        Stores.Members.Save(Stores.Members.Find(group.Id, "u1")! with { DisplayName = "Ada L." });

        Assert.Equal("Ada L.", Stores.Members.Find(group.Id, "u1")!.DisplayName);
        Assert.Null(Stores.Members.Find(group.Id, "u2"));
    }

    [Fact]
    public void Library_pages_and_counts_read_before_an_add_show_it_and_groups_stay_apart()
    {
        var group = AddGroup("g1");
        var other = AddGroup("g2");
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        Assert.Single(Stores.Library.List(group.Id, 0, 10));
        Assert.Equal(1, Stores.Library.Count(group.Id));
        Assert.Empty(Stores.Library.List(group.Id, 10, 10));

        Stores.Library.Add(group.Id, Arxiv("1512.03385"), "alice", null, null, At);

        Assert.Equal([1, 2], Stores.Library.List(group.Id, 0, 10).Select(e => e.Number));
        Assert.Equal([2], Stores.Library.List(group.Id, 1, 1).Select(e => e.Number));
        Assert.Equal(2, Stores.Library.Count(group.Id));
        Assert.Equal(0, Stores.Library.Count(other.Id));
    }

    [Fact]
    public void Every_page_read_before_adds_shows_them_in_number_order()
    {
        var group = AddGroup("g1");
        string[] ids = ["1706.03762", "1512.03385", "1409.0473", "1810.04805", "2005.14165"];
        foreach (var id in ids)
        {
            Stores.Library.Add(group.Id, Arxiv(id), "alice", null, null, At);
        }

        // Read every page of two, the last one partly full, and the size, so that a store keeping them has them all.
        Assert.Equal(5, Stores.Library.Count(group.Id));
        Assert.Equal([[1, 2], [3, 4], [5], []], Enumerable.Range(0, 4).Select(p => Stores.Library.List(group.Id, p * 2, 2).Select(e => e.Number).ToArray()));

        Stores.Library.Add(group.Id, Arxiv("2010.11929"), "bob", null, null, At);
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "bob", null, null, At); // already there: nothing changes

        Assert.Equal(6, Stores.Library.Count(group.Id));
        Assert.Equal([[1, 2], [3, 4], [5, 6], []], Enumerable.Range(0, 4).Select(p => Stores.Library.List(group.Id, p * 2, 2).Select(e => e.Number).ToArray()));
        Assert.Equal([6], Stores.Library.List(group.Id, 5, 10).Select(e => e.Number));

        Stores.Library.Add(group.Id, Arxiv("1406.2661"), "bob", null, null, At);

        Assert.Equal(7, Stores.Library.Count(group.Id));
        Assert.Equal([[1, 2], [3, 4], [5, 6], [7]], Enumerable.Range(0, 4).Select(p => Stores.Library.List(group.Id, p * 2, 2).Select(e => e.Number).ToArray()));
    }

    [Fact]
    public void A_paper_read_before_a_save_or_a_better_add_is_read_again_as_stored()
    {
        var group = AddGroup("g1");
        var pending = Arxiv("1706.03762");
        Stores.Papers.Save(pending);
        Assert.Equal(MetadataState.Pending, Stores.Papers.Find(pending.Key)!.State);
        Assert.Equal([pending.Key], Stores.Papers.FindMany([pending.Key, "arxiv:0000.00000"]).Keys);

        Stores.Papers.Save(pending with { Title = "Attention Is All You Need", Attempts = 1 });

        Assert.Equal("Attention Is All You Need", Stores.Papers.Find(pending.Key)!.Title);
        Assert.Equal("Attention Is All You Need", Stores.Papers.FindMany([pending.Key, pending.Key])[pending.Key].Title);

        // An add that brings resolved metadata for a pending record replaces it.
        Stores.Library.Add(group.Id, pending with { Title = "Attention", State = MetadataState.Resolved }, "alice", null, null, At);

        Assert.Equal(MetadataState.Resolved, Stores.Papers.Find(pending.Key)!.State);
        Assert.Equal("Attention", Stores.Papers.FindMany([pending.Key])[pending.Key].Title);
        Assert.Empty(Stores.Papers.FindMany([]));
    }

    [Fact]
    public void Members_and_a_library_read_before_a_workspace_is_removed_are_gone_after_it()
    {
        var group = AddGroup("g1");
        Stores.Members.Save(new Member { Group = group.Id, UserId = "u1", DisplayName = "Ada", JoinedAt = At, LastSeenAt = At });
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        Assert.NotNull(Stores.Members.Find(group.Id, "u1"));
        Assert.Equal(1, Stores.Library.Count(group.Id));
        Assert.Single(Stores.Library.List(group.Id, 0, 10));

        Stores.Tenants.RemoveWorkspace(group.Platform, group.Workspace);

        Assert.Null(Stores.Members.Find(group.Id, "u1"));
        Assert.Equal(0, Stores.Library.Count(group.Id));
        Assert.Empty(Stores.Library.List(group.Id, 0, 10));
    }
}
