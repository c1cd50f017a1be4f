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
