using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb;

/// <summary>Storage upkeep (<c>Storage:*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Minutes between checkpoints (LiteDB fsyncs only at checkpoints).</summary>
    [SettingRange(0d, 1440d, "a number of minutes from 0.1 to 1440", MinimumIsExclusive = true)]
    public double CheckpointMinutes { get; set; } = 5;
}

/// <summary>The annotations' checks for <see cref="StorageOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class StorageOptionsAnnotations : IValidateOptions<StorageOptions>;

/// <summary>The LiteDB project's registrations: every store over one opened database, and the checkpoint timer.</summary>
public static class StorageComposition
{
    /// <summary>
    /// The LiteDB store over an opened database (the host opens it first, so a bad file fails before anything starts).
    /// <c>Storage:*</c> is read from the <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> the host registers.
    /// </summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services, ReadingBotDatabase database)
    {
        services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateSettings("Storage", new StorageOptionsAnnotations());
        services.AddSingleton(database);
        services.AddSingleton<IGroupStore, LiteGroupStore>();
        services.AddSingleton<IMemberStore, LiteMemberStore>();
        services.AddSingleton<IPaperStore, LitePaperStore>();
        services.AddSingleton<IPaperIdentityStore, LitePaperIdentityStore>();
        services.AddSingleton<ILibraryStore, LiteLibraryStore>();
        services.AddSingleton<ITenantDataStore, LiteTenantDataStore>();
        services.AddSingleton<IDeliveryLog, LiteDeliveryLog>();
        services.AddSingleton<IAdapterStateStore, LiteAdapterStateStore>();
        services.AddSingleton<ISessionStartLedger, LiteSessionStartLedger>();
        services.AddSingleton<IThreadLinkStore, LiteThreadLinkStore>();
        services.AddSingleton<IGroupDataArchive, LiteGroupDataArchive>();
        services.AddSingleton<ISuggestionStore, LiteSuggestionStore>();
        services.AddSingleton<IWeekPlanStore, LiteWeekPlanStore>();
        services.AddSingleton<IDiscussionStore, LiteDiscussionStore>();
        services.AddSingleton<IPresenterStore, LitePresenterStore>();
        services.AddSingleton<IScheduledPostStore, LiteScheduledPostStore>();
        services.AddSingleton<IWayrStore, LiteWayrStore>();
        services.AddSingleton<IProgressStore, LiteProgressStore>();
        services.AddSingleton<LiteStreakStore>();
        services.AddSingleton<IStreakStore>(sp => sp.GetRequiredService<LiteStreakStore>());
        services.AddSingleton<IDigestStore>(sp => sp.GetRequiredService<LiteStreakStore>());
        services.AddSingleton<IRoadmapStore, LiteRoadmapStore>();
        services.TryAddSingleton<ILikeStore, LiteLikeStore>();
        services.AddSingleton<IDislikeStore, LiteDislikeStore>();
        services.TryAddSingleton<IRsvpStore, LiteRsvpStore>();
        services.AddSingleton<IFollowStore, LiteFollowStore>();
        services.AddSingleton<IEnrichmentStore, LiteEnrichmentStore>();
        services.AddHostedService<CheckpointService>();
        services.AddHostedService(sp => new EngineWatchService(sp.GetRequiredService<ReadingBotDatabase>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
