using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Core.Tests.Follows;

/// <summary>
/// /follow and /unfollow through the dispatcher, arXiv searched over the emulator through the real client and gate,
/// and the refresh's matches in /follow news and the weekly digest.
/// </summary>
public sealed class FollowCommandTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;
    private TestBot bot = null!;

    public async Task InitializeAsync()
    {
        emulator = await PaperSourcesEmulator.StartAsync();
        emulator.AddArxiv(ArxivFixture.Following);
        bot = PaperTesting.Bot(emulator, new()
        {
            ["Follow:LookbackDays"] = "30",
            ["Recommendations:Feed:Enabled"] = "true",
            ["Recommendations:Feed:Categories"] = "cs.LG,cs.AI",
        });
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await emulator.DisposeAsync();
    }

    private GroupId Group => bot.Get<IGroupStore>().All().Single().Id;

    private Task<FollowRefreshResult> RefreshAsync() => bot.Get<FollowRefresher>().RefreshAsync(CancellationToken.None);

    [Fact]
    public async Task Following_an_author_saves_it_and_previews_their_latest_three_with_add_buttons()
    {
        var reply = Assert.IsType<ListReply>(await bot.SendAsync("follow author Y. LeCun"));

        Assert.Equal("You now follow Y. LeCun — their latest on arXiv", reply.Title);
        Assert.Equal(["Hierarchical Planning with Learned World Models", "Joint Embedding Predictive Architectures Revisited", "Energy-Based Models for Self-Supervised Vision"],
            reply.Items.Select(i => i.Text[..i.Text.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Equal("paper add 2611.03003", reply.Items[0].Button!.CommandLine);
        Assert.True(reply.Ephemeral);
        Assert.Equal(FollowKind.Author, Assert.Single(bot.Get<IFollowStore>().ForOwner(Group, "alice")).Kind);
    }

    [Fact]
    public async Task The_preview_tells_namesakes_apart_by_their_fields()
    {
        var text = await bot.TextAsync("follow author Wei Wang");

        Assert.Contains("Spin Chains at Low Temperature", text, StringComparison.Ordinal);
        Assert.Contains("[cond-mat.str-el]", text, StringComparison.Ordinal);
        Assert.Contains("Sparse Autoencoders Find Interpretable Features", text, StringComparison.Ordinal);
        Assert.Contains("Not the person you meant? /unfollow author Wei Wang", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_spelling_of_a_followed_name_is_the_same_follow()
    {
        await bot.SendAsync("follow author Yann LeCun");

        var again = Assert.IsType<ErrorReply>(await bot.SendAsync("follow author Yann Le Cun"));

        Assert.Equal("You already follow Yann LeCun.", again.Message);
        Assert.Single(bot.Get<IFollowStore>().ForOwner(Group, "alice"));
    }

    [Fact]
    public async Task Following_for_the_group_is_for_moderators_only_and_changes_nothing_otherwise()
    {
        var refused = Assert.IsType<ErrorReply>(await bot.SendAsync("follow author Yann LeCun group", "bob"));
        await bot.SendAsync("follow topic diffusion group", "bob");

        Assert.StartsWith("Only moderators can follow for the whole group", refused.Message, StringComparison.Ordinal);
        Assert.Empty(bot.Get<IFollowStore>().All());

        var accepted = Assert.IsType<ListReply>(await bot.SendAsync("follow author Yann LeCun group", "mod", moderator: true));
        Assert.StartsWith("The group now follows Yann LeCun", accepted.Title, StringComparison.Ordinal);
        Assert.False(accepted.Ephemeral);
        Assert.Equal(Follow.GroupOwner, Assert.Single(bot.Get<IFollowStore>().All()).Owner);
    }

    [Fact]
    public async Task Topics_are_followed_listed_and_unfollowed_by_any_spelling()
    {
        var followed = await bot.TextAsync("follow topic sparse Autoencoders -vision");
        var list = Assert.IsType<ListReply>(await bot.SendAsync("follow"));
        var unfollowed = await bot.TextAsync("unfollow topic autoencoder SPARSE -Vision");

        Assert.StartsWith("You now follow the topic sparse autoencoder -vision", followed, StringComparison.Ordinal);
        Assert.Equal("topic: sparse autoencoder -vision", Assert.Single(list.Items).Text);
        Assert.Equal("unfollow topic sparse autoencoder -vision", list.Items[0].Button!.CommandLine);
        Assert.Equal("You no longer follow sparse autoencoder -vision.", unfollowed);
        Assert.Empty(bot.Get<IFollowStore>().All());
    }

    [Fact]
    public async Task Bad_follows_get_one_line_and_save_nothing()
    {
        Assert.StartsWith("Give at least one word", Assert.IsType<ErrorReply>(await bot.SendAsync("follow topic -medical")).Message, StringComparison.Ordinal);
        Assert.StartsWith("\"123\" is not a name", Assert.IsType<ErrorReply>(await bot.SendAsync("follow author 123")).Message, StringComparison.Ordinal);
        Assert.StartsWith("You do not follow the author", Assert.IsType<ErrorReply>(await bot.SendAsync("unfollow author Geoffrey Hinton")).Message, StringComparison.Ordinal);
        Assert.Empty(bot.Get<IFollowStore>().All());
    }

    [Fact]
    public async Task A_member_may_follow_only_so_many()
    {
        using var limited = PaperTesting.Bot(emulator, new() { ["Follow:MaxPerMember"] = "2" });
        await limited.SendAsync("follow topic alpha");
        await limited.SendAsync("follow topic beta");

        var third = Assert.IsType<ErrorReply>(await limited.SendAsync("follow topic gamma"));

        Assert.StartsWith("You follow 2 authors and topics already", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_papers_of_followed_authors_reach_news_and_the_digest_once_across_refreshes()
    {
        await bot.SendAsync("follow author Yann LeCun group", "mod", moderator: true);
        await bot.SendAsync("follow author Bernhard Schölkopf", "alice");

        var first = await RefreshAsync();
        var second = await RefreshAsync();

        Assert.Equal(4, first.NewMatches);
        Assert.Equal(0, second.NewMatches);
        // After the two previews, one batched request a refresh: both authors in one search_query.
        Assert.Equal(4, emulator.ArxivSearches.Count);
        Assert.All(emulator.ArxivSearches.Skip(2), q => Assert.Equal("(au:le_cun OR au:lecun OR au:scholkopf)", q));

        var news = Assert.IsType<ListReply>(await bot.SendAsync("follow news", "alice"));
        Assert.Equal(4, news.Items.Count);
        Assert.Contains(news.Items, i => i.Text == "Kernel Methods for Causal Inference — by Bernhard Schölkopf");
        Assert.Equal(3, Assert.IsType<ListReply>(await bot.SendAsync("follow news", "bob")).Items.Count);

        // Not for alice: hidden from her list, still in bob's and in the group's digest.
        await bot.SendAsync("dislike 2611.02002", "alice");
        Assert.DoesNotContain(Assert.IsType<ListReply>(await bot.SendAsync("follow news", "alice")).Items, i => i.Text.StartsWith("Joint Embedding", StringComparison.Ordinal));
        Assert.Equal(3, Assert.IsType<ListReply>(await bot.SendAsync("follow news", "bob")).Items.Count);

        var digest = await CloseWeekAsync();
        var section = digest[digest.IndexOf("New from who and what you follow", StringComparison.Ordinal)..];
        Assert.Equal(1, Count(section, "Joint Embedding Predictive Architectures Revisited"));
        Assert.Contains("(by Yann LeCun) — add it with /paper add 2611.02002", section, StringComparison.Ordinal);
        // The member's own follow is theirs, not the group's.
        Assert.DoesNotContain("Kernel Methods", section, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Processes_sharing_a_store_refresh_once_a_period_and_a_restart_inside_one_asks_arxiv_nothing()
    {
        await bot.SendAsync("follow author Yann LeCun", "alice");
        var searches = emulator.ArxivSearches.Count;
        // Two refreshers on the same stores: two bot processes on one PostgreSQL, or one process before and after a restart.
        var one = bot.Get<FollowRefresher>();
        var other = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<FollowRefresher>(bot.Services);

        var first = await one.RefreshOncePerPeriodAsync(CancellationToken.None);
        var meanwhile = await other.RefreshOncePerPeriodAsync(CancellationToken.None);
        var again = await one.RefreshOncePerPeriodAsync(CancellationToken.None);

        Assert.Equal(3, first!.NewMatches);
        Assert.Null(meanwhile);
        Assert.Null(again);
        Assert.Equal(searches + 1, emulator.ArxivSearches.Count);

        var next = one.NextPeriodStart(bot.Time.GetUtcNow());
        Assert.Equal(next, other.NextPeriodStart(bot.Time.GetUtcNow()));
        Assert.True(next > bot.Time.GetUtcNow() && next - bot.Time.GetUtcNow() <= TimeSpan.FromHours(6));
        bot.Time.SetUtcNow(next);

        Assert.NotNull(await other.RefreshOncePerPeriodAsync(CancellationToken.None));
        Assert.Null(await one.RefreshOncePerPeriodAsync(CancellationToken.None));
        Assert.Equal(searches + 2, emulator.ArxivSearches.Count);
    }

    [Fact]
    public async Task Topics_match_the_feed_and_author_papers_with_exclusions_and_say_which_words_matched()
    {
        await bot.Get<RecommendationEngine>().RunOnceAsync(CancellationToken.None);
        // 2611.03003's abstract says it is "not about sparse autoencoders": words, not meaning, so exclude it by word.
        await bot.SendAsync("follow topic sparse autoencoder -causal -planning", "alice");
        await bot.SendAsync("follow topic \"world model\" group", "mod", moderator: true);

        var result = await RefreshAsync();

        Assert.Equal(3, result.NewMatches);
        var news = Assert.IsType<ListReply>(await bot.SendAsync("follow news", "alice"));
        Assert.Equal("Sparse Autoencoders Find Interpretable Features — topic: sparse, autoencoder",
            Assert.Single(news.Items, i => i.Text.StartsWith("Sparse", StringComparison.Ordinal)).Text);
        Assert.DoesNotContain(news.Items, i => i.Text.StartsWith("Kernel Methods", StringComparison.Ordinal));
        Assert.Contains(news.Items, i => i.Text == "Joint Embedding Predictive Architectures Revisited — topic: \"world model\"");
    }

    [Fact]
    public async Task Leaving_the_group_takes_its_follows_and_matches_along()
    {
        await bot.SendAsync("follow author Yann LeCun", "alice");
        await RefreshAsync();
        Assert.NotEmpty(bot.Get<IFollowStore>().Matches(Group, "alice", DateTimeOffset.MinValue));

        bot.Get<ITenantDataStore>().RemoveWorkspace(TestBot.LocalGroup.Platform, TestBot.LocalGroup.Workspace);

        Assert.Empty(bot.Get<IFollowStore>().All());
    }

    [Fact]
    public async Task Members_who_asked_get_their_weekly_list_by_direct_message_once_and_closed_dms_turn_it_off()
    {
        Assert.Contains("follow-dm", await bot.TextAsync("settings follow-dm on", "alice"), StringComparison.Ordinal);
        await bot.SendAsync("settings follow-dm on", "bob");
        await bot.SendAsync("follow author Yann LeCun", "alice");
        await bot.SendAsync("follow author Bernhard Schölkopf", "bob");
        await bot.SendAsync("follow author Wei Wang", "carol");
        bot.Outbound.ClosedDirectMessages.Add("bob");
        await RefreshAsync();

        await CloseWeekAsync();
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        var direct = Assert.Single(bot.Outbound.Posts, p => p.DirectTo is not null);
        Assert.Equal("alice", direct.DirectTo);
        var list = Assert.IsType<ListReply>(direct.Content);
        Assert.Equal(3, list.Items.Count);
        Assert.All(list.Items, i => Assert.StartsWith("paper add ", i.Button!.CommandLine, StringComparison.Ordinal));
        Assert.Equal("off", bot.Get<IMemberStore>().Find(Group, "bob")!.Setting(Core.Settings.SettingCatalogue.FollowDm));
    }

    private async Task<string> CloseWeekAsync()
    {
        bot.Time.SetUtcNow(WeeklySchedule.ToInstant(WeekKey.Of(bot.Time.GetUtcNow(), TimeZoneInfo.Utc).Monday.AddDays(6), new TimeOnly(20, 0), TimeZoneInfo.Utc));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        return Assert.IsType<CardReply>(await bot.SendAsync("digest")).Card.Body!;
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
