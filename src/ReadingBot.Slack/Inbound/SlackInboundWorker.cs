using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReadingBot.Slack.Inbound;

/// <summary>Runs queued deliveries off the read loops, each in its own DI scope, with a few workers in parallel.</summary>
public sealed class SlackInboundWorker(InboundQueue queue, IServiceScopeFactory scopes, IOptions<SlackOptions> options, ILogger<SlackInboundWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => RunAsync(stoppingToken), CancellationToken.None)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            InboundItem item;
            try
            {
                item = await queue.DequeueAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SlackInboundProcessor>().ProcessAsync(item, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A Slack {Kind} delivery failed", item.Kind);
                if (item.Ack is not null)
                {
                    await item.Ack.AckEmptyAsync();
                }
            }
        }
    }
}
