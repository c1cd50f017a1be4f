namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class DeliveryLogTests : StoreTestBase
{
    [Fact]
    public void A_delivery_is_recorded_once_until_it_expires()
    {
        var log = new LiteDeliveryLog(Db);

        Assert.True(log.TryRecord("slack:Ev1", At, At.AddMinutes(30)));
        Assert.False(log.TryRecord("slack:Ev1", At.AddMinutes(29), At.AddMinutes(59)));
        Assert.True(log.TryRecord("slack:Ev1", At.AddMinutes(31), At.AddMinutes(61)));
        Assert.Equal(0, log.Purge(At.AddMinutes(60)));
        Assert.Equal(1, log.Purge(At.AddMinutes(62)));
    }
}
