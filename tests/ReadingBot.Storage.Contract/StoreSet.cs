using ReadingBot.Core.Exports;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Contract;

/// <summary>Every store port over one fresh, empty database of one store; disposing it drops the database.</summary>
public abstract class StoreSet : IDisposable
{
    public required IGroupStore Groups { get; init; }
    public required IMemberStore Members { get; init; }
    public required IPaperStore Papers { get; init; }
    public required IPaperIdentityStore Identities { get; init; }
    public required ILibraryStore Library { get; init; }
    public required ITenantDataStore Tenants { get; init; }
    public required IDeliveryLog Deliveries { get; init; }
    public required IAdapterStateStore AdapterState { get; init; }
    public required ISessionStartLedger SessionStarts { get; init; }
    public required IThreadLinkStore Threads { get; init; }
    public required IGroupDataArchive Archive { get; init; }
    public required ISuggestionStore Suggestions { get; init; }
    public required IWeekPlanStore Plans { get; init; }
    public required IDiscussionStore Discussion { get; init; }
    public required IPresenterStore Presenters { get; init; }
    public required IScheduledPostStore ScheduledPosts { get; init; }
    public required IWayrStore Wayr { get; init; }
    public required IProgressStore Progress { get; init; }
    public required IStreakStore Streaks { get; init; }
    public required IDigestStore Digests { get; init; }
    public required IRoadmapStore Roadmaps { get; init; }
    public required ILikeStore Likes { get; init; }
    public required IDislikeStore Dislikes { get; init; }
    public required IRsvpStore Rsvps { get; init; }
    public required IFollowStore Follows { get; init; }
    public required IEnrichmentStore Enrichments { get; init; }

    /// <summary>Every stored record of every collection or table, as JSON text, with the collection's name.</summary>
    public abstract IEnumerable<(string Collection, string Json)> AllStoredRecords();

    /// <summary>The name under which the store keeps merged-away paper keys (its records name the removed key by design).</summary>
    public abstract string AliasCollection { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}

/// <summary>A fresh <see cref="StoreSet"/> per test, a fixed UTC instant and builders for groups and papers.</summary>
public abstract class StoreContract(Func<StoreSet> open) : IDisposable
{
    protected static readonly DateTimeOffset At = new(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero);

    /// <summary>The week most tests file their records under.</summary>
    protected static readonly WeekKey Week = new(2026, 49);

    protected StoreSet Stores { get; } = open();

    public void Dispose()
    {
        Stores.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Group AddGroup(string workspace, string platform = Platforms.Discord) =>
        Stores.Groups.GetOrAdd(new GroupAddress(platform, workspace).Id, () => new Group
        {
            Id = new GroupAddress(platform, workspace).Id,
            Platform = platform,
            Workspace = workspace,
            CreatedAt = At,
            Settings = new Dictionary<string, string> { ["timezone"] = "Europe/Berlin", ["channel"] = "" },
        });

    protected static Paper Arxiv(string id) => Paper.Pending(PaperRefParser.Parse(id).Reference!);
}
