using ReadingBot.Papers;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Roadmaps;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Core.Tests.Recommendations;

/// <summary>Bots for the recommendation tests: offline metadata (starter facts), and optionally the arXiv feed from the emulator.</summary>
internal static class RecommendationTesting
{
    /// <summary>New papers the emulator lists in the feed's categories (placeholder abstracts written for the tests).</summary>
    public static readonly ArxivFixture[] FeedPapers =
    [
        new("2511.00001", 1, "Convolutional Networks for Dense Image Recognition", [new("Vi Sion")],
            "Very deep convolutional networks with small filters and residual shortcuts improve image recognition and classification accuracy.")
        {
            Categories = ["cs.CV"], Published = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
        },
        new("2511.00002", 1, "Attention Models for Neural Machine Translation", [new("Lang Wage")],
            "An encoder decoder with attention translates sentences; sequence to sequence learning with recurrent networks.")
        {
            Categories = ["cs.CL"], Published = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
        },
        new("2511.00003", 1, "Policy Gradients for Board Games", [new("Ree Inforce")],
            "Agents trained with reinforcement learning and Q-learning play games from raw pixels with experience replay.")
        {
            Categories = ["cs.LG"], Published = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero),
        },
        new("2511.00004", 1, "A Survey of Protein Folding", [new("Bio Logist")], "Proteins fold; structure prediction from sequences.")
        {
            Categories = ["q-bio.BM"], Published = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero),
        },
    ];

    public static TestBot Offline(Dictionary<string, string?>? extra = null) =>
        TestBot.Create(services => services.AddSingleton<IPaperMetadataSource>(new FixedMetadataSource()), extra);

    /// <summary>The network sources point at the emulator for the feed; paper lookups stay offline (starter facts).</summary>
    public static TestBot WithFeed(PaperSourcesEmulator emulator, Dictionary<string, string?>? extra = null)
    {
        foreach (var f in FeedPapers)
        {
            emulator.Arxiv[f.Id] = f;
        }

        var settings = new Dictionary<string, string?>
        {
            ["Papers:Arxiv:BaseUrl"] = emulator.ArxivBaseUrl,
            ["Papers:Crossref:BaseUrl"] = emulator.CrossrefBaseUrl,
            ["Papers:OpenReview:BaseUrl"] = emulator.OpenReviewBaseUrl,
            ["Papers:SemanticScholar:BaseUrl"] = emulator.SemanticScholarBaseUrl,
            ["Papers:AllowPrivateAddresses"] = "true",
            ["Papers:Arxiv:MinIntervalSeconds"] = "0",
            ["Recommendations:Feed:Enabled"] = "true",
            ["Recommendations:Feed:Categories"] = "cs.LG,cs.CL,cs.CV",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return TestBot.Create(services =>
        {
            services.AddPaperSources(configuration);
            services.AddArxivPaperFeed(configuration);
            services.AddSingleton<IPaperMetadataSource>(new FixedMetadataSource());
        }, settings);
    }

    /// <summary>Adds every starter classic in roadmap order (#1 AlexNet, #2 VGG, #3 GoogLeNet, #4 ResNet, …).</summary>
    public static async Task AddStarterLibraryAsync(TestBot bot)
    {
        foreach (var paper in StarterRoadmap.Papers)
        {
            var reply = await bot.TextAsync($"paper add {paper.Reference}", "admin", moderator: true);
            Assert.StartsWith("Added #", reply, StringComparison.Ordinal);
        }
    }

    public static Task PassAsync(TestBot bot) => bot.Get<RecommendationEngine>().RunOnceAsync(CancellationToken.None);

    public static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
