using LiteDB;
using ReadingBot.Core.Ports;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>The delivery ids of a data directory live in deliveries.log beside the data file, across restarts.</summary>
public sealed class DeliveryJournalTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "readingbot-tests-" + Guid.NewGuid().ToString("N"));

    private string JournalPath => Path.Combine(directory, DeliveryJournal.FileName);

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_claim_is_remembered_after_the_process_is_gone()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            Assert.Equal([true, true], new LiteDeliveryLog(db).TryRecordAll([Key("slack:envelope:1"), Key("slack:event:Ev1")], At));
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        var log = new LiteDeliveryLog(reopened);
        Assert.Equal([false, false, true], log.TryRecordAll([Key("slack:envelope:1"), Key("slack:event:Ev1"), Key("slack:envelope:2")], At.AddMinutes(1)));
    }

    [Fact]
    public void Ids_with_line_breaks_or_percent_signs_come_back_as_they_were()
    {
        const string odd = "discord:interaction:a%0Ab\nc\r%";
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            Assert.True(new LiteDeliveryLog(db).TryRecord(odd, At, At.AddMinutes(10)));
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        var log = new LiteDeliveryLog(reopened);
        Assert.False(log.TryRecord(odd, At, At.AddMinutes(10)));
        Assert.True(log.TryRecord("discord:interaction:a\nb\nc\r%", At, At.AddMinutes(10)));
        Assert.Equal(2, File.ReadAllLines(JournalPath).Length);
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_skipped_and_the_next_claims_start_on_a_line_of_their_own()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            new LiteDeliveryLog(db).TryRecord("slack:envelope:kept", At, At.AddMinutes(10));
        }

        File.AppendAllText(JournalPath, "17649");
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            var log = new LiteDeliveryLog(db);
            Assert.False(log.TryRecord("slack:envelope:kept", At, At.AddMinutes(10)));
            Assert.True(log.TryRecord("slack:envelope:after", At, At.AddMinutes(10)));
        }

        using var third = ReadingBotDatabase.OpenFile(directory);
        Assert.False(new LiteDeliveryLog(third).TryRecord("slack:envelope:after", At, At.AddMinutes(10)));
    }

    [Fact]
    public void Purging_drops_expired_ids_and_rewrites_a_file_that_is_mostly_dead()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            var log = new LiteDeliveryLog(db);
            log.TryRecordAll([.. Enumerable.Range(0, 2000).Select(i => new DeliveryKey($"old:{i}", At.AddMinutes(5)))], At);
            log.TryRecord("young", At, At.AddMinutes(30));
            var before = new FileInfo(JournalPath).Length;

            Assert.Equal(2000, log.Purge(At.AddMinutes(10)));

            Assert.True(new FileInfo(JournalPath).Length < before / 100);
            Assert.True(log.TryRecord("old:7", At.AddMinutes(10), At.AddMinutes(20)));
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        Assert.Equal(2, reopened.Deliveries.Count);
        Assert.False(new LiteDeliveryLog(reopened).TryRecord("young", At.AddMinutes(11), At.AddMinutes(40)));
    }

    [Fact]
    public void Ids_kept_in_the_database_by_an_older_version_move_to_the_journal()
    {
        using (var db = ReadingBotDatabase.OpenFile(directory))
        {
            db.Database.GetCollection(Collections.Deliveries).Insert(new BsonDocument { ["_id"] = "slack:event:Old", ["expiresAt"] = Documents.Instant(At.AddMinutes(30)) });
        }

        using var reopened = ReadingBotDatabase.OpenFile(directory);
        Assert.Equal(0, reopened.Database.GetCollection(Collections.Deliveries).Count());
        Assert.False(new LiteDeliveryLog(reopened).TryRecord("slack:event:Old", At, At.AddMinutes(30)));
    }

    [Fact]
    public void A_snapshot_reads_each_held_id_back_once_with_its_latest_expiry()
    {
        using var db = ReadingBotDatabase.OpenFile(directory);
        var log = new LiteDeliveryLog(db);
        log.TryRecord("slack:envelope:again", At, At.AddMinutes(5));
        log.TryRecord("slack:envelope:gone", At, At.AddMinutes(5));
        log.TryRecord("discord:interaction:a\nb%", At, At.AddMinutes(30));
        Assert.Equal(2, log.Purge(At.AddMinutes(6)));
        Assert.True(log.TryRecord("slack:envelope:again", At.AddMinutes(6), At.AddMinutes(60)));

        var held = db.Deliveries.Snapshot().OrderBy(k => k.Key, StringComparer.Ordinal).ToList();

        Assert.Equal([new DeliveryKey("discord:interaction:a\nb%", At.AddMinutes(30)), new DeliveryKey("slack:envelope:again", At.AddMinutes(60))], held);
    }

    [Fact]
    public void An_in_memory_journal_keeps_its_claims_through_a_rewrite()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var log = new LiteDeliveryLog(db);
        log.TryRecordAll([.. Enumerable.Range(0, 2000).Select(i => new DeliveryKey($"old:{i}", At.AddMinutes(5)))], At);
        log.TryRecord("young", At, At.AddMinutes(30));

        Assert.Equal(2000, log.Purge(At.AddMinutes(10)));

        Assert.False(log.TryRecord("young", At.AddMinutes(11), At.AddMinutes(40)));
        Assert.True(log.TryRecord("old:7", At.AddMinutes(11), At.AddMinutes(40)));
        Assert.Equal(["old:7", "young"], db.Deliveries.Snapshot().Select(k => k.Key).Order(StringComparer.Ordinal));
    }

    private static DeliveryKey Key(string key) => new(key, At.AddMinutes(10));
}
