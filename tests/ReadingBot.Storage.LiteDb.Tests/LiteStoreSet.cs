using LiteDB;
using ReadingBot.Storage.Contract;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>Every LiteDB store over a fresh in-memory database (the real engine on a <see cref="MemoryStream"/>).</summary>
public sealed class LiteStoreSet : StoreSet
{
    private LiteStoreSet(ReadingBotDatabase db) => Database = db;

    public ReadingBotDatabase Database { get; }

    public override string AliasCollection => Collections.PaperAliases;

    public static LiteStoreSet Open() => Open(ReadingBotDatabase.OpenMemory());

    public static LiteStoreSet Open(ReadingBotDatabase db)
    {
        var streaks = new LiteStreakStore(db);
        return new LiteStoreSet(db)
        {
            Groups = new LiteGroupStore(db),
            Members = new LiteMemberStore(db),
            Papers = new LitePaperStore(db),
            Identities = new LitePaperIdentityStore(db),
            Library = new LiteLibraryStore(db),
            Tenants = new LiteTenantDataStore(db),
            Deliveries = new LiteDeliveryLog(db),
            AdapterState = new LiteAdapterStateStore(db),
            SessionStarts = new LiteSessionStartLedger(db),
            Threads = new LiteThreadLinkStore(db),
            Archive = new LiteGroupDataArchive(db),
            Suggestions = new LiteSuggestionStore(db),
            Plans = new LiteWeekPlanStore(db),
            Discussion = new LiteDiscussionStore(db),
            Presenters = new LitePresenterStore(db),
            ScheduledPosts = new LiteScheduledPostStore(db),
            Wayr = new LiteWayrStore(db),
            Progress = new LiteProgressStore(db),
            Streaks = streaks,
            Digests = streaks,
            Roadmaps = new LiteRoadmapStore(db),
            Likes = new LiteLikeStore(db),
            Dislikes = new LiteDislikeStore(db),
            Rsvps = new LiteRsvpStore(db),
            Follows = new LiteFollowStore(db),
            Enrichments = new LiteEnrichmentStore(db),
        };
    }

    public override IEnumerable<(string Collection, string Json)> AllStoredRecords() =>
        Database.Database.GetCollectionNames().SelectMany(name =>
            Database.Database.GetCollection(name).FindAll().Select(d => (name, JsonSerializer.Serialize(d)))).ToList();

    protected override void Dispose(bool disposing) => Database.Dispose();
}
