using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Discord.Gateway;
using ReadingBot.Discord.Interactions;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>
/// Runs the adapter: checks the token, registers the commands, then (Gateway mode) runs this process's Gateway shards,
/// whose dispatches go to the shared inbound pipeline. A thin service: the protocol lives in <see cref="DiscordGateway"/>.
/// </summary>
public sealed class DiscordAdapterService(
    DiscordRestClient rest,
    CommandRegistrar registrar,
    DiscordShards shards,
    DiscordConnectionState state,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordAdapterService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!await CheckTokenAsync(stoppingToken))
            {
                return;
            }

            if (options.Value.RegisterCommands)
            {
                await RegisterAsync(stoppingToken);
            }

            if (!await shards.ResolveAsync(stoppingToken))
            {
                return;
            }

            if (options.Value.IsHttpMode)
            {
                // Discord POSTs interactions to our endpoint; there is no socket to watch.
                state.IsConnected = true;
                logger.LogInformation("Discord adapter ready in Http mode at {Path}", options.Value.InteractionsPath);
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
                return;
            }

            // Handlers may block a pool thread; enough ready threads keep the Gateway readers' heartbeats on time.
            Core.Inbound.ThreadPoolReserve.Ensure(options.Value.MaxConcurrentHandlers);
            await shards.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A bug here must not take the whole host (and the other platforms) down: stop this adapter, visibly.
            state.StopReason = "the Discord adapter failed: " + ex.GetType().Name;
            logger.LogCritical(ex, "Discord adapter stopped after an unexpected error");
        }
        finally
        {
            state.IsConnected = false;
        }
    }

    private async Task<bool> CheckTokenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var me = await rest.GetAsync("users/@me", cancellationToken) as JsonObject ?? [];
                state.BotUserId = me["id"]?.GetValue<string>();
                logger.LogInformation("Discord bot user {User} ({Id})", me["username"]?.GetValue<string>(), state.BotUserId);
                return true;
            }
            catch (DiscordUnauthorizedException)
            {
                state.StopReason = "Discord rejected the bot token (401 from GET /users/@me). Reset it in the Developer Portal and set Discord:Token (READINGBOT_Discord__Token).";
                logger.LogCritical("Discord adapter stopped: {Reason}", state.StopReason);
                return false;
            }
            catch (DiscordRestException ex)
            {
                var delay = GatewayPolicy.Backoff(attempt, TimeSpan.FromSeconds(options.Value.ReconnectMinSeconds), TimeSpan.FromSeconds(options.Value.ReconnectMaxSeconds), 0.5 + (Random.Shared.NextDouble() / 2));
                logger.LogWarning("Discord is not reachable ({Status}); trying again in {Seconds:0} s", (int)ex.Status, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await registrar.RegisterAsync(cancellationToken);
        }
        catch (DiscordRestException ex)
        {
            logger.LogError("Registering the Discord commands failed: {Message}", ex.Message);
        }
    }
}
