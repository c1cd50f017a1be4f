using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Host.Composition;
using ReadingBot.TestSupport;

namespace ReadingBot.Papers.Tests;

public sealed class CompositionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPaperIntake();
        services.AddPaperSources(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_host_uses_the_real_sources_by_default_and_runs_the_refresh_job()
    {
        using var bot = TestBot.Create(s => s.AddPaperSources(new ConfigurationBuilder().Build()));
        var provider = bot.Services;

        var options = provider.GetRequiredService<IOptions<PaperSourcesOptions>>().Value;

        Assert.IsType<CompositeMetadataSource>(provider.GetRequiredService<IPaperMetadataSource>());
        Assert.IsType<WebDocumentFetcher>(provider.GetRequiredService<IDocumentFetcher>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<PaperRefreshService>());
        Assert.Equal("https://export.arxiv.org", options.Arxiv.BaseUrl);
        Assert.Equal("https://api.crossref.org", options.Crossref.BaseUrl);
        Assert.Equal("https://api2.openreview.net", options.OpenReview.BaseUrl);
        Assert.Equal(3, options.Arxiv.MinIntervalSeconds);
        Assert.False(options.AllowPrivateAddresses);
    }

    [Fact]
    public void Papers_enabled_false_keeps_the_bot_offline()
    {
        using var bot = TestBot.Create(s => s.AddPaperSources(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Papers:Enabled"] = "false" }).Build()));

        Assert.IsType<OfflineMetadataSource>(bot.Get<IPaperMetadataSource>());
        Assert.IsType<OfflineDocumentFetcher>(bot.Get<IDocumentFetcher>());
    }

    [Theory]
    [InlineData("Papers:Arxiv:MinIntervalSeconds", "1", "arXiv's terms")]
    [InlineData("Papers:Arxiv:BaseUrl", "ftp://arxiv.org", "not an http(s) URL")]
    [InlineData("Papers:TimeoutSeconds", "0", "Papers:TimeoutSeconds")]
    [InlineData("Papers:MaxRedirects", "50", "Papers:MaxRedirects")]
    public void Bad_settings_fail_at_start_naming_the_key(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PaperSourcesOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discussion_text_from_another_feature_is_searchable()
    {
        var notes = new Notes();
        var source = new FixedMetadataSource();
        source.Answers["arxiv:1706.03762"] = new MetadataResult.Found(new Paper { Key = "x", Source = PaperSource.Arxiv, Url = "u", Title = "Attention Is All You Need", State = MetadataState.Resolved });
        using var bot = TestBot.Create(s =>
        {
            s.AddSingleton<IPaperMetadataSource>(source);
            s.AddSingleton<ISearchTextSource>(notes);
        });
        await bot.SendAsync("paper add 1706.03762");
        Assert.Contains("No paper", await bot.TextAsync("paper search positional encodings"), StringComparison.Ordinal);

        notes.Text = "we argued about positional encodings";
        bot.Get<PaperSearchIndex>().EntryChanged(TestBot.LocalGroup.Id, 1);

        Assert.Contains("#1 Attention", await bot.TextAsync("paper search positional encodings"), StringComparison.Ordinal);
    }

    private sealed class Notes : ISearchTextSource
    {
        public string? Text { get; set; }

        public string? TextFor(GroupId group, int number) => number == 1 ? Text : null;
    }
}
