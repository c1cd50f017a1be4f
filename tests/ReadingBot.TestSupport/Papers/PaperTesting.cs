using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReadingBot.Core.Papers;
using ReadingBot.Papers;

using Xunit;

namespace ReadingBot.TestSupport.Papers;

/// <summary>Builds sources and bots pointed at the local emulator.</summary>
public static class PaperTesting
{
    public static Dictionary<string, string?> Settings(PaperSourcesEmulator emulator, double minInterval = 0, double timeout = 5, double retryBase = 0.05, int maxRetries = 3) => new()
    {
        ["Papers:Arxiv:BaseUrl"] = emulator.ArxivBaseUrl,
        ["Papers:Crossref:BaseUrl"] = emulator.CrossrefBaseUrl,
        ["Papers:OpenReview:BaseUrl"] = emulator.OpenReviewBaseUrl,
        ["Papers:SemanticScholar:BaseUrl"] = emulator.SemanticScholarBaseUrl,
        ["Papers:SemanticScholar:MinIntervalSeconds"] = "0",
        ["Papers:SemanticScholar:RetryBaseSeconds"] = "0.05",
        ["Papers:AllowPrivateAddresses"] = "true",
        ["Papers:Arxiv:MinIntervalSeconds"] = minInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Papers:Arxiv:RetryBaseSeconds"] = retryBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Papers:Arxiv:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Papers:TimeoutSeconds"] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Library:FetchTimeoutSeconds"] = "10",
    };

    public static PaperSourcesOptions Options(PaperSourcesEmulator emulator, double minInterval = 0, double timeout = 5, double retryBase = 0.05, int maxRetries = 3, bool allowPrivate = true)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(Settings(emulator, minInterval, timeout, retryBase, maxRetries)).Build()
            .GetSection("Papers").Get<PaperSourcesOptions>()!;
        options.AllowPrivateAddresses = allowPrivate;
        return options;
    }

    /// <summary>The composite source over real HTTP to the emulator, on the real clock.</summary>
    public static (CompositeMetadataSource Source, ArxivClient Arxiv, SafeHttpClient Http) Sources(PaperSourcesOptions options, TimeProvider? time = null)
    {
        var http = new SafeHttpClient(options);
        var gate = new ArxivRequestGate(time ?? TimeProvider.System, TimeSpan.FromSeconds(options.Arxiv.MinIntervalSeconds));
        var arxiv = new ArxivClient(http, gate, options, NullLogger<ArxivClient>.Instance);
        return (new CompositeMetadataSource(arxiv, new CrossrefClient(http, options), new OpenReviewClient(http, options), new PageMetadataClient(http)), arxiv, http);
    }

    /// <summary>A bot through the host's composition, with the network sources pointed at the emulator.</summary>
    public static TestBot Bot(PaperSourcesEmulator emulator, Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = Settings(emulator);
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return TestBot.Create(services =>
        {
            services.AddPaperSources(configuration);
            services.AddArxivPaperFeed(configuration);
            configure?.Invoke(services);
        }, settings);
    }

    public static Paper Found(MetadataResult result) =>
        Assert.IsType<MetadataResult.Found>(result).Paper;

    public static PaperRef Ref(string text) => PaperRefParser.Parse(text).Reference ?? throw new InvalidOperationException(text + " did not parse");
}
