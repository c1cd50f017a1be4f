using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using static ReadingBot.Core.Tests.Recommendations.RecommendationTesting;

namespace ReadingBot.Core.Tests.Recommendations;

/// <summary>/dislike: a negative example for the member's model, hidden from their lists, and undone by a second /dislike.</summary>
public sealed class DislikeTests
{
    private static string Label(ListItem item) => item.Text[..item.Text.IndexOf(' ', StringComparison.Ordinal)];

    [Fact]
    public async Task A_dislike_hides_the_paper_and_changes_the_next_recommendations_and_a_second_takes_it_back()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        foreach (var n in new[] { "#2", "#3", "#4" })
        {
            await bot.TextAsync($"like {n}");
        }

        await PassAsync(bot);
        var before = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));
        var top = Label(before.Items[0]);

        var noted = await bot.TextAsync($"dislike {top}");
        await PassAsync(bot);
        var after = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));

        Assert.StartsWith($"Noted: {top} ", noted, StringComparison.Ordinal);
        Assert.DoesNotContain(after.Items, i => Label(i) == top);
        Assert.NotEqual(before.Items.Select(Label).Where(l => l != top).Take(5), after.Items.Select(Label).Take(5));
        Assert.Contains(top, bot.Get<IDislikeStore>().ForMember(RecommendCommandTests.TestBotGroup(bot), "alice").Select(k => bot.Get<Core.Papers.LibraryService>().FindByKey(RecommendCommandTests.TestBotGroup(bot), k)!.Label));

        // Another member's recommendations are untouched by alice's dislike.
        await bot.TextAsync("like #2", "bob");
        await bot.TextAsync("like #3", "bob");
        await bot.TextAsync("like #4", "bob");
        await PassAsync(bot);
        Assert.Contains(Assert.IsType<ListReply>(await bot.SendAsync("recommend", "bob")).Items, i => Label(i) == top);

        Assert.StartsWith("Took back your dislike", await bot.TextAsync($"dislike {top}"), StringComparison.Ordinal);
        await PassAsync(bot);
        Assert.Contains(Assert.IsType<ListReply>(await bot.SendAsync("recommend")).Items, i => Label(i) == top);
    }

    [Fact]
    public async Task Disliking_a_liked_paper_takes_the_like_back_and_a_bad_reference_is_one_line()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2");

        await bot.TextAsync("dislike #2");

        Assert.Empty(bot.Get<ILikeStore>().ForMember(RecommendCommandTests.TestBotGroup(bot), "alice"));
        Assert.IsType<ErrorReply>(await bot.SendAsync("dislike #999"));
        Assert.IsType<ErrorReply>(await bot.SendAsync("dislike not-a-paper"));
    }

    [Fact]
    public async Task Follow_matches_are_ordered_by_the_members_trained_model_and_kept_in_order_without_one()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        foreach (var n in new[] { "#2", "#3", "#4" })
        {
            await bot.TextAsync($"like {n}");
        }

        await PassAsync(bot);
        await bot.SendAsync("recommend");
        await PassAsync(bot);
        var group = RecommendCommandTests.TestBotGroup(bot);
        (string Key, string? Title)[] papers = [("arxiv:2612.00001", "Protein structure prediction with language models"), ("arxiv:2612.00002", "Very deep convolutional networks for large-scale image recognition")];

        var ranked = bot.Get<RecommendationEngine>().RankByModel(group, "alice", papers, p => p);
        var unranked = bot.Get<RecommendationEngine>().RankByModel(group, "nobody", papers, p => p);

        Assert.Equal("arxiv:2612.00002", ranked[0].Key);
        Assert.Equal(papers, unranked);
    }
}
