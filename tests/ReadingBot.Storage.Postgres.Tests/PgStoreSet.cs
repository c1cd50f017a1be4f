using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.Postgres.Tests;

/// <summary>Every PostgreSQL store over a fresh, migrated schema of the test server.</summary>
public sealed class PgStoreSet : StoreSet
{
    private readonly TestSchema schema;

    private PgStoreSet(TestSchema schema, PostgresDatabase db)
    {
        this.schema = schema;
        Database = db;
    }

    public PostgresDatabase Database { get; }

    public override string AliasCollection => "paper_aliases";

    public static PgStoreSet Open()
    {
        var schema = TestServer.CreateSchema();
        var db = PostgresDatabase.Open(schema.ConnectionString);
        var streaks = new PgStreakStore(db);
        return new PgStoreSet(schema, db)
        {
            Groups = new PgGroupStore(db),
            Members = new PgMemberStore(db),
            Papers = new PgPaperStore(db),
            Identities = new PgPaperIdentityStore(db),
            Library = new PgLibraryStore(db),
            Tenants = new PgTenantDataStore(db),
            Deliveries = new PgDeliveryLog(db),
            AdapterState = new PgAdapterStateStore(db),
            SessionStarts = new PgSessionStartLedger(db),
            Threads = new PgThreadLinkStore(db),
            Archive = new PgGroupDataArchive(db),
            Suggestions = new PgSuggestionStore(db),
            Plans = new PgWeekPlanStore(db),
            Discussion = new PgDiscussionStore(db),
            Presenters = new PgPresenterStore(db),
            ScheduledPosts = new PgScheduledPostStore(db),
            Wayr = new PgWayrStore(db),
            Progress = new PgProgressStore(db),
            Streaks = streaks,
            Digests = streaks,
            Roadmaps = new PgRoadmapStore(db),
            Likes = new PgLikeStore(db),
            Dislikes = new PgDislikeStore(db),
            Rsvps = new PgRsvpStore(db),
            Follows = new PgFollowStore(db),
            Enrichments = new PgEnrichmentStore(db),
        };
    }

    public override IEnumerable<(string Collection, string Json)> AllStoredRecords()
    {
        var tables = Database.Query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", r => r.GetString(0));
        var sql = string.Join("\nUNION ALL\n", tables.Select((t, i) => $"SELECT {i}, to_jsonb(t)::text FROM \"{t}\" t"));
        return Database.Query(sql, r => (tables[r.GetInt32(0)], r.GetString(1)));
    }

    protected override void Dispose(bool disposing)
    {
        Database.Dispose();
        schema.Dispose();
    }
}
