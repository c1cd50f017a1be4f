using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Charts;
using ReadingBot.Core;
using ReadingBot.Discord;
using ReadingBot.Papers;
using ReadingBot.Slack;
using ReadingBot.Slack.Http;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Composition;

/// <summary>Which chat adapters the configuration turned on.</summary>
internal sealed record ChatAdapters(bool Slack, bool Discord);

/// <summary>
/// The bot without its host: every project's <c>AddXxx</c> in the order the host calls them, and the adapters'
/// endpoints. This one file is compiled into the host and linked into tests/ReadingBot.TestSupport, so the test
/// harness composes exactly what the host composes without referencing the host; the host adds only what is its own
/// around it (the web, the local chat, its timers and <c>/healthz</c>).
/// </summary>
internal static class ReadingBotComposition
{
    public static ChatAdapters AddReadingBot(this IServiceCollection services, IConfiguration configuration, ReadingBotDatabase database)
    {
        services.AddReadingBotCore(configuration);
        services.AddCharts();
        services.AddLiteDbStorage(database);
        services.AddPaperSources(configuration);
        var slack = services.AddSlackAdapter(configuration);
        var discord = services.AddDiscord(configuration);
        services.AddArxivPaperFeed(configuration);
        return new ChatAdapters(slack, discord);
    }

    /// <summary>The adapters' inbound endpoints (each maps nothing when its adapter is off).</summary>
    public static IEndpointRouteBuilder MapReadingBot(this IEndpointRouteBuilder app)
    {
        app.MapSlackEndpoints();
        app.MapDiscord();
        return app;
    }
}
