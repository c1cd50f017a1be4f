using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Charts;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Streaks;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Composition;

/// <summary>One <c>AddXxx()</c> per project: the host's whole composition, reused by the tests and benchmarks.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The core domain, commands and options. A <see cref="TimeProvider"/> already registered (a fake in tests) wins.</summary>
    public static IServiceCollection AddReadingBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GroupsOptions>().Bind(configuration.GetSection("Groups")).ValidateSettings("Groups", null, GroupsOptions.Rules);
        services.AddOptions<LibraryOptions>().Bind(configuration.GetSection("Library")).ValidateSettings("Library", new LibraryOptionsAnnotations());
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateSettings("Storage", new StorageOptionsAnnotations());
        services.AddOptions<WebOptions>().Bind(configuration.GetSection("Web")).ValidateSettings("Web", new WebOptionsAnnotations(), WebOptions.Rules);
        services.AddOptions<LocalChatOptions>().Bind(configuration.GetSection("Local")).ValidateSettings("Local", null, LocalChatOptions.Rules);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPaperMetadataSource, OfflineMetadataSource>();
        services.AddSingleton<TextCommandParser>();
        services.AddSingleton(sp => new GroupDefaults(sp.GetRequiredService<IOptions<GroupsOptions>>().Value.DefaultTimeZone));
        services.AddSingleton<GroupDirectory>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LibraryOptions>>().Value);
        services.AddSingleton<LibraryService>();
        services.AddSingleton<PaperIdentity>();
        services.AddSingleton<WeeklyPaperService>();
        services.AddSingleton<IPaperCardContributor, WeeklyCardFields>();
        services.AddSingleton<IPaperCardContributor, WayrCardFields>();
        services.AddSingleton<ISearchTextSource, DiscussionSearchText>();
        services.AddSingleton<ReadingBot.Core.Recommendations.IReadingSignalSource, WayrReadingSignals>();
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection("Scheduler")).ValidateSettings("Scheduler", new SchedulerOptionsAnnotations());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SchedulerOptions>>().Value);
        services.AddSingleton<IScheduledJob, WeeklyPaperJob>();
        services.AddSingleton<WayrJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<WayrJob>());
        services.AddSingleton<WayrService>();
        services.AddSingleton<ReadingBot.Core.Streaks.StreakService>();
        services.AddSingleton<ReadingBot.Core.Progress.ProgressService>();
        services.AddSingleton<IChartRenderer, ScottPlotChartRenderer>();
        services.AddSingleton<ReadingCharts>();
        services.AddSingleton<ReadingBot.Core.Exports.IExportContributions, WeeklyExportContributions>();
        services.AddSingleton<WeeklyScheduler>();
        services.AddSingleton<SettingsService>();
        services.AddCommandModules();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<OutboundMessenger>();
        services.AddPaperIntake(configuration);
        services.AddRecommendations(configuration);
        services.AddWeb(configuration);
        return services;
    }

    /// <summary>The LiteDB store over an opened database (the host opens it first, so a bad file fails before anything starts).</summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services, ReadingBotDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton<IGroupStore, LiteGroupStore>();
        services.AddSingleton<IMemberStore, LiteMemberStore>();
        services.AddSingleton<IPaperStore, LitePaperStore>();
        services.AddSingleton<IPaperIdentityStore, LitePaperIdentityStore>();
        services.AddSingleton<ILibraryStore, LiteLibraryStore>();
        services.AddSingleton<ITenantDataStore, LiteTenantDataStore>();
        services.AddSingleton<IDeliveryLog, LiteDeliveryLog>();
        services.AddSingleton<IAdapterStateStore, LiteAdapterStateStore>();
        services.AddSingleton<IThreadLinkStore, LiteThreadLinkStore>();
        services.AddSingleton<ReadingBot.Core.Exports.IGroupDataArchive, LiteGroupDataArchive>();
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
        services.AddSingleton<ReadingBot.Core.Roadmaps.IRoadmapStore, LiteRoadmapStore>();
        services.AddHostedService<CheckpointService>();
        return services;
    }
}
