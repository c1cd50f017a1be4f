using ReadingBot.Core.Papers;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using static ReadingBot.Core.Tests.Recommendations.RecommendationTesting;

namespace ReadingBot.Core.Tests.Recommendations;

public sealed class EngineUpdateTests
{
    [Fact]
    public async Task Papers_added_between_refits_are_folded_in_with_the_same_vocabulary_and_recommended()
    {
        using var bot = Offline(new() { ["Recommendations:AlwaysRefitBelow"] = "0", ["Recommendations:RefitGrowth"] = "10" });
        await AddStarterLibraryAsync(bot);
        await PassAsync(bot);
        var engine = bot.Get<RecommendationEngine>();
        var version = engine.Snapshot.Space!.Version;
        await bot.TextAsync("like #2");
        await bot.TextAsync("like #4");

        Assert.StartsWith("Added #31", await bot.TextAsync("paper add 2501.00002", "admin"), StringComparison.Ordinal);
        await PassAsync(bot);
        Assert.Equal(31, engine.Snapshot.Keys.Count);
        var papers = bot.Get<IPaperStore>();
        papers.Save(papers.Find("arxiv:2501.00002")! with
        {
            Title = "Very Deep Convolutional Residual Networks for Image Recognition",
            Abstract = "Stacking small convolutions and identity shortcuts makes very deep networks accurate for image recognition.",
            State = MetadataState.Resolved,
        });
        await PassAsync(bot);

        Assert.Equal(version, engine.Snapshot.Space!.Version);
        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));
        Assert.StartsWith("#31 Very Deep Convolutional Residual Networks", reply.Items[0].Text, StringComparison.Ordinal);
        Assert.Contains(" — because: ", reply.Items[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_paper_is_re_read_once_its_metadata_arrives()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        Assert.StartsWith("Added #31", await bot.TextAsync("paper add 2501.00001"), StringComparison.Ordinal);
        await PassAsync(bot);
        Assert.Contains("has no title or abstract to compare yet", await bot.TextAsync("similar #31"), StringComparison.Ordinal);

        var papers = bot.Get<IPaperStore>();
        papers.Save(papers.Find("arxiv:2501.00001")! with
        {
            Title = "Residual Networks for Image Recognition Revisited",
            Abstract = "Identity shortcuts let very deep convolutional networks train well on image recognition.",
            State = MetadataState.Resolved,
        });
        await PassAsync(bot);

        var similar = Assert.IsType<ListReply>(await bot.SendAsync("similar #31"));
        Assert.StartsWith("#4 Deep Residual Learning", similar.Items[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pass_with_nothing_new_keeps_the_published_snapshot()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("paper add 2501.00003");
        await PassAsync(bot);
        var engine = bot.Get<RecommendationEngine>();
        var first = engine.Snapshot;

        await PassAsync(bot);

        Assert.Same(first, engine.Snapshot);
    }
}
