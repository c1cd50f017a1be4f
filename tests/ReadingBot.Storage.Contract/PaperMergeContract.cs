using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Contract;

/// <summary>Merging two records of one paper on the real engine: everything follows the surviving key.</summary>
public abstract class PaperMergeContract : StoreContract
{
    private const string Removed = "url:https://papers.nips.cc/paper/4824-imagenet";
    private const string Survivor = "doi:10.1145/3065386";

    private readonly ILibraryStore library;
    private readonly IPaperIdentityStore identities;
    private readonly GroupId both;
    private readonly GroupId onlyRemoved;

    protected PaperMergeContract(Func<StoreSet> open)
        : base(open)
    {
        library = Stores.Library;
        identities = Stores.Identities;
        both = AddGroup("both").Id;
        onlyRemoved = AddGroup("only-removed").Id;
    }

    private static Paper Link() => Paper.Pending(PaperRefParser.Parse("https://papers.nips.cc/paper/4824-imagenet").Reference!) with
    {
        Title = "ImageNet Classification with Deep Convolutional Neural Networks", Venue = "NeurIPS", Year = 2012, Doi = "10.1145/3065386", State = MetadataState.Resolved,
    };

    private static Paper Doi() => Paper.Pending(PaperRefParser.Parse("10.1145/3065386").Reference!) with
    {
        Title = "ImageNet classification with deep convolutional neural networks", Doi = "10.1145/3065386", State = MetadataState.Resolved,
    };

    /// <summary>Group "both" has the link as #1 and the DOI as #2; group "only-removed" has only the link. Every feature has data on the link.</summary>
    private void StoreEverythingOnBothKeys()
    {
        library.Add(both, Link(), "alice", "AlexNet", null, At);
        library.Add(both, Doi(), "bob", null, null, At.AddMinutes(1));
        library.Add(onlyRemoved, Link(), "carol", null, null, At);

        var suggestions = Stores.Suggestions;
        suggestions.TryAdd(new Suggestion { Group = both, PaperKey = Removed, SuggestedBy = "alice", Why = "classic", SuggestedAt = At, Voters = ["alice", "bob"] });
        suggestions.TryAdd(new Suggestion { Group = both, PaperKey = Survivor, SuggestedBy = "bob", SuggestedAt = At.AddHours(1), Voters = ["bob", "dave"] });
        suggestions.TryAdd(new Suggestion { Group = onlyRemoved, PaperKey = Removed, SuggestedBy = "carol", SuggestedAt = At, Voters = ["carol"] });

        Stores.Plans.Save(new WeekPlan { Group = both, Week = Week, PaperKey = Removed, PickedBy = "mod", PickedAt = At });
        Stores.Discussion.Add(new DiscussionNote { Group = both, PaperKey = Removed, Week = Week, Author = "alice", Text = "the ReLU part", At = At });
        Stores.Wayr.AddPost(new WayrPost { Group = onlyRemoved, Week = Week, Number = 0, Author = "carol", PaperKey = Removed, Note = "reading", At = At });

        var progress = Stores.Progress;
        progress.Save(new ReadingProgress(both, "alice", Removed, ReadingPass.Done, At));
        progress.Save(new ReadingProgress(both, "alice", Survivor, ReadingPass.Pass1, At.AddHours(1)));
        progress.Save(new ReadingProgress(onlyRemoved, "carol", Removed, ReadingPass.Pass2, At));

        var likes = Stores.Likes;
        likes.Toggle(both, "alice", Removed, At);
        likes.Toggle(both, "alice", Survivor, At.AddHours(1));

        var roadmaps = Stores.Roadmaps;
        roadmaps.Save(new Roadmap
        {
            Group = both, Title = "Vision", Source = "test",
            Sections = [new RoadmapSection("CNNs", [new RoadmapItem(Removed, "AlexNet"), new RoadmapItem(Survivor, "AlexNet (CACM)")])],
        });
        roadmaps.SaveProgress(new RoadmapProgress { Group = both, MemberId = "alice", Done = [Removed, Survivor], UpdatedAt = At });
    }

    [Fact]
    public void After_a_merge_no_stored_document_names_the_removed_key_but_its_alias()
    {
        StoreEverythingOnBothKeys();

        identities.Merge(Doi() with { Venue = "NeurIPS" }, Removed);

        foreach (var (collection, json) in Stores.AllStoredRecords())
        {
            if (collection != Stores.AliasCollection)
            {
                Assert.DoesNotContain(Removed, json, StringComparison.Ordinal);
            }
        }

        Assert.Equal(Survivor, identities.Canonical(Removed));
        Assert.Null(Stores.Papers.Find(Removed));
    }

    [Fact]
    public void A_group_with_both_records_keeps_the_older_number_and_combines_votes_and_readings()
    {
        StoreEverythingOnBothKeys();
        Assert.Equal(2, Stores.Papers.FindMany([Survivor, Removed]).Count);

        var touched = identities.Merge(Doi(), Removed);

        Assert.Equal([Survivor], Stores.Papers.FindMany([Survivor, Removed]).Keys);

        Assert.Equal([both, onlyRemoved], touched.OrderBy(g => g.Value, StringComparer.Ordinal));
        var entry = library.FindByPaper(both, Survivor)!;
        Assert.Equal(1, entry.Number);
        Assert.Equal("AlexNet", entry.GivenTitle);
        Assert.Null(library.FindByNumber(both, 2));
        Assert.Equal(1, library.Count(both));
        Assert.Equal(1, library.FindByPaper(onlyRemoved, Survivor)!.Number);

        var suggestion = Stores.Suggestions.Find(both, Survivor)!;
        Assert.Equal("alice", suggestion.SuggestedBy);
        Assert.Equal("classic", suggestion.Why);
        Assert.Equal(["alice", "bob", "dave"], suggestion.Voters.Order(StringComparer.Ordinal));
        Assert.Equal(["carol"], Stores.Suggestions.Find(onlyRemoved, Survivor)!.Voters);

        Assert.Equal(Survivor, Stores.Plans.Find(both, Week)!.PaperKey);
        Assert.Single(Stores.Discussion.ForPaper(both, Survivor));
        Assert.Single(Stores.Wayr.PostsForPaper(onlyRemoved, Survivor));

        var progress = Stores.Progress;
        Assert.Equal(ReadingPass.Done, Assert.Single(progress.ForPaper(both, Survivor)).Pass);
        Assert.Single(progress.FinishedBetween(both, At.AddDays(-1), At.AddDays(1)));
        Assert.Equal(ReadingPass.Pass2, Assert.Single(progress.ForPaper(onlyRemoved, Survivor)).Pass);

        Assert.Equal(At, Assert.Single(Stores.Likes.ForGroup(both)).At);
        var roadmaps = Stores.Roadmaps;
        Assert.Equal([Survivor], roadmaps.Find(both)!.Items.Select(i => i.Item.PaperKey));
        Assert.Equal([Survivor], roadmaps.FindProgress(both, "alice")!.Done);
    }

    [Fact]
    public void An_add_of_a_record_merged_away_meanwhile_lands_on_the_surviving_record()
    {
        library.Add(both, Doi(), "bob", null, null, At);
        identities.Merge(Doi(), Removed);

        var (entry, created) = library.Add(onlyRemoved, Link(), "carol", null, null, At);
        var (again, addedAgain) = library.Add(both, Link(), "alice", null, null, At);

        Assert.True(created);
        Assert.Equal(Survivor, entry.PaperKey);
        Assert.False(addedAgain);
        Assert.Equal(1, again.Number);
        Assert.Null(Stores.Papers.Find(Removed));
    }

    [Fact]
    public void Records_of_one_paper_are_found_by_the_doi_their_metadata_carries()
    {
        Stores.Papers.Save(Link());

        var same = identities.FindSame(Doi());

        Assert.Equal([Removed], same.Select(p => p.Key));
        Assert.Empty(identities.FindSame(Paper.Pending(PaperRefParser.Parse("1706.03762").Reference!)));
    }
}
