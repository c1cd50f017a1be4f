using ReadingBot.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
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
        services.AddReadingBotCore(configuration);
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
    [InlineData("Papers:Arxiv:MaxRetries", "11", "Papers:Arxiv:MaxRetries: 11 is out of range. Set it to a whole number from 0 to 10")]
    [InlineData("Papers:Refresh:BatchSize", "0", "READINGBOT_Papers__Refresh__BatchSize")]
    public void Bad_settings_fail_at_start_naming_the_key(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PaperSourcesOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Fact]
    public void Roadmap_and_library_import_limits_are_read_from_configuration()
    {
        using var provider = Build(new() { ["Roadmap:MaxItems"] = "7", ["Roadmap:ImportTimeoutSeconds"] = "9", ["Roadmap:ImportCooldownSeconds"] = "0", ["Library:Import:MaxPapers"] = "11", ["Library:Import:CooldownSeconds"] = "120" });

        var roadmap = provider.GetRequiredService<ReadingBot.Core.Roadmaps.RoadmapOptions>();
        var import = provider.GetRequiredService<LibraryImportOptions>();

        Assert.Equal((7, TimeSpan.FromSeconds(9), TimeSpan.Zero), (roadmap.MaxItems, roadmap.ImportTimeout, roadmap.ImportCooldown));
        Assert.Equal((11, TimeSpan.FromMinutes(2)), (import.MaxPapers, import.Cooldown));
    }

    [Theory]
    [InlineData("Roadmap:MaxItems", "0", "Roadmap:MaxItems: 0 is out of range. Set it to a whole number from 1 to 10000, e.g. --Roadmap:MaxItems <value> on the command line, READINGBOT_Roadmap__MaxItems in the environment, or in config/appsettings.json.")]
    [InlineData("Library:Import:MaxPapers", "-1", "Library:Import:MaxPapers: -1 is out of range. Set it to a whole number from 1 to 1000000, e.g. --Library:Import:MaxPapers <value> on the command line, READINGBOT_Library__Import__MaxPapers in the environment, or in config/appsettings.json.")]
    public void A_bad_roadmap_or_import_limit_is_one_line_naming_the_key(string key, string value, string line)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => key.StartsWith("Roadmap", StringComparison.Ordinal)
            ? provider.GetRequiredService<ReadingBot.Core.Roadmaps.RoadmapOptions>()
            : (object)provider.GetRequiredService<LibraryImportOptions>());

        Assert.Equal(line, Assert.Single(error.Failures));
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

        public IReadOnlyDictionary<int, string> TextsFor(GroupId group, IReadOnlyList<LibraryEntry> entries) =>
            entries.Where(e => e.Number == 1 && Text is not null).ToDictionary(e => e.Number, _ => Text!);
    }
}
