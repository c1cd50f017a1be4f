using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>Merging two records of one paper on the real engine: everything follows the surviving key.</summary>
public sealed class PaperMergeTests : IDisposable
{
    private const string Removed = "url:https://papers.nips.cc/paper/4824-imagenet";
    private const string Survivor = "doi:10.1145/3065386";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly WeekKey Week = WeekKey.TryParse("2026-W49", out var w) ? w : throw new InvalidOperationException();

    private readonly ReadingBotDatabase db = ReadingBotDatabase.OpenMemory();
    private readonly LiteLibraryStore library;
    private readonly LitePaperIdentityStore identities;
    private readonly GroupId both;
    private readonly GroupId onlyRemoved;

    public PaperMergeTests()
    {
        library = new LiteLibraryStore(db);
        identities = new LitePaperIdentityStore(db);
        both = AddGroup("both");
        onlyRemoved = AddGroup("only-removed");
    }

    public void Dispose() => db.Dispose();

    private GroupId AddGroup(string workspace)
    {
        var id = new GroupAddress(Platforms.Discord, workspace).Id;
        new LiteGroupStore(db).GetOrAdd(id, () => new Group { Id = id, Platform = Platforms.Discord, Workspace = workspace, CreatedAt = At });
        return id;
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

        var suggestions = new LiteSuggestionStore(db);
        suggestions.TryAdd(new Suggestion { Group = both, PaperKey = Removed, SuggestedBy = "alice", Why = "classic", SuggestedAt = At, Voters = ["alice", "bob"] });
        suggestions.TryAdd(new Suggestion { Group = both, PaperKey = Survivor, SuggestedBy = "bob", SuggestedAt = At.AddHours(1), Voters = ["bob", "dave"] });
        suggestions.TryAdd(new Suggestion { Group = onlyRemoved, PaperKey = Removed, SuggestedBy = "carol", SuggestedAt = At, Voters = ["carol"] });

        new LiteWeekPlanStore(db).Save(new WeekPlan { Group = both, Week = Week, PaperKey = Removed, PickedBy = "mod", PickedAt = At });
        new LiteDiscussionStore(db).Add(new DiscussionNote { Group = both, PaperKey = Removed, Week = Week, Author = "alice", Text = "the ReLU part", At = At });
        new LiteWayrStore(db).AddPost(new WayrPost { Group = onlyRemoved, Week = Week, Number = 0, Author = "carol", PaperKey = Removed, Note = "reading", At = At });

        var progress = new LiteProgressStore(db);
        progress.Save(new ReadingProgress(both, "alice", Removed, ReadingPass.Done, At));
        progress.Save(new ReadingProgress(both, "alice", Survivor, ReadingPass.Pass1, At.AddHours(1)));
        progress.Save(new ReadingProgress(onlyRemoved, "carol", Removed, ReadingPass.Pass2, At));

        var likes = new LiteLikeStore(db);
        likes.Toggle(both, "alice", Removed, At);
        likes.Toggle(both, "alice", Survivor, At.AddHours(1));

        var roadmaps = new LiteRoadmapStore(db);
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

        foreach (var name in db.Database.GetCollectionNames())
        {
            foreach (var document in db.Database.GetCollection(name).FindAll())
            {
                var json = JsonSerializer.Serialize(document);
                if (name == Collections.PaperAliases)
                {
                    continue;
                }

                Assert.DoesNotContain(Removed, json, StringComparison.Ordinal);
            }
        }

        Assert.Equal(Survivor, identities.Canonical(Removed));
        Assert.Null(new LitePaperStore(db).Find(Removed));
    }

    [Fact]
    public void A_group_with_both_records_keeps_the_older_number_and_combines_votes_and_readings()
    {
        StoreEverythingOnBothKeys();

        var touched = identities.Merge(Doi(), Removed);

        Assert.Equal([both, onlyRemoved], touched.OrderBy(g => g.Value, StringComparer.Ordinal));
        var entry = library.FindByPaper(both, Survivor)!;
        Assert.Equal(1, entry.Number);
        Assert.Equal("AlexNet", entry.GivenTitle);
        Assert.Null(library.FindByNumber(both, 2));
        Assert.Equal(1, library.Count(both));
        Assert.Equal(1, library.FindByPaper(onlyRemoved, Survivor)!.Number);

        var suggestion = new LiteSuggestionStore(db).Find(both, Survivor)!;
        Assert.Equal("alice", suggestion.SuggestedBy);
        Assert.Equal("classic", suggestion.Why);
        Assert.Equal(["alice", "bob", "dave"], suggestion.Voters.Order(StringComparer.Ordinal));
        Assert.Equal(["carol"], new LiteSuggestionStore(db).Find(onlyRemoved, Survivor)!.Voters);

        Assert.Equal(Survivor, new LiteWeekPlanStore(db).Find(both, Week)!.PaperKey);
        Assert.Single(new LiteDiscussionStore(db).ForPaper(both, Survivor));
        Assert.Single(new LiteWayrStore(db).PostsForPaper(onlyRemoved, Survivor));

        var progress = new LiteProgressStore(db);
        Assert.Equal(ReadingPass.Done, Assert.Single(progress.ForPaper(both, Survivor)).Pass);
        Assert.Single(progress.FinishedBetween(both, At.AddDays(-1), At.AddDays(1)));
        Assert.Equal(ReadingPass.Pass2, Assert.Single(progress.ForPaper(onlyRemoved, Survivor)).Pass);

        Assert.Equal(At, Assert.Single(new LiteLikeStore(db).ForGroup(both)).At);
        var roadmaps = new LiteRoadmapStore(db);
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
        Assert.Null(new LitePaperStore(db).Find(Removed));
    }

    [Fact]
    public void Records_of_one_paper_are_found_by_the_doi_their_metadata_carries()
    {
        new LitePaperStore(db).Save(Link());

        var same = identities.FindSame(Doi());

        Assert.Equal([Removed], same.Select(p => p.Key));
        Assert.Empty(identities.FindSame(Paper.Pending(PaperRefParser.Parse("1706.03762").Reference!)));
    }

    [Fact]
    public void A_schema_2_database_merges_an_old_style_id_stored_with_and_without_its_subject_class()
    {
        var directory = Path.Combine(Path.GetTempPath(), "readingbot-merge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using (var old = ReadingBotDatabase.OpenFile(directory))
            {
                var group = new GroupAddress(Platforms.Slack, "T1").Id;
                new LiteGroupStore(old).GetOrAdd(group, () => new Group { Id = group, Platform = Platforms.Slack, Workspace = "T1", CreatedAt = At });
                var oldLibrary = new LiteLibraryStore(old);
                // As schema 2 stored them: the subject class was part of the key.
                var withClass = new Paper { Key = "arxiv:math.GT/0309136", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/math.GT/0309136", ArxivId = "math.GT/0309136", Title = "Knots" };
                var plain = new Paper { Key = "arxiv:math/0309136", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/math/0309136", ArxivId = "math/0309136" };
                oldLibrary.Add(group, withClass, "alice", null, null, At);
                oldLibrary.Add(group, plain, "bob", null, null, At.AddMinutes(1));
                new LiteProgressStore(old).Save(new ReadingProgress(group, "alice", withClass.Key, ReadingPass.Done, At));
                old.Database.UserVersion = 2;
            }

            using var db = ReadingBotDatabase.OpenFile(directory);

            var reopened = new LiteLibraryStore(db);
            var groupId = new GroupAddress(Platforms.Slack, "T1").Id;
            Assert.Equal(1, reopened.Count(groupId));
            Assert.Equal(1, reopened.FindByPaper(groupId, "arxiv:math/0309136")!.Number);
            Assert.Null(new LitePaperStore(db).Find("arxiv:math.GT/0309136"));
            Assert.Equal("Knots", new LitePaperStore(db).Find("arxiv:math/0309136")!.Title);
            Assert.Equal("arxiv:math/0309136", Assert.Single(new LiteProgressStore(db).ForGroup(groupId)).PaperKey);
            Assert.Equal("arxiv:math/0309136", new LitePaperIdentityStore(db).Canonical("arxiv:math.GT/0309136"));
            Assert.Equal(ReadingBotDatabase.SchemaVersion, db.Database.UserVersion);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
