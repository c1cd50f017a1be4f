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
}
