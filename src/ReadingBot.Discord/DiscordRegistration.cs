using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Inbound;
using ReadingBot.Discord.Inbound;
using ReadingBot.Core.Ports;
using ReadingBot.Discord.Gateway;
using ReadingBot.Discord.Interactions;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>The Discord adapter's composition: one call in the host.</summary>
public static class DiscordRegistration
{
    /// <summary>True when <c>Discord:Token</c> is set.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:Token"]);

    /// <summary>Adds the adapter when <c>Discord:Token</c> is set; returns whether it did.</summary>
    /// <summary>
    /// The REST connection pool. Discord's API never redirects and sets no cookies, and the bot propagates no trace
    /// context to it, so the handler stages for those are left out: every interaction's answer passes through them.
    /// </summary>
    private static SocketsHttpHandler RestHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
        ActivityHeadersPropagator = null,
    };

    public static bool AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return false;
        }

        services.AddOptions<DiscordOptions>().Bind(configuration.GetSection(DiscordOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DiscordRateLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DiscordRestClient(
            new HttpClient(RestHandler()) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<DiscordRateLimiter>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.AddSingleton<DiscordConnectionState>();
        services.AddSingleton<IdentifyLedger>();
        services.AddSingleton<DiscordShards>();
        services.AddSingleton<CommandRegistrar>();
        services.AddSingleton<InteractionRouter>();
        services.AddInboundPipeline<DiscordInboundItem, DiscordEventProcessor>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
            return new InboundPipelineOptions("Discord", o.QueueCapacity, o.MaxConcurrentHandlers);
        });
        services.AddSingleton<DiscordIngress>();
        services.AddSingleton<GuildNames>();
        services.AddSingleton<InteractionSignatureVerifier>();
        services.AddSingleton<HttpInteractionsEndpoint>();
        services.AddSingleton<DiscordOutbound>();
        services.AddSingleton<IChatOutbound>(sp => sp.GetRequiredService<DiscordOutbound>());
        services.AddSingleton<IGroupOwnership, DiscordGroupOwnership>();
        // The weekly meeting as a Guild Scheduled Event, for groups with /settings discord-events on.
        services.AddSingleton<INativeEvents, DiscordNativeEvents>();
        services.AddHostedService<DiscordAdapterService>();
        return true;
    }

    /// <summary>Maps the HTTP interactions endpoint (it answers 404 unless <c>Discord:Mode</c> is Http).</summary>
    public static IEndpointRouteBuilder MapDiscord(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!IsConfigured(configuration))
        {
            return endpoints;
        }

        var path = configuration[$"{DiscordOptions.Section}:InteractionsPath"];
        endpoints.MapPost(string.IsNullOrWhiteSpace(path) ? new DiscordOptions().InteractionsPath : path,
            (Microsoft.AspNetCore.Http.HttpContext http, HttpInteractionsEndpoint endpoint) => endpoint.HandleAsync(http));
        return endpoints;
    }
}
