using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Ports;

namespace ReadingBot.Slack.Tests;

public sealed class SlackOptionsTests
{
    private static IReadOnlyList<string> Failures(SlackOptions options) =>
        new SlackOptionsValidator().Validate(null, options) is { Failed: true } result ? result.Failures.ToList() : [];

    private static SlackOptions Valid() => new() { BotToken = "xoxb-1-secret", AppToken = "xapp-1-secret", SigningSecret = "shh" };

    [Fact]
    public void A_complete_configuration_is_accepted()
    {
        Assert.Empty(Failures(Valid()));
        Assert.Empty(Failures(new SlackOptions { BotToken = "xoxb-1", SigningSecret = "s", Mode = "Http" }));
    }

    [Fact]
    public void A_missing_bot_token_names_the_key_and_the_environment_variable()
    {
        var options = Valid();
        options.BotToken = null;

        var failure = Assert.Single(Failures(options));

        Assert.StartsWith("Slack:BotToken:", failure, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_Slack__BotToken", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_out_of_bounds_is_one_line_naming_the_key()
    {
        var options = Valid();
        options.Workers = 65;

        Assert.Equal(
            "Slack:Workers: 65 is out of range. Set it to a number from 1 to 64, e.g. --Slack:Workers <value> on the command line, READINGBOT_Slack__Workers in the environment, or in config/appsettings.json.",
            Assert.Single(Failures(options)));
    }

    [Fact]
    public void More_socket_connections_than_Slack_allows_per_app_is_one_line_naming_the_key()
    {
        var options = Valid();
        options.SocketConnections = 11;

        var failure = Assert.Single(Failures(options));

        Assert.StartsWith("Slack:SocketConnections: 11 is out of range. Set it to a whole number from 1 to 10", failure, StringComparison.Ordinal);
        Assert.Equal(2, new SlackOptions().SocketConnections);
    }

    [Fact]
    public void Socket_mode_needs_an_app_level_token()
    {
        var options = Valid();
        options.AppToken = "xoxb-wrong-kind";

        var failure = Assert.Single(Failures(options));

        Assert.StartsWith("Slack:AppToken:", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-wrong-kind", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_mode_needs_the_signing_secret()
    {
        var failure = Assert.Single(Failures(new SlackOptions { BotToken = "xoxb-1", Mode = "http" }));

        Assert.StartsWith("Slack:SigningSecret:", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mode", "Webhook")]
    [InlineData("Command", "reading")]
    [InlineData("ApiBaseUrl", "ftp://slack.com/api/")]
    [InlineData("InlineReplySeconds", "5")]
    [InlineData("DedupeMinutes", "1")]
    [InlineData("Workers", "0")]
    [InlineData("SocketConnections", "0")]
    [InlineData("SocketConnections", "11")]
    public void Bad_values_are_refused_naming_the_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-1", ["Slack:AppToken"] = "xapp-1", ["Slack:SigningSecret"] = "s", [$"Slack:{key}"] = value,
        }).Build();
        var options = configuration.GetSection("Slack").Get<SlackOptions>()!;

        Assert.Contains(Failures(options), f => f.StartsWith($"Slack:{key}:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_runs_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-1" }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSlackAdapter(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Slack:AppToken:", StringComparison.Ordinal));
    }

    [Fact]
    public void Http_mode_without_the_web_server_is_refused_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = "xoxb-1", ["Slack:SigningSecret"] = "s", ["Slack:Mode"] = "Http", ["Web:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSlackAdapter(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SlackOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Web:Enabled", StringComparison.Ordinal));
    }
}
