using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>Members and library pages read on the command path are kept in memory, and never outlive a write.</summary>
public sealed class ReadCacheTests : StoreTestBase
{
    [Fact]
    public void A_cached_member_is_forgotten_when_the_member_is_saved()
    {
        var group = AddGroup("g1");
        var members = new LiteMemberStore(Db);
        members.Save(new Member { Group = group.Id, UserId = "u1", DisplayName = "Ada", JoinedAt = At, LastSeenAt = At });
        Assert.Equal("Ada", members.Find(group.Id, "u1")!.DisplayName);

        members.Save(members.Find(group.Id, "u1")! with { DisplayName = "Ada L." });

        Assert.Equal("Ada L.", members.Find(group.Id, "u1")!.DisplayName);
        Assert.Null(members.Find(group.Id, "u2"));
    }

    [Fact]
    public void A_cached_library_page_and_count_change_with_an_add_and_pages_stay_apart()
    {
        var group = AddGroup("g1");
        var other = AddGroup("g2");
        LibraryStore.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        Assert.Single(LibraryStore.List(group.Id, 0, 10));
        Assert.Equal(1, LibraryStore.Count(group.Id));
        Assert.Empty(LibraryStore.List(group.Id, 10, 10));

        LibraryStore.Add(group.Id, Arxiv("1512.03385"), "alice", null, null, At);

        Assert.Equal([1, 2], LibraryStore.List(group.Id, 0, 10).Select(e => e.Number));
        Assert.Equal([2], LibraryStore.List(group.Id, 1, 1).Select(e => e.Number));
        Assert.Equal(2, LibraryStore.Count(group.Id));
        Assert.Equal(0, LibraryStore.Count(other.Id));
    }

    [Fact]
    public void Removing_a_workspace_forgets_its_cached_members_and_library()
    {
        var group = AddGroup("g1");
        var members = new LiteMemberStore(Db);
        members.Save(new Member { Group = group.Id, UserId = "u1", DisplayName = "Ada", JoinedAt = At, LastSeenAt = At });
        LibraryStore.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        Assert.NotNull(members.Find(group.Id, "u1"));
        Assert.Equal(1, LibraryStore.Count(group.Id));

        new LiteTenantDataStore(Db).RemoveWorkspace(group.Platform, group.Workspace);

        Assert.Null(members.Find(group.Id, "u1"));
        Assert.Equal(0, LibraryStore.Count(group.Id));
        Assert.Empty(LibraryStore.List(group.Id, 0, 10));
    }

    [Fact]
    public void A_page_read_before_a_write_is_not_kept_after_it()
    {
        var group = AddGroup("g1");
        var readAt = Db.Libraries.Generation;
        Db.Libraries.Forget(group.Id.Value);

        Db.Libraries.Update(group.Id.Value, v => (v ?? LibraryView.Empty) with { Count = 41 }, readAt);

        Assert.False(Db.Libraries.TryGet(group.Id.Value, out _));
        Assert.Equal(0, LibraryStore.Count(group.Id));
    }
}
