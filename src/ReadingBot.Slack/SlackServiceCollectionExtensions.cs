using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Socket;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack;

/// <summary>Registers the Slack adapter.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Slack adapter when <c>Slack:BotToken</c> or <c>Slack:AppToken</c> is configured; returns false (and adds
    /// nothing) otherwise. Options are validated at start; the token is checked with auth.test before anything runs.
    /// </summary>
    public static bool AddSlackAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        if (!SlackOptions.IsConfigured(configuration))
        {
            return false;
        }

        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.Section))
            .Validate(
                o => !o.IsHttpMode || !bool.TryParse(configuration["Web:Enabled"], out var web) || web,
                "Slack:Mode: Http mode receives through the web server, but Web:Enabled is false. Set Web:Enabled to true (READINGBOT_Web__Enabled), or Slack:Mode to Socket.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // The factory's request logging would write response_urls (bearer-like secrets) into the logs: turned off.
        services.AddHttpClient<SlackWebApi>(c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<RateGate>();
        services.AddSingleton<SlackConnectionState>(sp => new SlackConnectionState { HttpMode = sp.GetRequiredService<IOptions<SlackOptions>>().Value.IsHttpMode });
        services.AddSingleton<SlackUserDirectory>();
        services.AddInboundPipeline<SlackInboundItem, SlackInboundProcessor>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
            return new InboundPipelineOptions("Slack", o.QueueCapacity, o.Workers);
        });
        services.AddSingleton<SlackIngress>();
        services.AddSingleton<Http.SlackReplayGuard>();
        services.AddSingleton<SlackOutbound>();
        services.AddSingleton<IChatOutbound>(sp => sp.GetRequiredService<SlackOutbound>());
        services.AddHostedService<SlackStartupCheck>();
        services.AddSingleton<SocketModeService>();
        services.AddHostedService(sp => new SocketModeStarter(sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<SocketModeService>()));
        return true;
    }
}

/// <summary>Runs Socket Mode only in Socket mode (Http mode receives through the web endpoints instead).</summary>
internal sealed class SocketModeStarter(IOptions<SlackOptions> options, SocketModeService socketMode) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.IsHttpMode ? Task.CompletedTask : socketMode.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        options.Value.IsHttpMode ? Task.CompletedTask : socketMode.StopAsync(cancellationToken);
}

/// <summary>
/// Checks the bot token with auth.test before the adapter starts: a rejected token stops the host with a clear
/// message (as a configuration failure); an unreachable Slack only warns, and the adapter keeps retrying.
/// </summary>
internal sealed class SlackStartupCheck(SlackWebApi api, SlackConnectionState state, WorkspaceNames names, ILogger<SlackStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await api.AuthTestAsync(cancellationToken);
            names.Learn(Platforms.Slack, me.TeamId, me.TeamName);
            logger.LogInformation("Slack bot token works for workspace {Team} (bot user {User})", me.TeamId, me.UserId);
        }
        catch (SlackApiException ex) when (ex.IsAuthFailure)
        {
            state.FatalProblem = $"Slack rejected Slack:BotToken ({ex.Error})";
            throw new OptionsValidationException(SlackOptions.Section, typeof(SlackOptions),
                [$"Slack:BotToken: Slack rejected the token ({ex.Error}). Copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page into the environment variable READINGBOT_Slack__BotToken, and reinstall the app if it was revoked."]);
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Slack auth.test failed ({Error}); the adapter will keep trying", ex.Error);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
