using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Papers;
using static ReadingBot.Core.Tests.Recommendations.RecommendationTesting;

namespace ReadingBot.Core.Tests.Recommendations;

public sealed class RecommendCommandTests
{
    [Fact]
    public async Task A_member_gets_recommendations_with_reasons_from_the_library_and_the_arxiv_feed()
    {
        await using var emulator = await PaperSourcesEmulator.StartAsync();
        using var bot = WithFeed(emulator);
        await AddStarterLibraryAsync(bot);
        foreach (var n in new[] { "#2", "#3", "#4" })
        {
            Assert.StartsWith("Liked", await bot.TextAsync($"like {n}"), StringComparison.Ordinal);
        }

        await PassAsync(bot);
        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));

        Assert.Equal("Recommended for alice", reply.Title);
        Assert.NotEmpty(reply.Items);
        Assert.All(reply.Items, i => Assert.Contains(" — because: ", i.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(reply.Items, i => i.Text.StartsWith("#2 ", StringComparison.Ordinal) || i.Text.StartsWith("#4 ", StringComparison.Ordinal));
        var feedItem = Assert.Single(reply.Items, i => i.Text.StartsWith("arXiv:2511.00001 ", StringComparison.Ordinal));
        Assert.Contains("/paper add 2511.00001", feedItem.Text, StringComparison.Ordinal);
        Assert.Equal("paper add 2511.00001", feedItem.Button!.CommandLine);
        Assert.True(reply.Items.ToList().IndexOf(feedItem) < 3, "the new convnet paper ranks near the top: " + string.Join(" | ", reply.Items.Select(i => i.Text)));
        Assert.DoesNotContain(reply.Items, i => i.Text.Contains("Protein", StringComparison.Ordinal));
        Assert.Contains("linear SVM trained on your 3 papers", reply.Footer, StringComparison.Ordinal);
        Assert.Equal(1, emulator.ArxivRequests.Count(r => r.Query.Contains("search_query=cat", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_like_retrains_the_member_model_in_the_background_and_the_centroid_answers_meanwhile()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        foreach (var n in new[] { "#2", "#3", "#4" })
        {
            await bot.TextAsync($"like {n}");
        }

        await PassAsync(bot);
        var trained = Assert.IsType<ListReply>(await bot.SendAsync("recommend me"));
        Assert.Contains("linear SVM trained on your 3 papers", trained.Footer, StringComparison.Ordinal);
        Assert.All(trained.Items, i => Assert.Contains(" — because: ", i.Text, StringComparison.Ordinal));

        await bot.TextAsync("like #18");
        var meanwhile = Assert.IsType<ListReply>(await bot.SendAsync("recommend me"));
        Assert.Contains("similarity to your 4 papers; a trained model replaces this shortly", meanwhile.Footer, StringComparison.Ordinal);
        Assert.DoesNotContain(meanwhile.Items, i => i.Text.StartsWith("#18 ", StringComparison.Ordinal));

        await PassAsync(bot);
        var retrained = Assert.IsType<ListReply>(await bot.SendAsync("recommend me"));
        Assert.Contains("linear SVM trained on your 4 papers", retrained.Footer, StringComparison.Ordinal);
        Assert.NotEmpty(retrained.Items);
        Assert.Equal(0, bot.Get<RecommendationEngine>().PendingTraining);
    }

    [Fact]
    public async Task The_group_gets_recommendations_from_everyones_likes_suggestions_and_votes()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2", "alice");
        await bot.TextAsync("paper suggest #4 residuals", "bob");
        await bot.TextAsync("paper vote #4", "carol");
        await PassAsync(bot);

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend group", "dave"));

        Assert.Equal("Recommended for the group", reply.Title);
        Assert.Contains("the group's 2 papers", reply.Footer, StringComparison.Ordinal);
        Assert.DoesNotContain(reply.Items, i => i.Text.StartsWith("#2 ", StringComparison.Ordinal) || i.Text.StartsWith("#4 ", StringComparison.Ordinal));
        Assert.All(reply.Items, i => Assert.Contains(" — because: ", i.Text, StringComparison.Ordinal));
        Assert.NotEmpty(bot.Get<RecommendationService>().ForDigest(TestBotGroup(bot)));
    }

    [Fact]
    public async Task Similar_papers_are_the_nearest_by_cosine_with_shared_terms()
    {
        await using var emulator = await PaperSourcesEmulator.StartAsync();
        using var bot = WithFeed(emulator);
        await AddStarterLibraryAsync(bot);
        await PassAsync(bot);

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("similar #4"));

        Assert.StartsWith("Similar to #4 Deep Residual Learning", reply.Title, StringComparison.Ordinal);
        Assert.NotEmpty(reply.Items);
        Assert.Contains(reply.Items.Take(4), i => i.Text.Contains("image recognition", StringComparison.Ordinal));
        Assert.DoesNotContain(reply.Items, i => i.Text.StartsWith("#4 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Trending_shows_what_the_group_liked_and_voted_for_lately()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #5", "alice");
        await bot.TextAsync("like #5", "bob");
        await bot.TextAsync("like #6", "carol");

        var service = bot.Get<RecommendationService>();
        var rising = service.Trending(TestBotGroup(bot));

        Assert.Equal(5, rising[0].Number);
        Assert.Equal(2, rising[0].Members);
        Assert.StartsWith("Rising: #5 Deep learning (2 members); #6", service.RisingLine(TestBotGroup(bot)), StringComparison.Ordinal);

        await bot.TextAsync("week pick #5", "mod", moderator: true);
        Assert.StartsWith("Rising: #6", service.RisingLine(TestBotGroup(bot)), StringComparison.Ordinal);
        bot.Time.Advance(TimeSpan.FromDays(40));
        Assert.Null(service.RisingLine(TestBotGroup(bot)));
    }

    [Fact]
    public async Task The_suggestion_queue_ends_with_a_rising_line()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("paper suggest #7 autoencoders", "alice");
        await bot.TextAsync("paper vote #7", "bob");
        await bot.TextAsync("like #7", "carol");

        var queue = Assert.IsType<ListReply>(await bot.SendAsync("paper queue"));

        Assert.Equal("Ranked by votes, then by age.\nRising: #7 Reducing the Dimensionality of Data with Neural Networks (3 members)", queue.Footer);
    }

    internal static Core.Groups.GroupId TestBotGroup(ReadingBot.TestSupport.TestBot bot) =>
        bot.Get<Core.Groups.IGroupStore>().All().Single().Id;
}
