using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Help;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Progress;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Web;

namespace ReadingBot.Core.Commands;

/// <summary>The product's command modules, registered in the order <c>/help</c> and the platforms list them.</summary>
public static class CommandModules
{
    /// <summary>Every module, the catalogue joined from their specs, and the router.</summary>
    public static IServiceCollection AddCommandModules(this IServiceCollection services)
    {
        services.AddCommandModule<HelpCommands>();
        services.AddCommandModule<PaperCommands>();
        services.AddCommandModule<WeekCommands>();
        services.AddCommandModule<WayrCommands>();
        services.AddCommandModule<StreakCommands>();
        services.AddCommandModule<ProgressCommands>();
        services.AddCommandModule<RecommendationCommands>();
        services.AddCommandModule<RoadmapCommands>();
        services.AddCommandModule<FollowCommands>();
        services.AddCommandModule<ExportCommands>();
        services.AddCommandModule<DashboardCommands>();
        services.AddCommandModule<SettingsCommands>();

        services.TryAddSingleton(sp => new CommandCatalogue(sp.GetServices<CommandModuleEntry>()));
        services.TryAddSingleton<CommandRouter>();
        return services;
    }

    /// <summary>Registers one module: its handler as a singleton and its specs for the catalogue.</summary>
    internal static IServiceCollection AddCommandModule<TModule>(this IServiceCollection services)
        where TModule : class, ICommandModule
    {
        services.TryAddSingleton<TModule>();
        services.AddSingleton<ICommandHandler>(sp => sp.GetRequiredService<TModule>());
        services.AddSingleton(new CommandModuleEntry(typeof(TModule), TModule.Specs));
        return services;
    }

    /// <summary>The entries <see cref="AddCommandModules"/> registers, read without building any service.</summary>
    internal static IReadOnlyList<CommandModuleEntry> Entries { get; } = new ServiceCollection().AddCommandModules()
        .Where(d => d.ServiceType == typeof(CommandModuleEntry))
        .Select(d => (CommandModuleEntry)d.ImplementationInstance!)
        .ToList();
}
