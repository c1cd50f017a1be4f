using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Ports;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Gateway;

/// <summary>
/// This process's shards: resolves <c>Discord:ShardCount</c> (auto: what GET /gateway/bot recommends) and
/// <c>Discord:ShardIds</c> once at start, then runs one <see cref="DiscordGateway"/> per shard side by side; each
/// connects, resumes and stops on its own, and they take turns to identify through the shared <see cref="IdentifyLedger"/>.
/// </summary>
public sealed class DiscordShards(
    DiscordRestClient rest,
    IdentifyLedger ledger,
    IAdapterStateStore store,
    Inbound.DiscordIngress ingress,
    IOptions<DiscordOptions> options,
    DiscordConnectionState state,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger<DiscordShards>();

    /// <summary>Discord's max_concurrency from the start (1 until known).</summary>
    public int MaxConcurrency { get; private set; } = 1;

    /// <summary>
    /// Resolves the plan into <see cref="DiscordConnectionState.Plan"/>; false (with the stop reason kept) when the
    /// token is refused or the ids do not fit the recommended count.
    /// </summary>
    public async Task<bool> ResolveAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Both were checked at start (DiscordOptionsValidator); a value that still fails to parse means today's default.
        if (!ShardSettings.TryParseCount(settings.ShardCount, out var configured) | !ShardSettings.TryParseIds(settings.ShardIds, out var ids))
        {
            (configured, ids) = (1, null);
        }

        if (configured == 1 && ids is null)
        {
            // One shard needs nothing from /gateway/bot here (its gateway asks before identifying): today's behaviour.
            state.Plan = ShardPlan.Single;
            return true;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var info = await rest.GetAsync("gateway/bot", cancellationToken) as JsonObject ?? [];
                MaxConcurrency = Math.Max(1, info["session_start_limit"]?["max_concurrency"] is JsonValue m && m.TryGetValue<int>(out var c) ? c : 1);
                var recommended = info["shards"] is JsonValue r && r.TryGetValue<int>(out var n) && n >= 1 ? n : 1;
                var count = configured ?? recommended;
                if (ShardSettings.CheckIdsFit(ids, count) is { } problem)
                {
                    Stop(problem);
                    return false;
                }

                if (configured is { } fixedCount && fixedCount < recommended)
                {
                    logger.LogWarning("Discord recommends {Recommended} shards; Discord:ShardCount is {Count}. Raise it (or set it to auto) before Discord closes with 4011", recommended, fixedCount);
                }

                state.Plan = ShardPlan.For(count, ids);
                logger.LogInformation("Discord shards {Plan} in this process (max_concurrency {MaxConcurrency})", state.Plan, MaxConcurrency);
                return true;
            }
            catch (DiscordUnauthorizedException)
            {
                Stop("Discord rejected the bot token (401 from GET /gateway/bot). Reset it in the Developer Portal and set Discord:Token (READINGBOT_Discord__Token).");
                return false;
            }
            catch (DiscordRestException ex)
            {
                var delay = GatewayPolicy.Backoff(attempt, TimeSpan.FromSeconds(settings.ReconnectMinSeconds), TimeSpan.FromSeconds(settings.ReconnectMaxSeconds), 0.5 + (Random.Shared.NextDouble() / 2));
                logger.LogWarning("GET /gateway/bot failed ({Status} {Code}); retrying in {Seconds:0.#} s", (int)ex.Status, ex.Code, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>Runs every shard of the resolved plan until cancelled or until each has stopped.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var plan = state.Plan ?? ShardPlan.Single;
        ledger.Expect(plan.Ids);
        var gateways = plan.Ids.Select(id => new DiscordGateway(rest, ledger, store, ingress, options, state, time, loggers.CreateLogger<DiscordGateway>(), new GatewayShard(id, plan.Count, MaxConcurrency)));
        return Task.WhenAll(gateways.Select(g => g.RunAsync(cancellationToken)));
    }

    private void Stop(string reason)
    {
        state.StopReason = reason;
        logger.LogCritical("Discord adapter stopped: {Reason}", reason);
    }
}
