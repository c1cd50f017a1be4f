using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.Postgres.Tests;

// The store contract (tests/ReadingBot.Storage.Contract) on a real PostgreSQL server, a fresh schema per test.

public sealed class GroupStoreTests() : GroupStoreContract(PgStoreSet.Open);

public sealed class LibraryStoreTests() : LibraryStoreContract(PgStoreSet.Open);

public sealed class ReadAfterWriteTests() : ReadAfterWriteContract(PgStoreSet.Open);

public sealed class DeliveryLogTests() : DeliveryLogContract(PgStoreSet.Open);

public sealed class SessionStartLedgerTests() : SessionStartLedgerContract(PgStoreSet.Open);

public sealed class PaperStoreTests() : PaperStoreContract(PgStoreSet.Open);

public sealed class ProgressStoreTests() : ProgressStoreContract(PgStoreSet.Open);

public sealed class ScheduledPostStoreTests() : ScheduledPostStoreContract(PgStoreSet.Open);

public sealed class TenantDataStoreTests() : TenantDataStoreContract(PgStoreSet.Open);

public sealed class ThreadLinkStoreTests() : ThreadLinkStoreContract(PgStoreSet.Open);

public sealed class WayrStoreTests() : WayrStoreContract(PgStoreSet.Open);

public sealed class PaperMergeTests() : PaperMergeContract(PgStoreSet.Open);

public sealed class MemberStoreTests() : MemberStoreContract(PgStoreSet.Open);

public sealed class DeliveryBatchTests() : DeliveryBatchContract(PgStoreSet.Open);

public sealed class WeeklyStoreTests() : WeeklyStoreContract(PgStoreSet.Open);

public sealed class WayrAndStreakStoreTests() : WayrAndStreakStoreContract(PgStoreSet.Open);

public sealed class SignalStoreTests() : SignalStoreContract(PgStoreSet.Open);

public sealed class FollowStoreTests() : FollowStoreContract(PgStoreSet.Open);

public sealed class EnrichmentStoreTests() : EnrichmentStoreContract(PgStoreSet.Open);

public sealed class DislikeStoreTests() : DislikeStoreContract(PgStoreSet.Open);

public sealed class CrossTenantTests() : CrossTenantContract(PgStoreSet.Open);
