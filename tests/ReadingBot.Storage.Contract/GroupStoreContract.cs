using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.Contract;

public abstract class GroupStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_group_round_trips_with_its_settings_and_a_utc_instant()
    {
        var group = AddGroup("g1");

        var read = Stores.Groups.Find(group.Id)!;

        Assert.Equal(At, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal("Europe/Berlin", read.Settings["timezone"]);
        // LiteDB's mapper would turn "" into null by default; the explicit mapping keeps it.
        Assert.Equal("", read.Settings["channel"]);
    }

    [Fact]
    public void Learning_the_platforms_name_changes_nothing_else_of_the_group()
    {
        var group = AddGroup("g1");
        var readBefore = Stores.Groups.Find(group.Id)!;
        Stores.Groups.Save(readBefore with { Settings = new Dictionary<string, string>(readBefore.Settings) { ["timezone"] = "Asia/Tokyo" } });

        Stores.Groups.SetPlatformName(group.Id, "Alpha readers");
        Stores.Groups.SetPlatformName(new GroupId("discord:missing"), "Nobody");

        var stored = Stores.Groups.Find(group.Id)!;
        Assert.Equal("Alpha readers", stored.PlatformName);
        Assert.Equal("Asia/Tokyo", stored.Settings["timezone"]);
        Assert.Null(Stores.Groups.Find(new GroupId("discord:missing")));
    }

    [Fact]
    public void A_group_read_after_a_save_and_after_a_library_add_shows_both()
    {
        var group = AddGroup("g1");
        var read = Stores.Groups.Find(group.Id)!;

        Stores.Groups.Save(read with { Settings = new Dictionary<string, string>(read.Settings) { ["channel"] = "C1" } });
        var afterSave = Stores.Groups.Find(group.Id)!;
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);
        var afterAdd = Stores.Groups.Find(group.Id)!;

        Assert.Equal("C1", afterSave.Settings["channel"]);
        Assert.Equal(2, afterAdd.NextPaperNumber);
    }

    [Fact]
    public void Saving_a_copy_read_before_a_library_add_does_not_wind_the_paper_counter_back()
    {
        var group = AddGroup("g1");
        var stale = Stores.Groups.Find(group.Id)!;
        Stores.Library.Add(group.Id, Arxiv("1706.03762"), "alice", null, null, At);

        Stores.Groups.Save(stale with { Settings = new Dictionary<string, string>(stale.Settings) { ["channel"] = "C1" } });
        var (second, created) = Stores.Library.Add(group.Id, Arxiv("1512.03385"), "alice", null, null, At);

        Assert.True(created);
        Assert.Equal(2, second.Number);
        Assert.Equal("C1", Stores.Groups.Find(group.Id)!.Settings["channel"]);
    }

    [Fact]
    public void The_platforms_name_for_the_workspace_is_kept_and_a_new_group_starts_without_one()
    {
        var group = AddGroup("g1");
        Assert.Equal("", Stores.Groups.Find(group.Id)!.PlatformName);

        Stores.Groups.Save(Stores.Groups.Find(group.Id)! with { PlatformName = "Café Transformers 🤖" });

        Assert.Equal("Café Transformers 🤖", Stores.Groups.Find(group.Id)!.PlatformName);
        Assert.Equal("Café Transformers 🤖", Assert.Single(Stores.Groups.All(), g => g.Id == group.Id).PlatformName);
    }
}
