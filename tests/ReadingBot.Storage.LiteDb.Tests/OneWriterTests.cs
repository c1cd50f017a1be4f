using LiteDB;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class OneWriterTests
{
    [Fact]
    public async Task A_write_to_another_collection_waits_until_an_open_transaction_commits()
    {
        // LiteDB 5 corrupts its free-page list when writes to different collections overlap (litedb-org/LiteDB#2825).
        using var database = ReadingBotDatabase.OpenMemory();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var transaction = Task.Factory.StartNew(
            () => database.InTransaction(() =>
            {
                database.Database.GetCollection(Collections.Groups).Insert(new BsonDocument { ["_id"] = "g1" });
                inside.Set();
                release.Wait();
                return true;
            }),
            TaskCreationOptions.LongRunning);
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "the transaction started");

        var other = Task.Factory.StartNew(() => database.Database.GetCollection(Collections.Members).Insert(new BsonDocument { ["_id"] = "m1", ["group"] = "g1" }), TaskCreationOptions.LongRunning);
        var read = Task.Factory.StartNew(() => database.Database.GetCollection(Collections.Members).Count(), TaskCreationOptions.LongRunning);

        // A read does not wait for the writer; the other write does, for as long as the transaction is open.
        Assert.Equal(0, await read.WaitAsync(TimeSpan.FromSeconds(30)));
        await Task.Delay(200);
        Assert.False(other.IsCompleted, "a write to another collection ran inside someone else's transaction");

        release.Set();
        Assert.True(await transaction.WaitAsync(TimeSpan.FromSeconds(30)));
        await other.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, database.Database.GetCollection(Collections.Members).Count());
        Assert.Equal(1, database.Database.GetCollection(Collections.Groups).Count());
    }

    [Fact]
    public void A_file_LiteDB_marked_damaged_is_rebuilt_as_it_opens_and_keeps_its_data()
    {
        var directory = Directory.CreateTempSubdirectory("readingbot-rebuild-");
        try
        {
            using (var first = ReadingBotDatabase.OpenFile(directory.FullName))
            {
                first.Database.GetCollection(Collections.Groups).Insert(new BsonDocument { ["_id"] = "g1", ["name"] = "kept" });
                first.Checkpoint();
            }

            // What LiteDB writes when it closes its engine after an error: byte 191 of the header page set to 1.
            var path = Path.Combine(directory.FullName, "readingbot.db");
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = 191;
                file.WriteByte(1);
            }

            using (var again = ReadingBotDatabase.OpenFile(directory.FullName))
            {
                Assert.Equal("kept", again.Database.GetCollection(Collections.Groups).FindById("g1")["name"].AsString);
                Assert.Null(again.ClosedBy());
            }

            // The rebuild kept the old file beside the new one, and the flag is gone.
            Assert.Contains(Directory.GetFiles(directory.FullName), f => Path.GetFileName(f).StartsWith("readingbot-backup", StringComparison.Ordinal));
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                file.Position = 191;
                Assert.Equal(0, file.ReadByte());
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
