using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Wayr;
using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.LiteDb.Tests;

// The store contract (tests/ReadingBot.Storage.Contract) on LiteDB, plus what only LiteDB has: its group cache and
// its schema migrations.

public sealed class GroupStoreTests() : GroupStoreContract(LiteStoreSet.Open)
{
    [Fact]
    public void A_read_that_raced_with_a_write_does_not_put_its_older_copy_back()
    {
        using var stores = LiteStoreSet.Open();
        var db = stores.Database;
        var group = new GroupId("discord:g1");
        stores.Groups.GetOrAdd(group, () => new Group { Id = group, Platform = Platforms.Discord, Workspace = "g1", CreatedAt = At });
        var readAt = db.Groups.Generation;
        var old = stores.Groups.Find(group)!;
        db.Groups.Forget(group.Value);

        db.Groups.Remember(old, readAt);

        Assert.False(db.Groups.TryGet(group.Value, out _));
    }
}

public sealed class LibraryStoreTests() : LibraryStoreContract(LiteStoreSet.Open);

public sealed class DeliveryLogTests() : DeliveryLogContract(LiteStoreSet.Open);

public sealed class SessionStartLedgerTests() : SessionStartLedgerContract(LiteStoreSet.Open);

public sealed class PaperStoreTests() : PaperStoreContract(LiteStoreSet.Open);

public sealed class ProgressStoreTests() : ProgressStoreContract(LiteStoreSet.Open);

public sealed class ScheduledPostStoreTests() : ScheduledPostStoreContract(LiteStoreSet.Open);

public sealed class TenantDataStoreTests() : TenantDataStoreContract(LiteStoreSet.Open);

public sealed class ThreadLinkStoreTests() : ThreadLinkStoreContract(LiteStoreSet.Open);

public sealed class WayrStoreTests() : WayrStoreContract(LiteStoreSet.Open);

public sealed class PaperMergeTests() : PaperMergeContract(LiteStoreSet.Open)
{
    [Fact]
    public void A_schema_2_database_merges_an_old_style_id_stored_with_and_without_its_subject_class()
    {
        var directory = Path.Combine(Path.GetTempPath(), "readingbot-merge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using (var old = ReadingBotDatabase.OpenFile(directory))
            {
                var group = new GroupAddress(Platforms.Slack, "T1").Id;
                new LiteGroupStore(old).GetOrAdd(group, () => new Group { Id = group, Platform = Platforms.Slack, Workspace = "T1", CreatedAt = At });
                var oldLibrary = new LiteLibraryStore(old);
                // As schema 2 stored them: the subject class was part of the key.
                var withClass = new Paper { Key = "arxiv:math.GT/0309136", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/math.GT/0309136", ArxivId = "math.GT/0309136", Title = "Knots" };
                var plain = new Paper { Key = "arxiv:math/0309136", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/math/0309136", ArxivId = "math/0309136" };
                oldLibrary.Add(group, withClass, "alice", null, null, At);
                oldLibrary.Add(group, plain, "bob", null, null, At.AddMinutes(1));
                new LiteProgressStore(old).Save(new ReadingProgress(group, "alice", withClass.Key, ReadingPass.Done, At));
                old.Database.UserVersion = 2;
            }

            using var db = ReadingBotDatabase.OpenFile(directory);

            var reopened = new LiteLibraryStore(db);
            var groupId = new GroupAddress(Platforms.Slack, "T1").Id;
            Assert.Equal(1, reopened.Count(groupId));
            Assert.Equal(1, reopened.FindByPaper(groupId, "arxiv:math/0309136")!.Number);
            Assert.Null(new LitePaperStore(db).Find("arxiv:math.GT/0309136"));
            Assert.Equal("Knots", new LitePaperStore(db).Find("arxiv:math/0309136")!.Title);
            Assert.Equal("arxiv:math/0309136", Assert.Single(new LiteProgressStore(db).ForGroup(groupId)).PaperKey);
            Assert.Equal("arxiv:math/0309136", new LitePaperIdentityStore(db).Canonical("arxiv:math.GT/0309136"));
            Assert.Equal(ReadingBotDatabase.SchemaVersion, db.Database.UserVersion);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

public sealed class MemberStoreTests() : MemberStoreContract(LiteStoreSet.Open);

public sealed class DeliveryBatchTests() : DeliveryBatchContract(LiteStoreSet.Open);

public sealed class WeeklyStoreTests() : WeeklyStoreContract(LiteStoreSet.Open);

public sealed class WayrAndStreakStoreTests() : WayrAndStreakStoreContract(LiteStoreSet.Open);

public sealed class SignalStoreTests() : SignalStoreContract(LiteStoreSet.Open);

public sealed class FollowStoreTests() : FollowStoreContract(LiteStoreSet.Open);

public sealed class EnrichmentStoreTests() : EnrichmentStoreContract(LiteStoreSet.Open);

public sealed class DislikeStoreTests() : DislikeStoreContract(LiteStoreSet.Open);

public sealed class CrossTenantTests() : CrossTenantContract(LiteStoreSet.Open);
