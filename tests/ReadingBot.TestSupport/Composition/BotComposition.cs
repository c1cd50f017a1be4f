using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReadingBot.Composition;
using ReadingBot.Core.Web;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.TestSupport;

/// <summary>
/// The bot as the host composes it (<see cref="ReadingBotComposition"/>, the host's own list, linked into this
/// project), plus doubles for the two ports only the host implements. Test doubles for the outside world (a clock,
/// metadata sources) are registered before it and win over its TryAdd defaults.
/// </summary>
public static class BotComposition
{
    /// <summary>The network sources stay off unless a test points them at an emulator: nothing leaves the machine.</summary>
    public static IReadOnlyDictionary<string, string?> Offline { get; } = new Dictionary<string, string?> { ["Papers:Enabled"] = "false" };

    /// <summary>Every project's registrations in the host's order, and the host's link ports as doubles.</summary>
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration, ReadingBotDatabase database)
    {
        services.AddReadingBot(configuration, database);
        // Host.Tests adds the real ones (AddWeb) after this; a later registration wins.
        services.TryAddSingleton<IDashboardLinks, UnsignedDashboardLinks>();
        services.TryAddSingleton<IOwnFeedLinks, NoOwnFeedLinks>();
        return services;
    }

    /// <summary>The adapters' endpoints, as the host maps them.</summary>
    public static IEndpointRouteBuilder MapBot(this IEndpointRouteBuilder app) => app.MapReadingBot();
}
