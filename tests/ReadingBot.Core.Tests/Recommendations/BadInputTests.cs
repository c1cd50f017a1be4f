using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using static ReadingBot.Core.Tests.Recommendations.RecommendationTesting;

namespace ReadingBot.Core.Tests.Recommendations;

public sealed class BadInputTests
{
    [Fact]
    public async Task An_empty_library_gets_a_clear_answer_and_the_start_of_the_roadmap()
    {
        using var bot = Offline();
        await PassAsync(bot);

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));

        Assert.Contains("The library is empty", reply.Footer, StringComparison.Ordinal);
        Assert.Equal(3, reply.Items.Count);
        Assert.All(reply.Items, i => Assert.StartsWith("Roadmap (", i.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_member_with_no_signal_is_told_so_and_gets_the_groups_picks_and_the_roadmap()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2", "alice");
        await bot.TextAsync("like #3", "alice");
        await PassAsync(bot);

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend", "newcomer"));

        Assert.StartsWith("You have no signal yet", reply.Footer, StringComparison.Ordinal);
        Assert.Contains(reply.Items, i => i.Text.StartsWith("Group's taste: #", StringComparison.Ordinal));
        Assert.Contains(reply.Items, i => i.Text.StartsWith("Roadmap (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Liking_an_unknown_paper_says_how_to_find_one_and_stores_nothing()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);

        var byNumber = Assert.IsType<ErrorReply>(await bot.SendAsync("like #99"));
        var byId = Assert.IsType<ErrorReply>(await bot.SendAsync("like 2401.00001"));
        var nonsense = Assert.IsType<ErrorReply>(await bot.SendAsync("like ???"));

        Assert.StartsWith("There is no paper #99", byNumber.Message, StringComparison.Ordinal);
        Assert.Contains("is not in the library yet. Add it with /paper add 2401.00001", byId.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(nonsense.Message));
        Assert.Empty(bot.Get<ILikeStore>().ForGroup(RecommendCommandTests.TestBotGroup(bot)));
    }

    [Fact]
    public async Task A_like_toggles_and_is_stored_per_member()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);

        Assert.StartsWith("Liked #2 Very Deep", await bot.TextAsync("like #2", "alice"), StringComparison.Ordinal);
        Assert.StartsWith("Liked #2", await bot.TextAsync("like #2", "bob"), StringComparison.Ordinal);
        Assert.StartsWith("Took back your like of #2", await bot.TextAsync("like #2", "alice"), StringComparison.Ordinal);

        var likes = bot.Get<ILikeStore>();
        var group = RecommendCommandTests.TestBotGroup(bot);
        Assert.Empty(likes.ForMember(group, "alice"));
        Assert.Equal("bob", Assert.Single(likes.ForGroup(group)).UserId);
    }

    [Fact]
    public async Task A_paper_with_no_title_or_abstract_cannot_be_compared_yet_and_breaks_nothing()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        Assert.StartsWith("Added #31", await bot.TextAsync("paper add https://example.org/notes/some-pdf A paper with only a link"), StringComparison.Ordinal);
        Assert.Contains("not indexed for recommendations yet", await bot.TextAsync("similar #31"), StringComparison.Ordinal);
        await PassAsync(bot);

        Assert.Contains("has no title or abstract to compare yet", await bot.TextAsync("similar #31"), StringComparison.Ordinal);
        await bot.TextAsync("like #31");
        await bot.TextAsync("like #2");
        Assert.IsType<ListReply>(await bot.SendAsync("recommend"));
        Assert.DoesNotContain(Assert.IsType<ListReply>(await bot.SendAsync("similar #2")).Items, i => i.Text.StartsWith("#31 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recommend_is_rate_limited_per_member_and_per_group()
    {
        using var bot = Offline(new() { ["Recommendations:MemberRequestsPerMinute"] = "2", ["Recommendations:GroupRequestsPerMinute"] = "3" });
        await AddStarterLibraryAsync(bot);
        await PassAsync(bot);

        Assert.IsType<ListReply>(await bot.SendAsync("recommend", "alice"));
        Assert.IsType<ListReply>(await bot.SendAsync("recommend", "alice"));
        var limited = Assert.IsType<ErrorReply>(await bot.SendAsync("recommend", "alice"));
        Assert.StartsWith("Recommendations are limited to 2 a minute for you", limited.Message, StringComparison.Ordinal);
        Assert.IsType<ListReply>(await bot.SendAsync("recommend", "bob"));
        Assert.IsType<ErrorReply>(await bot.SendAsync("recommend", "carol"));

        bot.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.IsType<ListReply>(await bot.SendAsync("recommend", "alice"));
    }

    [Fact]
    public async Task With_recommendations_turned_off_likes_are_kept_and_the_commands_say_so()
    {
        using var bot = Offline(new() { ["Recommendations:Enabled"] = "false" });
        await AddStarterLibraryAsync(bot);

        Assert.StartsWith("Liked #2", await bot.TextAsync("like #2"), StringComparison.Ordinal);
        Assert.StartsWith("Recommendations are turned off", await bot.TextAsync("recommend"), StringComparison.Ordinal);
        Assert.StartsWith("Recommendations are turned off", await bot.TextAsync("similar #2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_first_background_pass_a_member_with_likes_is_told_they_are_being_indexed()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2");

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));

        Assert.StartsWith("Your 1 signal is still being indexed", reply.Footer, StringComparison.Ordinal);
        Assert.Contains(reply.Items, i => i.Text.StartsWith("Roadmap (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Similar_for_a_paper_outside_the_library_says_how_to_add_it()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await PassAsync(bot);

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("similar 2401.00001"));

        Assert.Contains("Add it with /paper add 2401.00001", reply.Message, StringComparison.Ordinal);
    }
}

public sealed class LikeStoreTests
{
    [Fact]
    public async Task Likes_are_group_owned_and_removed_with_the_workspace()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2", "alice");
        var group = RecommendCommandTests.TestBotGroup(bot);
        var address = bot.Get<Core.Groups.IGroupStore>().Find(group)!.Address;

        bot.Get<Core.Groups.ITenantDataStore>().RemoveWorkspace(address.Platform, address.Workspace);

        Assert.Empty(bot.Get<ILikeStore>().ForGroup(group));
    }

    [Fact]
    public async Task A_removed_group_disappears_from_the_features_on_the_next_pass()
    {
        using var bot = Offline();
        await AddStarterLibraryAsync(bot);
        await PassAsync(bot);
        var engine = bot.Get<RecommendationEngine>();
        var group = RecommendCommandTests.TestBotGroup(bot);
        Assert.Equal(30, engine.Snapshot.GroupRows[group].Length);
        var address = bot.Get<Core.Groups.IGroupStore>().Find(group)!.Address;

        bot.Get<Core.Groups.ITenantDataStore>().RemoveWorkspace(address.Platform, address.Workspace);
        await PassAsync(bot);

        Assert.False(engine.Snapshot.GroupRows.ContainsKey(group));
        Assert.Empty(engine.Snapshot.Keys);
    }
}

public sealed class FeedAndConfigurationTests
{
    [Fact]
    public async Task When_arxiv_is_down_the_library_alone_is_recommended_and_the_next_refresh_tries_again()
    {
        await using var emulator = await TestSupport.Papers.PaperSourcesEmulator.StartAsync();
        using var bot = WithFeed(emulator, new() { ["Papers:Arxiv:MaxRetries"] = "0" });
        await AddStarterLibraryAsync(bot);
        await bot.TextAsync("like #2");
        emulator.Down = true;
        await PassAsync(bot);

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("recommend"));
        Assert.NotEmpty(reply.Items);
        Assert.DoesNotContain(reply.Items, i => i.Text.StartsWith("arXiv:", StringComparison.Ordinal));

        emulator.Down = false;
        bot.Time.Advance(TimeSpan.FromHours(12));
        await PassAsync(bot);
        Assert.Contains(Assert.IsType<ListReply>(await bot.SendAsync("recommend")).Items, i => i.Text.StartsWith("arXiv:2511.", StringComparison.Ordinal));
    }
}
