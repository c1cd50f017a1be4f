using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class TenantDataStoreTests : StoreTestBase
{
    [Fact]
    public void Removing_a_workspace_removes_only_its_groups()
    {
        var gone = AddGroup("123");
        var kept = AddGroup("1234");
        var members = new LiteMemberStore(Db);
        members.Save(new Member { Group = gone.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        members.Save(new Member { Group = kept.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        LibraryStore.Add(gone.Id, Arxiv("1706.03762"), "u1", null, null, At);
        LibraryStore.Add(kept.Id, Arxiv("1706.03762"), "u1", null, null, At);

        var removed = new LiteTenantDataStore(Db).RemoveWorkspace(Platforms.Discord, "123");

        Assert.Equal(3, removed);
        Assert.Null(GroupStore.Find(gone.Id));
        Assert.NotNull(GroupStore.Find(kept.Id));
        Assert.Single(members.List(kept.Id));
        Assert.Equal(1, LibraryStore.Count(kept.Id));
        Assert.NotNull(PaperStore.Find("arxiv:1706.03762"));
    }
}
