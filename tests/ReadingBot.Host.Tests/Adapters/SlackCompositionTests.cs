using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Composition;
using ReadingBot.Core.Ports;
using ReadingBot.Host.Hosting;
using ReadingBot.Slack;

namespace ReadingBot.Host.Tests.Adapters;

/// <summary>What the host adds for Slack: its <c>/healthz</c> status when the adapter is on, and the local chat's switch.</summary>
public sealed class SlackCompositionTests
{
    [Fact]
    public void Without_slack_tokens_nothing_of_slack_is_registered_and_the_local_chat_stays_on()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();

        services.AddHostServices(configuration, new ChatAdapters(services.AddSlackAdapter(configuration), Discord: false));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IChatOutbound));
        Assert.True(ReadingBotHost.LocalChatEnabled(configuration));
    }

    [Fact]
    public void With_a_bot_token_the_adapter_and_its_health_status_are_registered_and_the_local_chat_turns_off()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-1" }).Build();
        var services = new ServiceCollection();

        services.AddHostServices(configuration, new ChatAdapters(services.AddSlackAdapter(configuration), Discord: false));

        Assert.Contains(services, d => d.ServiceType == typeof(IChatOutbound));
        Assert.Contains(services, d => d.ServiceType == typeof(IChatAdapterStatus));
        Assert.False(ReadingBotHost.LocalChatEnabled(configuration));
    }
}
