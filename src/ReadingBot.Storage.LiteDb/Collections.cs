using LiteDB;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Collection names and their indexes, in one place. Every group-owned collection has a <c>group</c> field.</summary>
public static class Collections
{
    public const string Groups = "groups";
    public const string Members = "members";
    public const string Papers = "papers";
    public const string Library = "library";
    public const string Deliveries = "deliveries";
    public const string AdapterState = "adapterState";
    public const string SessionStarts = "sessionStarts";
    public const string Threads = "threads";
    public const string Suggestions = "suggestions";
    public const string WeekPlans = "weekPlans";
    public const string Discussion = "discussion";
    public const string Presenters = "presenters";
    public const string ScheduledPosts = "scheduledPosts";
    public const string WayrWeeks = "wayrWeeks";
    public const string WayrPosts = "wayrPosts";
    public const string Progress = "progress";
    public const string Digests = "digests";
    public const string Ledger = "ledger";
    public const string Streaks = "streaks";
    public const string Standings = "standings";
    public const string StreakAudit = "streakAudit";

    /// <summary>Paper keys merged into another record (<c>_id</c> = the removed key, <c>target</c> = the surviving one); shared, not group-owned.</summary>
    public const string PaperAliases = "paperAliases";

    /// <summary>
    /// Every collection, once: whether its documents belong to a group (a <c>group</c> field; tenant removal and the
    /// group archive clear and read these) and its indexes. The database builds its <see cref="CollectionRegistry"/>
    /// from this list when it opens; a new store adds its collection here and nowhere else.
    /// </summary>
    public static IReadOnlyList<CollectionDeclaration> Declarations { get; } =
    [
        new(Groups, GroupOwned: false),
        new(Papers, GroupOwned: false, Index("state"), Index("doi")),
        new(PaperAliases, GroupOwned: false, Index("target")),
        new(Deliveries, GroupOwned: false, Index("expiresAt")),
        new(AdapterState, GroupOwned: false),
        new(LiteEnrichmentStore.Enrichments, GroupOwned: false),
        new(SessionStarts, GroupOwned: false, Index("ledger")),
        new(Members, GroupOwned: true, Index("group")),
        new(Library, GroupOwned: true, Index("group"), Index("groupPaper", unique: true), Index(Documents.GroupNumberKey)),
        new(Threads, GroupOwned: true, Index("group")),
        new(Suggestions, GroupOwned: true, Index("group")),
        new(WeekPlans, GroupOwned: true, Index("group")),
        new(Discussion, GroupOwned: true, Index("group"), Index("groupPaper"), Index("groupWeek")),
        new(Presenters, GroupOwned: true, Index("group")),
        new(ScheduledPosts, GroupOwned: true, Index("group")),
        new(WayrWeeks, GroupOwned: true, Index("group")),
        new(WayrPosts, GroupOwned: true, Index("groupWeek"), Index("group"), Index("groupPaper")),
        new(Progress, GroupOwned: true, Index("group"), Index("groupMember"), Index("groupPaper"), Index(LiteProgressStore.FinishedIndex)),
        new(Digests, GroupOwned: true, Index("group")),
        new(Ledger, GroupOwned: true, Index("groupMember"), Index("groupWeek")),
        new(Streaks, GroupOwned: true, Index("group")),
        new(Standings, GroupOwned: true),
        new(StreakAudit, GroupOwned: true, Index("group")),
        new(LiteLikeStore.Likes, GroupOwned: true, Index("group"), Index("groupMember")),
        new(LiteDislikeStore.Dislikes, GroupOwned: true, Index("group"), Index("groupMember")),
        new(LiteRsvpStore.Rsvps, GroupOwned: true, Index("group"), Index("groupWeek")),
        new(LiteRoadmapStore.Roadmaps, GroupOwned: true),
        new(LiteRoadmapStore.Progress, GroupOwned: true, Index("group")),
        new(LiteFollowStore.FollowsCollection, GroupOwned: true, Index("group"), Index("groupOwner")),
        new(LiteFollowStore.MatchesCollection, GroupOwned: true, Index("group"), Index("groupOwner")),
    ];

    private static IndexDeclaration Index(string field, bool unique = false) => new(field, unique);
}

/// <summary>One index of a collection, on a field (or a stored key such as <c>groupDone</c>).</summary>
public sealed record IndexDeclaration(string Field, bool Unique = false);

/// <summary>A collection, whether a group owns its documents, and its indexes.</summary>
public sealed record CollectionDeclaration(string Name, bool GroupOwned, params IndexDeclaration[] Indexes);

/// <summary>The collections of an open database, built from <see cref="Collections.Declarations"/> when it opens.</summary>
public sealed class CollectionRegistry
{
    public CollectionRegistry(IEnumerable<CollectionDeclaration> declarations)
    {
        All = declarations.ToList();
        var twice = All.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException($"the collection '{twice.Key}' is declared twice");
        }

        GroupOwned = All.Where(d => d.GroupOwned).Select(d => d.Name).ToList();
    }

    public IReadOnlyList<CollectionDeclaration> All { get; }

    /// <summary>Collections whose documents belong to a group (field <c>group</c>), in declaration order.</summary>
    public IReadOnlyList<string> GroupOwned { get; }

    /// <summary>
    /// Creates every declared collection that does not exist yet, then ensures every declared index (both cheap when
    /// done, so this runs on every start). A collection must exist before commands run: LiteDB 5 fails a read of a
    /// collection that another transaction is creating at that moment ("page type must be collection page",
    /// litedb-org/LiteDB#2792) and then refuses every later call, so two first commands of a fresh database could
    /// take the whole bot down.
    /// </summary>
    public void EnsureCollectionsAndIndexes(LiteDatabase db)
    {
        var existing = db.GetCollectionNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var collection in All)
        {
            if (!existing.Contains(collection.Name))
            {
                // Inserting no documents still creates the collection (its page and its _id index) and commits it.
                db.GetCollection(collection.Name).Insert(Array.Empty<BsonDocument>());
            }

            foreach (var index in collection.Indexes)
            {
                db.GetCollection(collection.Name).EnsureIndex(index.Field, index.Unique);
            }
        }
    }
}
