using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Socket;

/// <summary>Whether the Slack adapter can receive, for /healthz.</summary>
public sealed class SlackConnectionState
{
    private readonly HashSet<SocketModeConnection> live = [];

    /// <summary>In Http mode the adapter is reachable whenever the web server runs.</summary>
    public bool HttpMode { get; set; }

    /// <summary>How many Socket Mode connections the service keeps open (<c>Slack:SocketConnections</c>); 0 in Http mode.</summary>
    public int Wanted { get; set; }

    /// <summary>Set when the adapter stopped for good (link_disabled, a rejected token).</summary>
    public string? FatalProblem { get; set; }

    public bool IsConnected
    {
        get
        {
            if (FatalProblem is not null)
            {
                return false;
            }

            if (HttpMode)
            {
                return true;
            }

            lock (live)
            {
                return live.Any(c => c.IsOpen);
            }
        }
    }

    public int OpenConnections
    {
        get
        {
            lock (live)
            {
                return live.Count(c => c.IsOpen);
            }
        }
    }

    internal void Add(SocketModeConnection connection)
    {
        lock (live)
        {
            live.Add(connection);
        }
    }

    internal void Remove(SocketModeConnection connection)
    {
        lock (live)
        {
            live.Remove(connection);
        }
    }

    internal List<SocketModeConnection> Snapshot()
    {
        lock (live)
        {
            return [.. live];
        }
    }
}

/// <summary>
/// Supervises Socket Mode: <c>Slack:SocketConnections</c> sockets at once, each in its own slot with a fresh URL from apps.connections.open for every socket, hello before "ready",
/// overlap on <c>warning</c>/<c>refresh_requested</c> (the new socket opens before the old one closes, and the old
/// one keeps delivering until Slack closes it), a stop on <c>link_disabled</c> and on a rejected token, a long
/// backoff on <c>too_many_websockets</c>, and jittered exponential backoff otherwise. It owns every reconnect; no
/// fire-and-forget reconnects.
/// </summary>
public sealed class SocketModeService(
    SlackWebApi api,
    SlackIngress ingress,
    SlackConnectionState state,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SocketModeService> logger) : BackgroundService
{
    private static readonly HashSet<string> Unrecoverable = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "user_removed_from_team", "team_disabled", "token_revoked", "not_allowed_token_type",
    };

    private readonly SlackOptions o = options.Value;

    /// <summary>How many sockets this service has opened (tests read it).</summary>
    public int ConnectionsOpened => connectionsOpened;

    private int connectionsOpened;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Each slot keeps one socket up on its own (own URL, watchdog, refresh and backoff); Slack spreads envelopes
        // over all of an app's open sockets, so one dropping or refreshing loses nothing while the others stay up.
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        state.Wanted = o.SocketConnections;
        try
        {
            await Task.WhenAll(Enumerable.Range(1, o.SocketConnections).Select(slot => RunSlotAsync(slot, stopAll)));
        }
        finally
        {
            foreach (var c in state.Snapshot())
            {
                await c.CloseAsync();
                state.Remove(c);
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>Keeps one of the wanted sockets open until stopped; a fatal answer (link_disabled, a rejected token) stops every slot.</summary>
    private async Task RunSlotAsync(int slot, CancellationTokenSource stopAll)
    {
        var stoppingToken = stopAll.Token;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Uri url;
                try
                {
                    url = await api.OpenConnectionAsync(stoppingToken);
                }
                catch (SlackApiException ex) when (Unrecoverable.Contains(ex.Error))
                {
                    if (state.FatalProblem is null)
                    {
                        state.FatalProblem = $"Slack refused Slack:AppToken ({ex.Error})";
                        logger.LogCritical("Slack refused the app-level token ({Error}); Socket Mode stops. Check Slack:AppToken (READINGBOT_Slack__AppToken): it needs the connections:write scope.", ex.Error);
                    }

                    await stopAll.CancelAsync();
                    return;
                }
                catch (SlackApiException ex)
                {
                    logger.LogWarning("apps.connections.open failed ({Error}); retrying for Socket Mode slot {Slot}", ex.Error, slot);
                    await DelayAsync(Backoff(failures++), stoppingToken);
                    continue;
                }

                var connection = new SocketModeConnection(time, logger, ingress.OnEnvelopeAsync, TimeSpan.FromSeconds(o.KeepAliveSeconds), TimeSpan.FromSeconds(o.KeepAliveTimeoutSeconds));
                var started = false;
                try
                {
                    await connection.ConnectAsync(url, TimeSpan.FromSeconds(o.ConnectTimeoutSeconds), stoppingToken);
                    started = true;
                    Interlocked.Increment(ref connectionsOpened);
                    state.Add(connection);
                    _ = ReapAsync(connection);
                    await connection.Hello.WaitAsync(TimeSpan.FromSeconds(o.HelloTimeoutSeconds), time, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Socket Mode connection {Id} did not become ready: {Error}", connection.Id, ex.Message);
                    connection.Abort();
                    if (!started)
                    {
                        // Never reached the reader, so nothing else will dispose it.
                        await connection.DisposeAsync();
                    }

                    await DelayAsync(Backoff(failures++), stoppingToken);
                    continue;
                }

                failures = 0;
                connection.StartWatchdog(TimeSpan.FromSeconds(o.IdleRefreshSeconds));
                var outcome = await connection.Outcome.WaitAsync(stoppingToken);
                switch (outcome)
                {
                    case ConnectionOutcome.Replace:
                        // Keep reading the old socket until Slack closes it (or the grace runs out); open the new one now.
                        _ = RetireAsync(connection);
                        break;
                    case ConnectionOutcome.LinkDisabled:
                        state.FatalProblem = "Socket Mode is turned off for this Slack app (link_disabled)";
                        logger.LogCritical("Slack disabled Socket Mode for this app (link_disabled); not reconnecting. Turn Socket Mode on in the app settings, or set Slack:Mode to Http.");
                        await connection.CloseAsync();
                        await stopAll.CancelAsync();
                        return;
                    case ConnectionOutcome.TooManyWebsockets:
                        logger.LogWarning("Slack reports too many Socket Mode connections for this app (at most 10, counting every process on it; this one wants {Wanted}, Slack:SocketConnections); waiting before the next try", o.SocketConnections);
                        await connection.CloseAsync();
                        await DelayAsync(Jitter(TimeSpan.FromSeconds(o.TooManyWebSocketsBackoffSeconds)), stoppingToken);
                        break;
                    default:
                        await DelayAsync(Backoff(failures++), stoppingToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // A slot that breaks unexpectedly takes the others down with it, so the failure surfaces instead of
            // leaving the process quietly on fewer connections than configured.
            await stopAll.CancelAsync();
            throw;
        }
    }

    private async Task RetireAsync(SocketModeConnection connection)
    {
        try
        {
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(o.RefreshGraceSeconds), time);
        }
        catch (TimeoutException)
        {
            await connection.CloseAsync();
        }
        catch (Exception ex)
        {
            logger.LogDebug("Socket Mode connection {Id} ended with {Error}", connection.Id, ex.GetType().Name);
        }
    }

    /// <summary>Forgets a connection once its reader has ended.</summary>
    private async Task ReapAsync(SocketModeConnection connection)
    {
        try
        {
            await connection.Completion;
        }
        catch (Exception)
        {
        }

        state.Remove(connection);
        await connection.DisposeAsync();
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, time, cancellationToken);

    /// <summary>Exponential from ReconnectMin to ReconnectMax, with jitter so many bots do not reconnect in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var max = Math.Min(o.ReconnectMaxSeconds, o.ReconnectMinSeconds * Math.Pow(2, Math.Min(failures, 20)));
        return Jitter(TimeSpan.FromSeconds(max));
    }

    private static TimeSpan Jitter(TimeSpan ceiling) => ceiling * (0.5 + (Random.Shared.NextDouble() / 2));
}
