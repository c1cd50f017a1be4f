using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Progress;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Web;

namespace ReadingBot.Core;

/// <summary>Core's own registrations: the domain, the command modules, the features' services and their options.</summary>
public static class CoreComposition
{
    /// <summary>
    /// The core domain, commands and options. A <see cref="TimeProvider"/> or <see cref="IPaperMetadataSource"/>
    /// already registered (a fake in tests) wins; the stores, the chart renderer and the network sources come from
    /// their own projects.
    /// </summary>
    public static IServiceCollection AddReadingBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GroupsOptions>().Bind(configuration.GetSection("Groups")).ValidateSettings("Groups", null, GroupsOptions.Rules);
        services.AddOptions<LibraryOptions>().Bind(configuration.GetSection("Library")).ValidateSettings("Library", new LibraryOptionsAnnotations());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPaperMetadataSource, OfflineMetadataSource>();
        services.AddSingleton<TextCommandParser>();
        services.AddSingleton(sp => new GroupDefaults(sp.GetRequiredService<IOptions<GroupsOptions>>().Value.DefaultTimeZone));
        services.AddSingleton<GroupDirectory>();
        services.AddSingleton<WorkspaceNames>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LibraryOptions>>().Value);
        services.AddSingleton<LibraryService>();
        services.AddSingleton<PaperIdentity>();
        services.AddSingleton<WeeklyPaperService>();
        services.AddSingleton<RsvpTallies>();
        services.AddSingleton<IPaperCardContributor, WeeklyCardFields>();
        services.AddSingleton<IPaperCardContributor, WayrCardFields>();
        services.AddSingleton<IPaperCardContributor, EnrichmentCardFields>();
        services.TryAddSingleton<IPaperEnrichmentSource, NoEnrichmentSource>();
        services.AddSingleton<EnrichmentRefresher>();
        services.AddSingleton<ISearchTextSource, DiscussionSearchText>();
        services.AddSingleton<IReadingSignalSource, WayrReadingSignals>();
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection("Scheduler")).ValidateSettings("Scheduler", new SchedulerOptionsAnnotations());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SchedulerOptions>>().Value);
        services.AddSingleton<IScheduledJob, WeeklyPaperJob>();
        services.AddSingleton<IScheduledJob, WeekChangeNoticeJob>();
        services.AddSingleton<WayrJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<WayrJob>());
        services.AddSingleton<MemberDirectMessages>();
        services.AddSingleton<IScheduledJob, FollowDigestJob>();
        services.AddSingleton<IScheduledJob, DirectReminderJob>();
        services.AddSingleton<IScheduledJob, PresenterConfirmationJob>();
        // After the paper job, so an announcement due at the same instant posts (and opens its thread) first.
        services.AddSingleton<NativeEventJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<NativeEventJob>());
        services.AddSingleton<WayrService>();
        services.AddSingleton<StreakService>();
        services.AddSingleton<ProgressService>();
        services.AddSingleton<ReadingCharts>();
        services.AddSingleton<IExportContributions, WeeklyExportContributions>();
        services.AddSingleton<WeeklyScheduler>();
        services.AddSingleton<SettingsService>();
        // The links come from the host, which implements IDashboardLinks and IOwnFeedLinks.
        services.AddSingleton<DashboardService>();
        services.AddCommandModules();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<OutboundMessenger>();
        services.AddPaperIntake(configuration);
        services.AddRecommendations(configuration);
        return services;
    }

    /// <summary>Search, roadmap, exports and the pending-paper refresher; offline until the Papers project adds the network.</summary>
    private static void AddPaperIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PaperSearchIndex>();
        services.AddSingleton<LibrarySearch>();
        services.TryAddSingleton<IDocumentFetcher, OfflineDocumentFetcher>();
        services.AddOptions<RoadmapOptions>().Bind(configuration.GetSection("Roadmap")).ValidateSettings("Roadmap", new RoadmapOptionsAnnotations());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RoadmapOptions>>().Value);
        services.AddSingleton<RoadmapService>();
        services.AddOptions<LibraryImportOptions>().Bind(configuration.GetSection("Library:Import")).ValidateSettings("Library:Import", new LibraryImportOptionsAnnotations());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<LibraryImportOptions>>().Value);
        services.AddSingleton<LibraryImport>();
        // Features that own calendar events or feed entries (weekly sessions, digests) add IExportContributions.
        services.AddSingleton<ExportService>();
        services.AddSingleton<PendingPaperRefresher>();
    }

    /// <summary>
    /// Recommendations' Core services and options (<c>Recommendations:*</c>). The engine only scores on the request
    /// path; the host adds the background pass that builds and trains, the storage project the likes store.
    /// </summary>
    private static void AddRecommendations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecommendationOptions>().Bind(configuration.GetSection("Recommendations")).ValidateSettings("Recommendations", new RecommendationOptionsAnnotations(), RecommendationOptions.Rules);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RecommendationOptions>>().Value);
        services.TryAddSingleton<IPaperFeed, NoPaperFeed>();
        services.TryAddSingleton<IArxivSearch, NoArxivSearch>();
        services.AddSingleton<FollowedAuthorFinder>();
        services.AddOptions<FollowOptions>().Bind(configuration.GetSection("Follow")).ValidateSettings("Follow", new FollowOptionsAnnotations());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FollowOptions>>().Value);
        services.AddSingleton<FollowService>();
        services.AddSingleton<FollowRefresher>();
        // The WAYR and reading-progress features add their evidence as IReadingSignalSource registrations.
        services.AddSingleton<IReadingSignals, ReadingSignals>();
        services.AddSingleton<RecommendationEngine>();
        services.AddSingleton<RecommendationService>();
    }
}
