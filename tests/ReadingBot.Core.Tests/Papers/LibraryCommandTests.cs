using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Papers;

public sealed class LibraryCommandTests : IDisposable
{
    private readonly FixedMetadataSource source = new();
    private readonly TestBot bot;

    public LibraryCommandTests()
    {
        bot = TestBot.Create(services => services.AddSingleton<IPaperMetadataSource>(source));
    }

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task Added_papers_get_consecutive_group_numbers()
    {
        await bot.SendAsync("/paper add 1706.03762 Attention Is All You Need");
        await bot.SendAsync("/paper add https://papers.nips.cc/paper/4824-imagenet ImageNet Classification");

        var list = Assert.IsType<ListReply>(await bot.SendAsync("/paper list"));

        // 1706.03762 is a starter-roadmap classic, so its year is known even offline.
        Assert.Equal(["#1 Attention Is All You Need (2017) — arXiv:1706.03762 [metadata pending]", "#2 ImageNet Classification [metadata pending]"], list.Items.Select(i => i.Text));
    }

    [Fact]
    public async Task Metadata_from_the_source_wins_over_the_given_title()
    {
        source.Answers["arxiv:1706.03762"] = new MetadataResult.Found(Paper.Pending(PaperRefParser.Parse("1706.03762").Reference!) with
        {
            Title = "Attention Is All You Need",
            Authors = ["Ashish Vaswani", "Noam Shazeer"],
            Year = 2017,
            Abstract = "The dominant sequence transduction models are based on complex recurrent networks.",
        });

        var reply = Assert.IsType<CardReply>(await bot.SendAsync("/paper add arXiv:1706.03762v5 my title"));

        Assert.Equal("Added #1: Attention Is All You Need", reply.Card.Title);
        Assert.Contains("Ashish Vaswani", reply.Card.Subtitle, StringComparison.Ordinal);
        Assert.Null(reply.Card.Footer);
    }

    [Fact]
    public async Task Every_version_and_form_of_one_arxiv_paper_is_one_library_entry()
    {
        await bot.SendAsync("/paper add 1706.03762");

        var again = await bot.TextAsync("/paper add https://arxiv.org/pdf/1706.03762v7.pdf");

        Assert.StartsWith("Already in the library as #1", again, StringComparison.Ordinal);
        Assert.Contains("1 paper)", await bot.TextAsync("/paper list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paper_the_source_does_not_know_is_not_added()
    {
        source.Answers["arxiv:1706.99999"] = new MetadataResult.NotFound("arXiv has no paper with this id");

        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync("/paper add 1706.99999"));

        Assert.Contains("arXiv has no paper", reply.Message, StringComparison.Ordinal);
        Assert.Contains("empty", await bot.TextAsync("/paper list"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/paper show #7", "There is no paper #7")]
    [InlineData("/paper show 1706.03762", "is not in the library yet")]
    [InlineData("/paper add 1706.0376", "is not an arXiv id")]
    [InlineData("/paper list 3", "There is no page 3")]
    public async Task Unknown_and_malformed_papers_get_a_clear_error(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task Show_finds_a_paper_by_number_or_by_any_reference()
    {
        await bot.SendAsync("/paper add 1706.03762 Attention Is All You Need");

        var byNumber = Assert.IsType<CardReply>(await bot.SendAsync("/paper show #1"));
        var byUrl = Assert.IsType<CardReply>(await bot.SendAsync("/paper show https://arxiv.org/abs/1706.03762v2"));

        Assert.Equal("#1 Attention Is All You Need", byNumber.Card.Title);
        Assert.Equal(byNumber.Card.Title, byUrl.Card.Title);
        Assert.Contains(byNumber.Card.Fields, f => f.Name == "Added" && f.Value.Contains("alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_never_see_each_others_library()
    {
        var other = new GroupAddress(Platforms.Discord, "guild-2");
        await bot.SendAsync("/paper add 1706.03762 Attention");

        var theirs = await bot.TextAsync("/paper list", group: other);
        var show = await bot.TextAsync("/paper show #1", group: other);

        Assert.Contains("empty", theirs, StringComparison.Ordinal);
        Assert.StartsWith("Error: There is no paper #1", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_does_not_answer_in_time_leaves_the_paper_pending()
    {
        using var slow = TestBot.Create(services => services.AddSingleton<IPaperMetadataSource>(new HangingSource()),
            new Dictionary<string, string?> { ["Library:FetchTimeoutSeconds"] = "0.2" });

        var reply = Assert.IsType<CardReply>(await slow.SendAsync("/paper add 10.1145/3065386 ImageNet classification"));

        Assert.Contains("Metadata pending", reply.Card.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untitled_pending_paper_is_called_by_its_arxiv_id_everywhere_until_its_title_arrives()
    {
        await bot.SendAsync("/paper add https://arxiv.org/abs/2104.00001v2");
        await bot.SendAsync("/week pick #1", "mod", moderator: true);

        var surfaces = await SurfacesAsync();

        Assert.Contains("#1 arXiv:2104.00001 [metadata pending]", surfaces.List, StringComparison.Ordinal);
        Assert.Contains("#1 arXiv:2104.00001", surfaces.Week, StringComparison.Ordinal);
        Assert.Contains("Reading group: #1 arXiv:2104.00001", surfaces.Calendar, StringComparison.Ordinal);
        Assert.Contains("title = {{arXiv}:2104.00001}", surfaces.BibTex, StringComparison.Ordinal);
        foreach (var text in new[] { surfaces.List, surfaces.Week, surfaces.Calendar })
        {
            Assert.DoesNotContain("#1 https://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Reading group: #1 https://", text, StringComparison.Ordinal);
        }

        source.Answers["arxiv:2104.00001"] = new MetadataResult.Found(Paper.Pending(PaperRefParser.Parse("2104.00001").Reference!) with { Title = "A Title That Arrived Later", Year = 2021 });
        bot.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await bot.Get<PendingPaperRefresher>().RefreshDueAsync(10, CancellationToken.None));

        var after = await SurfacesAsync();
        Assert.Contains("#1 A Title That Arrived Later (2021) — arXiv:2104.00001", after.List, StringComparison.Ordinal);
        Assert.Contains("#1 A Title That Arrived Later", after.Week, StringComparison.Ordinal);
        Assert.Contains("Reading group: #1 A Title That Arrived Later", after.Calendar, StringComparison.Ordinal);
        Assert.Contains("{A Title That Arrived Later}", after.BibTex, StringComparison.Ordinal);
        Assert.DoesNotContain("{arXiv}:", after.BibTex, StringComparison.Ordinal);
    }

    private async Task<(string List, string Week, string Calendar, string BibTex)> SurfacesAsync()
    {
        var list = await bot.TextAsync("/paper list");
        var week = await bot.TextAsync("/week");
        var ics = System.Text.Encoding.UTF8.GetString(Assert.IsType<FileReply>(await bot.SendAsync("/export ics")).Content);
        var bib = System.Text.Encoding.UTF8.GetString(Assert.IsType<FileReply>(await bot.SendAsync("/export bibtex")).Content);
        return (list, week, ics, bib);
    }

    [Fact]
    public async Task A_pending_record_merged_away_while_the_refresher_waits_is_not_stored_again()
    {
        const string link = "https://example.org/alexnet";
        var merging = new MergingSource();
        using var other = TestBot.Create(services => services.AddSingleton<IPaperMetadataSource>(merging));
        await other.SendAsync($"/paper add {link} AlexNet");
        var doi = Paper.Pending(PaperRefParser.Parse("10.1145/3065386").Reference!) with { Title = "ImageNet classification", State = MetadataState.Resolved };
        // While the refresher waits for the source, another add finds that the link is the DOI's paper and merges them.
        merging.WhileFetching = () => other.Get<IPaperIdentityStore>().Merge(doi, "url:" + link);

        other.Time.Advance(TimeSpan.FromHours(1));
        await other.Get<PendingPaperRefresher>().RefreshDueAsync(10, CancellationToken.None);

        Assert.Null(other.Get<IPaperStore>().Find("url:" + link));
        Assert.Equal("doi:10.1145/3065386", other.Get<ILibraryStore>().FindByNumber(TestBot.LocalGroup.Id, 1)!.PaperKey);
    }

    private sealed class MergingSource : IPaperMetadataSource
    {
        public Action? WhileFetching { get; set; }

        public Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
        {
            if (WhileFetching is not { } merge)
            {
                return Task.FromResult<MetadataResult>(new MetadataResult.Unavailable("offline in this test"));
            }

            merge();
            return Task.FromResult<MetadataResult>(new MetadataResult.Found(Paper.Pending(reference) with { Title = "ImageNet Classification", State = MetadataState.Resolved }));
        }
    }

    private sealed class HangingSource : IPaperMetadataSource
    {
        public async Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}

public sealed class ModerationAndSettingsTests : IDisposable
{
    private readonly TestBot bot = TestBot.Create();

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task A_member_cannot_change_a_group_setting_and_nothing_changes()
    {
        var refused = await bot.TextAsync("/settings timezone Europe/Berlin", "bob");

        Assert.Equal("Error: Only moderators can change timezone. Ask a moderator of this group.", refused);
        Assert.Contains("timezone = Etc/UTC", await bot.TextAsync("/settings timezone", "bob"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_moderator_can_change_the_time_zone()
    {
        var changed = await bot.TextAsync("/settings timezone Europe/Berlin", "carol", moderator: true);

        Assert.Equal("timezone is now Europe/Berlin.", changed);
        Assert.Contains("timezone = Europe/Berlin", await bot.TextAsync("/settings"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_listed_in_the_moderators_setting_is_a_moderator()
    {
        await bot.SendAsync("/settings moderators bob,dave", "carol", moderator: true);

        Assert.Equal("channel is now reading.", await bot.TextAsync("/settings channel #reading", "bob"));
    }

    [Theory]
    [InlineData("/settings timezone Mars/Olympus", "is not an IANA time zone")]
    [InlineData("/settings timezone ../../etc/passwd", "is not an IANA time zone")]
    [InlineData("/settings colour blue", "There is no setting 'colour'")]
    [InlineData("/settings leaderboard maybe", "is not on or off")]
    public async Task Invalid_setting_values_are_refused(string line, string expected)
    {
        var reply = Assert.IsType<ErrorReply>(await bot.SendAsync(line, "carol", moderator: true));

        Assert.Contains(expected, reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_setting_is_the_members_own()
    {
        Assert.Equal("leaderboard is now off.", await bot.TextAsync("/settings leaderboard off", "bob"));

        Assert.Contains("leaderboard = off", await bot.TextAsync("/settings leaderboard", "bob"), StringComparison.Ordinal);
        Assert.Contains("leaderboard = on", await bot.TextAsync("/settings leaderboard", "alice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderator_only_command_is_refused_to_members_before_anything_runs()
    {
        var reply = await bot.TextAsync("/week pick #1", "bob");

        Assert.Equal("Error: /week pick is for moderators only. Ask a moderator of this group to run it.", reply);
    }

    [Fact]
    public async Task Help_lists_every_command_and_explains_one()
    {
        var all = Assert.IsType<ListReply>(await bot.SendAsync("/help"));
        var one = Assert.IsType<CardReply>(await bot.SendAsync("/help paper add"));

        Assert.Equal(bot.Get<ReadingBot.Core.Commands.CommandCatalogue>().All.Count, all.Items.Count);
        Assert.Equal("/paper add <ref> [title...]", one.Card.Title);
        Assert.IsType<ErrorReply>(await bot.SendAsync("/help nonsense"));
    }
}
