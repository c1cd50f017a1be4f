using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Contract;

public abstract class MemberStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_member_is_found_by_id_or_by_name_ignoring_case_and_listed_in_joining_order()
    {
        var group = AddGroup("g1").Id;
        Stores.Members.Save(new Member { Group = group, UserId = "u2", DisplayName = "Bob", JoinedAt = At.AddDays(1), Settings = new Dictionary<string, string> { ["leaderboard"] = "off" } });
        Stores.Members.Save(new Member { Group = group, UserId = "u1", DisplayName = "Alice", JoinedAt = At });
        Stores.Members.Save(new Member { Group = AddGroup("g2").Id, UserId = "u3", DisplayName = "carol", JoinedAt = At });

        Assert.Equal("u2", Stores.Members.FindByIdOrName(group, "@bob")!.UserId);
        Assert.Equal("Alice", Stores.Members.FindByIdOrName(group, " u1 ")!.DisplayName);
        Assert.Null(Stores.Members.FindByIdOrName(group, "carol"));
        Assert.Equal(["u1", "u2"], Stores.Members.List(group).Select(m => m.UserId));
        Assert.Equal("off", Stores.Members.Find(group, "u2")!.Settings["leaderboard"]);
    }
}

public abstract class DeliveryBatchContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_batch_of_keys_says_which_are_new_and_a_key_twice_in_it_is_new_once()
    {
        Stores.Deliveries.TryRecord("seen", At, At.AddHours(1));

        var firsts = Stores.Deliveries.TryRecordAll([new DeliveryKey("new", At.AddHours(1)), new DeliveryKey("seen", At.AddHours(1)), new DeliveryKey("new", At.AddHours(1))], At);

        Assert.Equal([true, false, false], firsts);
        Assert.Empty(Stores.Deliveries.TryRecordAll([], At));
    }

    [Fact]
    public void Adapter_state_keeps_the_last_value_set()
    {
        Stores.AdapterState.Set("discord:identifies", "1");
        Stores.AdapterState.Set("discord:identifies", "2");

        Assert.Equal("2", Stores.AdapterState.Get("discord:identifies"));
        Assert.Null(Stores.AdapterState.Get("slack:none"));
    }

    [Fact]
    public void Adapter_state_reads_several_keys_at_once_leaving_out_the_unset()
    {
        Stores.AdapterState.Set("week:a", "ready");
        Stores.AdapterState.Set("week:b", "declined|bob");

        var found = Stores.AdapterState.GetMany(["week:a", "week:none", "week:b", "week:a"]);

        Assert.Equal(new Dictionary<string, string> { ["week:a"] = "ready", ["week:b"] = "declined|bob" }, found);
        Assert.Empty(Stores.AdapterState.GetMany([]));
    }

    [Fact]
    public void Adapter_state_get_or_add_keeps_the_first_value_for_every_caller()
    {
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 16, i => answers.Add(Stores.AdapterState.GetOrAdd("web:secret", $"value {i}")));

        var kept = Assert.Single(answers.Distinct());
        Assert.Equal(kept, Stores.AdapterState.Get("web:secret"));
        Assert.Equal(kept, Stores.AdapterState.GetOrAdd("web:secret", "another"));
    }
}

public abstract class WeeklyStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void An_rsvp_is_kept_per_group_week_and_member_and_a_new_answer_replaces_the_old()
    {
        var group = AddGroup("g1").Id;
        var other = AddGroup("g10").Id;
        Stores.Rsvps.Save(new Rsvp(group, Week, "alice", RsvpAnswer.Going, At));
        Stores.Rsvps.Save(new Rsvp(group, Week, "bob", RsvpAnswer.Going, At.AddMinutes(1)));
        Stores.Rsvps.Save(new Rsvp(group, Week.Next(), "alice", RsvpAnswer.Going, At));
        Stores.Rsvps.Save(new Rsvp(other, Week, "alice", RsvpAnswer.Going, At));

        Stores.Rsvps.Save(new Rsvp(group, Week, "alice", RsvpAnswer.NotGoing, At.AddMinutes(2)));

        Assert.Equal([("bob", RsvpAnswer.Going), ("alice", RsvpAnswer.NotGoing)], Stores.Rsvps.ForWeek(group, Week).Select(r => (r.UserId, r.Answer)));
        Assert.Equal(new Rsvp(group, Week, "alice", RsvpAnswer.NotGoing, At.AddMinutes(2)), Stores.Rsvps.Find(group, Week, "alice"));
        Assert.Equal(RsvpAnswer.Going, Stores.Rsvps.Find(group, Week.Next(), "alice")!.Answer);
        Assert.Null(Stores.Rsvps.Find(group, Week, "carol"));
        Assert.Single(Stores.Rsvps.ForWeek(other, Week));

        Stores.Tenants.RemoveWorkspace(Platforms.Discord, "g1");

        Assert.Empty(Stores.Rsvps.ForWeek(group, Week));
        Assert.Single(Stores.Rsvps.ForWeek(other, Week));
    }

    [Fact]
    public void A_suggestion_is_added_once_and_votes_toggle()
    {
        var group = AddGroup("g1").Id;
        var suggestion = new Suggestion { Group = group, PaperKey = "arxiv:1706.03762", SuggestedBy = "alice", SuggestedAt = At, Voters = ["alice"] };

        Assert.True(Stores.Suggestions.TryAdd(suggestion));
        Assert.False(Stores.Suggestions.TryAdd(suggestion with { SuggestedBy = "bob" }));
        var (voted, on) = Stores.Suggestions.ToggleVote(group, suggestion.PaperKey, "bob");
        var (unvoted, off) = Stores.Suggestions.ToggleVote(group, suggestion.PaperKey, "alice");

        Assert.True(on);
        Assert.Equal(["alice", "bob"], voted!.Voters);
        Assert.False(off);
        Assert.Equal(["bob"], unvoted!.Voters);
        Assert.Equal((null, false), Stores.Suggestions.ToggleVote(group, "arxiv:none", "bob"));
        Assert.Equal("alice", Assert.Single(Stores.Suggestions.ListOpen(group)).SuggestedBy);
    }

    [Fact]
    public void A_pick_or_a_save_from_a_suggestion_read_earlier_keeps_the_votes_cast_since()
    {
        var group = AddGroup("g1").Id;
        Stores.Suggestions.TryAdd(new Suggestion { Group = group, PaperKey = "p1", SuggestedBy = "alice", SuggestedAt = At, Voters = ["alice"] });
        Stores.Suggestions.TryAdd(new Suggestion { Group = group, PaperKey = "p2", SuggestedBy = "alice", SuggestedAt = At, Voters = ["alice"], State = SuggestionState.Picked });
        var readBeforeVotes = Stores.Suggestions.Find(group, "p1")!;
        var otherReadBeforeVotes = Stores.Suggestions.Find(group, "p2")!;
        Stores.Suggestions.ToggleVote(group, "p1", "bob");
        Stores.Suggestions.ToggleVote(group, "p2", "carol");

        Stores.Plans.SavePick(new WeekPlan { Group = group, Week = Week, PaperKey = "p1", PickedBy = "mod", PickedAt = At }, readBeforeVotes with { State = SuggestionState.Picked });
        Stores.Suggestions.Save(otherReadBeforeVotes with { State = SuggestionState.Open });

        var picked = Stores.Suggestions.Find(group, "p1")!;
        Assert.Equal(SuggestionState.Picked, picked.State);
        Assert.Equal(["alice", "bob"], picked.Voters);
        var reopened = Stores.Suggestions.Find(group, "p2")!;
        Assert.Equal(SuggestionState.Open, reopened.State);
        Assert.Equal(["alice", "carol"], reopened.Voters);
    }

    [Fact]
    public void A_pick_saves_the_plan_and_marks_the_suggestion_picked_together()
    {
        var group = AddGroup("g1").Id;
        var suggestion = new Suggestion { Group = group, PaperKey = "arxiv:1706.03762", SuggestedBy = "alice", SuggestedAt = At };
        Stores.Suggestions.TryAdd(suggestion);

        Stores.Plans.SavePick(new WeekPlan { Group = group, Week = Week, PaperKey = suggestion.PaperKey, PickedBy = "mod", PickedAt = At, AutoPicked = true }, suggestion with { State = SuggestionState.Picked });
        Stores.Plans.Save(new WeekPlan { Group = group, Week = new WeekKey(2027, 1), State = WeekPlanState.Skipped });

        var plan = Stores.Plans.Find(group, Week)!;
        Assert.Equal((suggestion.PaperKey, "mod", At, true), (plan.PaperKey, plan.PickedBy, plan.PickedAt, plan.AutoPicked));
        Assert.Empty(Stores.Suggestions.ListOpen(group));
        Assert.Equal(SuggestionState.Picked, Stores.Suggestions.Find(group, suggestion.PaperKey)!.State);
        Assert.Equal(["2026-W49", "2027-W01"], Stores.Plans.Range(group, Week, new WeekKey(2027, 2)).Select(p => p.Week.ToString()));
        Assert.Empty(Stores.Plans.Range(group, new WeekKey(2026, 50), new WeekKey(2026, 52)));
    }

    [Fact]
    public void Every_pick_skip_and_touch_raises_the_weeks_revision_and_a_plain_save_keeps_it()
    {
        var group = AddGroup("g1").Id;
        var later = new WeekKey(2027, 1);
        var plan = new WeekPlan { Group = group, Week = Week, PaperKey = "arxiv:1706.03762", PickedBy = "mod", PickedAt = At };

        Stores.Plans.SavePick(plan, null);
        var first = Stores.Plans.Find(group, Week)!.Revision;
        Stores.Plans.SavePick(plan with { PaperKey = "arxiv:1512.03385" }, null);
        Stores.Plans.Save(Stores.Plans.Find(group, Week)! with { ThreadId = "t1", Revision = 0 });
        var saved = Stores.Plans.Find(group, Week)!;
        Stores.Plans.SaveSkip(new WeekPlan { Group = group, Week = Week, State = WeekPlanState.Skipped, PickedBy = "mod", PickedAt = At }, null);
        Stores.Plans.SavePick(plan with { Week = later }, null);
        Stores.Plans.Touch(group, [Week, later, new WeekKey(2027, 5)]);

        Assert.Equal(0, first);
        Assert.Equal((1, "t1"), (saved.Revision, saved.ThreadId));
        Assert.Equal([3, 1], Stores.Plans.Range(group, Week, later).Select(p => p.Revision));
        Assert.Null(Stores.Plans.Find(group, new WeekKey(2027, 5)));
    }

    [Fact]
    public void Discussion_notes_and_presenters_are_kept_per_group()
    {
        var group = AddGroup("g1").Id;
        var other = AddGroup("g2").Id;
        Stores.Discussion.Add(new DiscussionNote { Group = group, PaperKey = "p1", Week = Week, Author = "alice", Text = "second", At = At.AddMinutes(1) });
        Stores.Discussion.Add(new DiscussionNote { Group = group, PaperKey = "p1", Week = Week, Author = "bob", Text = "first", At = At });
        Stores.Discussion.Add(new DiscussionNote { Group = other, PaperKey = "p1", Week = Week, Author = "carol", Text = "elsewhere", At = At });
        Stores.Presenters.Save(new PresenterVolunteer(group, "alice", At, null));
        Stores.Presenters.Save(new PresenterVolunteer(group, "alice", At, Week));

        Assert.Equal(["first", "second"], Stores.Discussion.ForPaper(group, "p1").Select(n => n.Text));
        Assert.Equal(["first", "second"], Stores.Discussion.ForWeek(group, Week).Select(n => n.Text));
        Assert.Equal(["first", "second"], Stores.Discussion.ForGroup(group).Select(n => n.Text));
        Assert.Equal(Week, Assert.Single(Stores.Presenters.List(group)).LastPresented);
        Assert.Empty(Stores.Presenters.List(other));
    }

    [Fact]
    public void Recent_scheduled_posts_are_the_groups_newest_first()
    {
        foreach (var (kind, minutes) in new[] { ("announce", 0), ("remind", 2), ("digest", 1) })
        {
            Stores.ScheduledPosts.TryClaim(new ScheduledPostRecord($"g|2026-W49|{kind}", new GroupId("g"), Week, kind, ScheduledPostState.Claimed, At.AddMinutes(minutes), null), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
        }

        Assert.Equal(["remind", "digest"], Stores.ScheduledPosts.Recent(new GroupId("g"), 2).Select(r => r.Kind));
        Assert.Equal("announce", Stores.ScheduledPosts.Find("g|2026-W49|announce")!.Kind);
        Assert.Null(Stores.ScheduledPosts.Find("g|2026-W49|none"));
    }
}

public abstract class WayrAndStreakStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Weeks_are_numbered_per_group_and_a_closed_week_takes_no_posts()
    {
        var group = AddGroup("g1").Id;
        var first = Stores.Wayr.EnsureWeek(group, Week);
        var again = Stores.Wayr.EnsureWeek(group, Week);
        var second = Stores.Wayr.EnsureWeek(group, Week.Next());
        var post = Stores.Wayr.AddPost(new WayrPost { Group = group, Week = Week, Number = 0, Author = "alice", PaperKey = "p1", Note = "reading", At = At });
        var another = Stores.Wayr.AddPost(new WayrPost { Group = group, Week = Week, Number = 0, Author = "bob", Note = "skimming", At = At.AddMinutes(1) });
        Stores.Wayr.SavePost(another! with { Note = "edited", EditedAt = At.AddMinutes(2) });
        Stores.Wayr.SaveWeek(first with { Closed = true, ClosedAt = At.AddDays(1) });

        Assert.Equal((1, 1, 2), (first.Number, again.Number, second.Number));
        Assert.Equal((1, 2), (post!.Number, another.Number));
        Assert.Null(Stores.Wayr.AddPost(new WayrPost { Group = group, Week = Week, Number = 0, Author = "carol", At = At }));
        Assert.Equal(["reading", "edited"], Stores.Wayr.Posts(group, Week).Select(p => p.Note));
        Assert.Equal(At.AddMinutes(2), Stores.Wayr.Posts(group, Week)[1].EditedAt);
        Assert.Single(Stores.Wayr.PostsForPaper(group, "p1"));
        Assert.Equal(Week, Assert.Single(Stores.Wayr.ClosedWeeks(group, 5)).Week);
        Assert.True(Stores.Wayr.DeletePost(group, Week, 1));
        Assert.False(Stores.Wayr.DeletePost(group, Week, 1));
        Assert.Single(Stores.Wayr.AllPosts(group));
    }

    [Fact]
    public void A_week_closes_once_with_its_ledger_streaks_standings_and_digest()
    {
        var group = AddGroup("g1").Id;
        var week = Stores.Wayr.EnsureWeek(group, Week);
        var digest = new Digest(group, Week, 1, "Week 49", [new DigestSection("Read", ["alice: p1"])], At);
        var close = new WeekClose(
            week with { ClosedAt = At },
            [new LedgerEntry(group, "alice", Week, WeekResult.Kept, "posted", At), new LedgerEntry(group, "bob", Week, WeekResult.Missed, "silent", At)],
            [new MemberStreak(group, "alice") { Current = 1, Longest = 1, TotalKept = 1, LastWeek = Week }, new MemberStreak(group, "bob")],
            [new LeaderboardRow("alice", 1, 1, 1), new LeaderboardRow("bob", 0, 0, 0)],
            digest);

        Assert.True(Stores.Streaks.CloseWeek(close));
        Assert.False(Stores.Streaks.CloseWeek(close with { Entries = [] }));

        Assert.True(Stores.Wayr.FindWeek(group, Week)!.Closed);
        Assert.Equal(2, Stores.Streaks.LedgerForWeek(group, Week).Count);
        Assert.Equal(WeekResult.Kept, Assert.Single(Stores.Streaks.Ledger(group, "alice")).Outcome);
        Assert.Equal(Week, Stores.Streaks.Find(group, "alice")!.LastWeek);
        Assert.Null(Stores.Streaks.Find(group, "bob")!.LastWeek);
        Assert.Equal(["alice", "bob"], Stores.Streaks.Standings(group, out var asOf).Select(r => r.Member));
        Assert.Equal(Week, asOf);
        Assert.Equal("alice: p1", Stores.Digests.Find(group, Week)!.Sections[0].Lines[0]);
        Assert.Equal(Week, Stores.Digests.Latest(group)!.Week);
    }

    [Fact]
    public void A_correction_replaces_the_week_and_the_rows_keeps_the_standings_week_and_is_audited()
    {
        var group = AddGroup("g1").Id;
        var week = Stores.Wayr.EnsureWeek(group, Week);
        Stores.Streaks.CloseWeek(new WeekClose(week, [new LedgerEntry(group, "bob", Week, WeekResult.Missed, "silent", At)], [new MemberStreak(group, "bob")],
            [new LeaderboardRow("bob", 0, 0, 0)], new Digest(group, Week, 1, "Week 49", [], At)));

        var correction = new StreakCorrection(group, "bob", Week.Previous(), WeekResult.Missed, WeekResult.Kept, "was away", "mod", At.AddDays(1));
        Stores.Streaks.Correct(correction, new LedgerEntry(group, "bob", Week, WeekResult.Kept, "corrected", At.AddDays(1)),
            new MemberStreak(group, "bob") { Current = 1, Longest = 1, TotalKept = 1 }, [new LeaderboardRow("bob", 1, 1, 1)]);

        Assert.Equal(WeekResult.Kept, Assert.Single(Stores.Streaks.Ledger(group, "bob")).Outcome);
        Assert.Equal(1, Assert.Single(Stores.Streaks.Standings(group, out var asOf)).Current);
        Assert.Equal(Week, asOf);
        Assert.Equal(correction, Assert.Single(Stores.Streaks.Audit(group, 10)));
    }
}

public abstract class SignalStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_like_toggles_and_likes_are_listed_oldest_first()
    {
        var group = AddGroup("g1").Id;

        Assert.True(Stores.Likes.Toggle(group, "alice", "p2", At.AddMinutes(1)));
        Assert.True(Stores.Likes.Toggle(group, "alice", "p1", At));
        Assert.True(Stores.Likes.Toggle(group, "bob", "p1", At.AddMinutes(2)));
        Assert.False(Stores.Likes.Toggle(group, "bob", "p1", At.AddMinutes(3)));

        Assert.Equal(["p1", "p2"], Stores.Likes.ForMember(group, "alice").Select(l => l.PaperKey));
        Assert.Equal(2, Stores.Likes.ForGroup(group).Count);
    }

    [Fact]
    public void A_roadmap_and_a_members_progress_round_trip()
    {
        var group = AddGroup("g1").Id;
        Stores.Roadmaps.Save(new Roadmap
        {
            Group = group, Title = "Vision", Source = "starter", ImportedAt = At, ImportedBy = "mod",
            Sections = [new RoadmapSection("CNNs", [new RoadmapItem("p1", "AlexNet", "start here"), new RoadmapItem("p2", "ResNet")]), new RoadmapSection("ViT", [])],
        });
        Stores.Roadmaps.SaveProgress(new RoadmapProgress { Group = group, MemberId = "alice", Done = ["p1"], UpdatedAt = At });

        var roadmap = Stores.Roadmaps.Find(group)!;
        Assert.Equal(("Vision", "starter", At, "mod"), (roadmap.Title, roadmap.Source, roadmap.ImportedAt, roadmap.ImportedBy));
        Assert.Equal(["CNNs", "ViT"], roadmap.Sections.Select(s => s.Title));
        Assert.Equal(new RoadmapItem("p1", "AlexNet", "start here"), roadmap.Sections[0].Items[0]);
        Assert.Equal(["p1"], Stores.Roadmaps.FindProgress(group, "alice")!.Done);
        Assert.Null(Stores.Roadmaps.FindProgress(group, "bob"));
        Assert.Null(Stores.Roadmaps.Find(AddGroup("g2").Id));
    }

    [Fact]
    public void The_archive_holds_this_groups_records_and_none_of_another_groups()
    {
        var mine = AddGroup("g1").Id;
        var theirs = AddGroup("g10").Id;
        Stores.Library.Add(mine, Arxiv("1706.03762"), "alice", null, null, At);
        Stores.Library.Add(theirs, Arxiv("1512.03385"), "zed", null, null, At);
        Stores.Members.Save(new Member { Group = mine, UserId = "alice", DisplayName = "Alice", JoinedAt = At });

        var archive = Stores.Archive.Collections(mine);

        Assert.Contains("1706.03762", archive["library"], StringComparison.Ordinal);
        Assert.Contains("Alice", archive["members"], StringComparison.Ordinal);
        Assert.Contains(mine.Value, archive["groups"], StringComparison.Ordinal);
        Assert.All(archive.Values, json => Assert.DoesNotContain(theirs.Value + "\"", json, StringComparison.Ordinal));
        Assert.All(archive.Values, json => Assert.DoesNotContain("zed", json, StringComparison.Ordinal));
    }
}
