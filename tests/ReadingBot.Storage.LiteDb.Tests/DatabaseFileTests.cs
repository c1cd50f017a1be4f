using LiteDB;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class DatabaseFileTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "readingbot-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Data_survives_reopening_the_file()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            new LiteAdapterStateStore(db).Set("discord:identifies", "3");
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        Assert.Equal("3", new LiteAdapterStateStore(reopened).Get("discord:identifies"));
        Assert.Equal(ReadingBotDatabase.SchemaVersion, reopened.Database.UserVersion);
    }

    [Fact]
    public void The_log_is_copied_into_the_data_file_every_hundred_pages_not_every_thousand()
    {
        using var db = ReadingBotDatabase.OpenFile(directory);
        var log = Path.Combine(directory, "readingbot-log.db");
        var store = new LiteAdapterStateStore(db);
        var largest = 0L;
        // 600 commits of a 4 KB value each leave about 1,000 log pages: with LiteDB's default mark the log reaches 8 MB.
        for (var i = 0; i < 600; i++)
        {
            store.Set("test:" + i, new string('x', 4000));
            largest = Math.Max(largest, File.Exists(log) ? new FileInfo(log).Length : 0);
        }

        Assert.Equal(ReadingBotDatabase.LogPagesPerCheckpoint, db.Database.CheckpointSize);
        Assert.InRange(largest, 1, (ReadingBotDatabase.LogPagesPerCheckpoint + 10) * 8192L);
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused_while_the_first_holds_it()
    {
        using var first = ReadingBotDatabase.OpenFile(directory);

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("in use by another ReadingBot process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_file_is_refused_with_advice()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "readingbot.db"), Enumerable.Range(0, 16384).Select(i => (byte)(i * 7)).ToArray());

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
        // The lock is released, so a corrected start is possible at once.
        File.Delete(Path.Combine(directory, "readingbot.db"));
        using var ok = ReadingBotDatabase.OpenFile(directory);
    }

    [Fact]
    public void A_database_from_a_newer_schema_is_refused()
    {
        Directory.CreateDirectory(directory);
        using (var raw = new LiteDatabase(Path.Combine(directory, "readingbot.db")))
        {
            raw.UserVersion = ReadingBotDatabase.SchemaVersion + 1;
        }

        var ex = Assert.Throws<DatabaseUnavailableException>(() => ReadingBotDatabase.OpenFile(directory));

        Assert.Contains("newer ReadingBot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_1_database_gets_its_finished_readings_indexed_on_opening()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        Directory.CreateDirectory(directory);
        using (var raw = new LiteDatabase(Path.Combine(directory, "readingbot.db")))
        {
            // A reading as schema 1 stored it: no key in the index of finished readings.
            raw.GetCollection(Collections.Progress).Insert(new BsonDocument
            {
                ["_id"] = "slack:T1|alice|p1", ["group"] = "slack:T1", ["groupMember"] = "slack:T1|alice", ["groupPaper"] = "slack:T1|p1",
                ["member"] = "alice", ["paper"] = "p1", ["pass"] = "Done", ["at"] = at.UtcDateTime,
            });
            raw.UserVersion = 1;
        }

        using var db = ReadingBotDatabase.OpenFile(directory);

        var finished = new LiteProgressStore(db).FinishedBetween(new GroupId("slack:T1"), at.AddDays(-1), at.AddDays(1));
        Assert.Equal("alice", Assert.Single(finished).Member);
        Assert.Equal(ReadingBotDatabase.SchemaVersion, db.Database.UserVersion);
    }

    [Fact]
    public void A_schema_3_library_gets_its_number_order_keys_on_opening()
    {
        Directory.CreateDirectory(directory);
        using (var raw = new LiteDatabase(Path.Combine(directory, "readingbot.db")))
        {
            // Entries as schema 3 stored them (no groupNumber key), in an order that is not their number order.
            foreach (var number in new[] { 10, 2, 1 })
            {
                raw.GetCollection(Collections.Library).Insert(new BsonDocument
                {
                    ["_id"] = $"slack:T1#{number}", ["group"] = "slack:T1", ["groupPaper"] = $"slack:T1|p{number}", ["number"] = number,
                    ["paper"] = $"p{number}", ["addedBy"] = "alice", ["addedAt"] = new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc),
                    ["givenTitle"] = BsonValue.Null, ["versionRead"] = BsonValue.Null,
                });
            }

            raw.UserVersion = 3;
        }

        using var db = ReadingBotDatabase.OpenFile(directory);

        Assert.Equal([1, 2, 10], new LiteLibraryStore(db).List(new GroupId("slack:T1"), 0, 10).Select(e => e.Number));
        Assert.Equal([10], new LiteLibraryStore(db).List(new GroupId("slack:T1"), 2, 10).Select(e => e.Number));
        Assert.Equal(ReadingBotDatabase.SchemaVersion, db.Database.UserVersion);
    }
}
