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

    /// <summary>Collections whose documents belong to a group (field <c>group</c>); tenant removal clears them.</summary>
    public static readonly List<string> GroupOwned = [Members, Library, Threads, Suggestions, WeekPlans, Discussion, Presenters, ScheduledPosts, WayrWeeks, WayrPosts, Progress, Digests, Ledger, Streaks, Standings, StreakAudit];

    private static readonly List<Action<LiteDatabase>> ExtraIndexes = [];

    /// <summary>Lets a feature store declare its collection as group-owned and its indexes, before the database opens.</summary>
    public static void Register(string collection, Action<LiteDatabase> ensureIndexes, bool groupOwned = true)
    {
        lock (ExtraIndexes)
        {
            if (groupOwned && !GroupOwned.Contains(collection))
            {
                GroupOwned.Add(collection);
            }

            ExtraIndexes.Add(ensureIndexes);
        }
    }

    public static void EnsureIndexes(LiteDatabase db)
    {
        db.GetCollection(Members).EnsureIndex("group");
        db.GetCollection(Library).EnsureIndex("group");
        db.GetCollection(Library).EnsureIndex("groupPaper", unique: true);
        db.GetCollection(Papers).EnsureIndex("state");
        db.GetCollection(Papers).EnsureIndex("doi");
        db.GetCollection(PaperAliases).EnsureIndex("target");
        db.GetCollection(Deliveries).EnsureIndex("expiresAt");
        db.GetCollection(Threads).EnsureIndex("group");
        db.GetCollection(Suggestions).EnsureIndex("group");
        db.GetCollection(WeekPlans).EnsureIndex("group");
        db.GetCollection(Discussion).EnsureIndex("groupPaper");
        db.GetCollection(Discussion).EnsureIndex("groupWeek");
        db.GetCollection(Presenters).EnsureIndex("group");
        db.GetCollection(ScheduledPosts).EnsureIndex("group");
        db.GetCollection(WayrWeeks).EnsureIndex("group");
        db.GetCollection(WayrPosts).EnsureIndex("groupWeek");
        db.GetCollection(WayrPosts).EnsureIndex("group");
        db.GetCollection(Progress).EnsureIndex("group");
        db.GetCollection(WayrPosts).EnsureIndex("groupPaper");
        db.GetCollection(Progress).EnsureIndex("groupMember");
        db.GetCollection(Progress).EnsureIndex("groupPaper");
        db.GetCollection(Progress).EnsureIndex(LiteProgressStore.FinishedIndex);
        db.GetCollection(Digests).EnsureIndex("group");
        db.GetCollection(Ledger).EnsureIndex("groupMember");
        db.GetCollection(Ledger).EnsureIndex("groupWeek");
        db.GetCollection(Streaks).EnsureIndex("group");
        db.GetCollection(StreakAudit).EnsureIndex("group");
        lock (ExtraIndexes)
        {
            foreach (var ensure in ExtraIndexes)
            {
                ensure(db);
            }
        }
    }
}
