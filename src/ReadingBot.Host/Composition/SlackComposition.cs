using ReadingBot.Host.Hosting;
using ReadingBot.Slack;
using ReadingBot.Slack.Socket;

namespace ReadingBot.Host.Composition;

/// <summary>The Slack adapter's composition: the adapter itself plus its /healthz status.</summary>
public static class SlackComposition
{
    /// <summary>Adds the Slack adapter when Slack tokens are configured; nothing otherwise.</summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.AddSlackAdapter(configuration))
        {
            services.AddSingleton<IChatAdapterStatus, SlackAdapterStatus>();
        }

        return services;
    }

    private sealed class SlackAdapterStatus(SlackConnectionState state) : IChatAdapterStatus
    {
        public string Name => "slack";

        public bool IsConnected => state.IsConnected;
    }
}
