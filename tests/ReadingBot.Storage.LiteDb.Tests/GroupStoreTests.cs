namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class GroupStoreTests : StoreTestBase
{
    [Fact]
    public void A_group_round_trips_with_its_settings_and_a_utc_instant()
    {
        var group = AddGroup("g1");

        var read = GroupStore.Find(group.Id)!;

        Assert.Equal(At, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal("Europe/Berlin", read.Settings["timezone"]);
        // LiteDB's mapper would turn "" into null by default; the explicit mapping keeps it.
        Assert.Equal("", read.Settings["channel"]);
    }

    [Fact]
    public void A_cached_group_is_forgotten_by_a_save_and_by_a_library_add()
    {
        var group = AddGroup("g1");
        var cached = GroupStore.Find(group.Id)!;

        GroupStore.Save(cached with { Settings = new Dictionary<string, string>(cached.Settings) { ["channel"] = "C1" } });
        var afterSave = GroupStore.Find(group.Id)!;
        LibraryStore.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        var afterAdd = GroupStore.Find(group.Id)!;

        Assert.Equal("C1", afterSave.Settings["channel"]);
        Assert.Equal(2, afterAdd.NextPaperNumber);
    }

    [Fact]
    public void Saving_a_copy_read_before_a_library_add_does_not_wind_the_paper_counter_back()
    {
        var group = AddGroup("g1");
        var stale = GroupStore.Find(group.Id)!;
        LibraryStore.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);

        GroupStore.Save(stale with { Settings = new Dictionary<string, string>(stale.Settings) { ["channel"] = "C1" } });
        var (second, created) = LibraryStore.Add(group.Id, Arxiv("1512.03385"), "alice", null, null, At);

        Assert.True(created);
        Assert.Equal(2, second.Number);
        Assert.Equal("C1", GroupStore.Find(group.Id)!.Settings["channel"]);
    }

    [Fact]
    public void A_read_that_raced_with_a_write_does_not_put_its_older_copy_back()
    {
        var group = AddGroup("g1");
        var readAt = Db.Groups.Generation;
        var old = GroupStore.Find(group.Id)!;
        Db.Groups.Forget(group.Id.Value);

        Db.Groups.Remember(old, readAt);

        Assert.False(Db.Groups.TryGet(group.Id.Value, out _));
    }
}
