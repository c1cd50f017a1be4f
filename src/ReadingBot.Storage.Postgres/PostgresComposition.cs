using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Postgres;

/// <summary>The PostgreSQL project's registrations: every store port over one opened, migrated database.</summary>
public static class PostgresComposition
{
    /// <summary>
    /// The PostgreSQL store over an opened database (the host opens it first with <see cref="PostgresDatabase.Open"/>,
    /// so a bad connection string fails before anything starts). No checkpoint timer: the server makes commits durable.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton<IGroupStore, PgGroupStore>();
        services.AddSingleton<IMemberStore, PgMemberStore>();
        services.AddSingleton<IPaperStore, PgPaperStore>();
        services.AddSingleton<IPaperIdentityStore, PgPaperIdentityStore>();
        services.AddSingleton<ILibraryStore, PgLibraryStore>();
        services.AddSingleton<ITenantDataStore, PgTenantDataStore>();
        services.AddSingleton<IDeliveryLog, PgDeliveryLog>();
        services.AddSingleton<IAdapterStateStore, PgAdapterStateStore>();
        services.AddSingleton<ISessionStartLedger, PgSessionStartLedger>();
        services.AddSingleton<IThreadLinkStore, PgThreadLinkStore>();
        services.AddSingleton<IGroupDataArchive, PgGroupDataArchive>();
        services.AddSingleton<ISuggestionStore, PgSuggestionStore>();
        services.AddSingleton<IWeekPlanStore, PgWeekPlanStore>();
        services.AddSingleton<IDiscussionStore, PgDiscussionStore>();
        services.AddSingleton<IPresenterStore, PgPresenterStore>();
        services.AddSingleton<IScheduledPostStore, PgScheduledPostStore>();
        services.AddSingleton<IWayrStore, PgWayrStore>();
        services.AddSingleton<IProgressStore, PgProgressStore>();
        services.AddSingleton<PgStreakStore>();
        services.AddSingleton<IStreakStore>(sp => sp.GetRequiredService<PgStreakStore>());
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<PgStreakStore>());
        services.AddSingleton<IRoadmapStore, PgRoadmapStore>();
        services.AddSingleton<ILikeStore, PgLikeStore>();
        services.AddSingleton<IDislikeStore, PgDislikeStore>();
        services.AddSingleton<IRsvpStore, PgRsvpStore>();
        services.AddSingleton<IFollowStore, PgFollowStore>();
        services.AddSingleton<IEnrichmentStore, PgEnrichmentStore>();
        return services;
    }
}
