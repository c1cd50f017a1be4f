using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Follows;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Contract;

public abstract class DeliveryLogContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_delivery_is_recorded_once_until_it_expires()
    {
        var log = Stores.Deliveries;

        Assert.True(log.TryRecord("slack:Ev1", At, At.AddMinutes(30)));
        Assert.False(log.TryRecord("slack:Ev1", At.AddMinutes(29), At.AddMinutes(59)));
        Assert.True(log.TryRecord("slack:Ev1", At.AddMinutes(31), At.AddMinutes(61)));
        Assert.Equal(0, log.Purge(At.AddMinutes(60)));
        Assert.Equal(1, log.Purge(At.AddMinutes(62)));
    }
}

public abstract class SessionStartLedgerContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Starts_are_taken_up_to_the_cap_and_count_again_after_24_hours()
    {
        var ledger = Stores.SessionStarts;

        Assert.True(ledger.TryTake("discord:app", 0, At, 2));
        Assert.True(ledger.TryTake("discord:app", 1, At.AddHours(1), 2));
        Assert.False(ledger.TryTake("discord:app", 2, At.AddHours(2), 2));
        Assert.True(ledger.TryTake("discord:other", 0, At.AddHours(2), 2));
        Assert.True(ledger.TryTake("discord:app", 2, At.AddHours(24).AddMilliseconds(1), 2));

        Assert.Equal([new SessionStart(1, At.AddHours(1)), new SessionStart(2, At.AddHours(24).AddMilliseconds(1))], ledger.Recent("discord:app", At.AddHours(24).AddMilliseconds(1)));
    }

    [Fact]
    public void Parallel_takes_never_pass_the_cap()
    {
        const int cap = 7;
        var ledger = Stores.SessionStarts;
        Assert.True(ledger.TryTake("discord:race", 99, At, cap));

        // Distinct shard ids per racer keep every row distinct, so only the cap can refuse a take.
        var taken = new bool[24];
        Parallel.For(0, taken.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => taken[i] = ledger.TryTake("discord:race", i, At.AddSeconds(1), cap));

        Assert.Equal(cap - 1, taken.Count(t => t));
        Assert.Equal(cap, ledger.Recent("discord:race", At.AddSeconds(2)).Count);
    }
}

public abstract class PaperStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Pending_papers_are_due_when_their_next_attempt_has_come()
    {
        Stores.Papers.Save(Arxiv("1706.03762") with { NextAttemptAt = At.AddMinutes(5) });
        Stores.Papers.Save(Arxiv("1512.03385") with { NextAttemptAt = At.AddMinutes(-5) });
        Stores.Papers.Save(Arxiv("2301.00001") with { State = MetadataState.Resolved });

        Assert.Equal(["arxiv:1512.03385"], Stores.Papers.FindDue(At, 10).Select(p => p.Key));
    }

    [Fact]
    public void A_papers_code_link_is_kept()
    {
        Stores.Papers.Save(Arxiv("2611.01001") with { CodeUrl = "https://github.com/example/ebm-vision" });

        Assert.Equal("https://github.com/example/ebm-vision", Stores.Papers.Find("arxiv:2611.01001")!.CodeUrl);
    }
}

public abstract class ProgressStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Finished_readings_between_two_instants_are_this_groups_done_passes_from_the_first_and_before_the_second()
    {
        var store = Stores.Progress;
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        var from = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(7);
        store.Save(new ReadingProgress(mine, "early", "p1", ReadingPass.Done, from.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "first", "p1", ReadingPass.Done, from));
        store.Save(new ReadingProgress(mine, "second", "p2", ReadingPass.Done, to.AddMilliseconds(-1)));
        store.Save(new ReadingProgress(mine, "late", "p1", ReadingPass.Done, to));
        store.Save(new ReadingProgress(mine, "skimming", "p1", ReadingPass.Pass1, from.AddDays(1)));
        store.Save(new ReadingProgress(theirs, "other", "p1", ReadingPass.Done, from.AddDays(1)));
        // A reading saved as done and then set back to a second pass is no longer a finished one.
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Done, from.AddDays(2)));
        store.Save(new ReadingProgress(mine, "undone", "p3", ReadingPass.Pass2, from.AddDays(3)));

        var finished = store.FinishedBetween(mine, from, to).Select(p => p.Member).Order(StringComparer.Ordinal);

        Assert.Equal(["first", "second"], finished);
    }
}

public abstract class ScheduledPostStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_claim_holds_for_its_lease_and_a_stale_uncompleted_claim_is_taken_again()
    {
        var posts = Stores.ScheduledPosts;
        var lease = TimeSpan.FromMinutes(2);
        var retry = TimeSpan.FromMinutes(10);
        ScheduledPostRecord Claim(DateTimeOffset at) => new("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, at, null);

        Assert.True(posts.TryClaim(Claim(At), retry, lease, out var none));
        Assert.False(posts.TryClaim(Claim(At.AddMinutes(1)), retry, lease, out _));
        Assert.True(posts.TryClaim(Claim(At.AddMinutes(2)), retry, lease, out var stale));
        posts.Complete("g|2026-W48|announce", ScheduledPostState.Posted, At.AddMinutes(3), "m1");

        Assert.Null(none);
        Assert.Equal((ScheduledPostState.Claimed, At), (stale!.State, stale.At));
        Assert.False(posts.TryClaim(Claim(At.AddDays(1)), retry, lease, out _));
    }

    [Fact]
    public void A_failed_post_is_claimed_again_after_the_retry_delay_not_the_lease()
    {
        var posts = Stores.ScheduledPosts;
        var claim = new ScheduledPostRecord("g|2026-W48|announce", new GroupId("g"), new WeekKey(2026, 48), "announce", ScheduledPostState.Claimed, At, null);
        posts.TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _);
        posts.Complete(claim.Key, ScheduledPostState.Failed, At, "no channel");

        Assert.False(posts.TryClaim(claim with { At = At.AddMinutes(5) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _));
        Assert.True(posts.TryClaim(claim with { At = At.AddMinutes(10) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out var failed));
        Assert.Equal(ScheduledPostState.Failed, failed!.State);
    }

    [Fact]
    public void Of_many_racing_claims_of_one_new_post_exactly_one_wins()
    {
        var posts = Stores.ScheduledPosts;
        var claim = new ScheduledPostRecord("g|2026-W48|race", new GroupId("g"), new WeekKey(2026, 48), "race", ScheduledPostState.Claimed, At, null);

        var won = Race(24, _ => posts.TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out var _));

        Assert.Equal(1, won.Count(w => w));
        Assert.Equal(ScheduledPostState.Claimed, posts.Find(claim.Key)!.State);
    }

    [Fact]
    public void Of_many_racing_takeovers_of_a_stale_claim_exactly_one_wins_and_learns_what_it_replaced()
    {
        var posts = Stores.ScheduledPosts;
        var claim = new ScheduledPostRecord("g|2026-W48|race", new GroupId("g"), new WeekKey(2026, 48), "race", ScheduledPostState.Claimed, At, null);
        Assert.True(posts.TryClaim(claim, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out _));

        // Every racer comes after the lease ran out, each a moment apart, as processes whose passes overlap.
        var earlier = new ScheduledPostRecord?[24];
        var won = Race(earlier.Length, i => posts.TryClaim(claim with { At = At.AddMinutes(3).AddSeconds(i) }, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), out earlier[i]));

        var winner = Assert.Single(Enumerable.Range(0, won.Length), i => won[i]);
        Assert.Equal((ScheduledPostState.Claimed, At), (earlier[winner]!.State, earlier[winner]!.At));
        Assert.Equal(At.AddMinutes(3).AddSeconds(winner), posts.Find(claim.Key)!.At);
        Assert.All(Enumerable.Range(0, won.Length).Where(i => !won[i]), i => Assert.Null(earlier[i]));
    }

    /// <summary>Runs every claim on a thread of its own, all released at once, as many processes would.</summary>
    private static bool[] Race(int count, Func<int, bool> claim)
    {
        var won = new bool[count];
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                won[i] = claim(i);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return failures.IsEmpty ? won : throw new AggregateException(failures);
    }
}

public abstract class TenantDataStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Removing_a_workspace_removes_only_its_groups()
    {
        var gone = AddGroup("123");
        var kept = AddGroup("1234");
        Stores.Members.Save(new Member { Group = gone.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        Stores.Members.Save(new Member { Group = kept.Id, UserId = "u1", DisplayName = "alice", JoinedAt = At });
        Stores.Library.Add(gone.Id, Arxiv("1706.03762"), "u1", null, null, At);
        Stores.Library.Add(kept.Id, Arxiv("1706.03762"), "u1", null, null, At);

        var removed = Stores.Tenants.RemoveWorkspace(Platforms.Discord, "123");

        Assert.Equal(3, removed);
        Assert.Null(Stores.Groups.Find(gone.Id));
        Assert.NotNull(Stores.Groups.Find(kept.Id));
        Assert.Single(Stores.Members.List(kept.Id));
        Assert.Equal(1, Stores.Library.Count(kept.Id));
        Assert.NotNull(Stores.Papers.Find("arxiv:1706.03762"));
    }
}

public abstract class ThreadLinkStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Thread_links_are_found_only_in_their_group()
    {
        Stores.Threads.Save(new ThreadLink(new GroupId("discord:1"), "t1", ThreadPurpose.Wayr, "2026-W48", At));

        Assert.Equal(ThreadPurpose.Wayr, Stores.Threads.Find(new GroupId("discord:1"), "t1")!.Purpose);
        Assert.Null(Stores.Threads.Find(new GroupId("discord:2"), "t1"));
    }
}

public abstract class WayrStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void Posts_between_two_weeks_include_both_ends_and_no_other_group_or_year()
    {
        var store = Stores.Wayr;
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var mine = new GroupAddress(Platforms.Slack, "T1").Id;
        var theirs = new GroupAddress(Platforms.Slack, "T10").Id;
        foreach (var (group, week) in new[] { (mine, new WeekKey(2025, 47)), (mine, new WeekKey(2026, 1)), (mine, new WeekKey(2026, 9)), (mine, new WeekKey(2026, 10)), (mine, new WeekKey(2026, 11)), (theirs, new WeekKey(2026, 9)) })
        {
            store.AddPost(new WayrPost { Group = group, Week = week, Number = 0, Author = "u", At = at });
        }

        var weeks = store.PostsBetween(mine, new WeekKey(2026, 1), new WeekKey(2026, 10)).Select(p => p.Week.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(["2026-W01", "2026-W09", "2026-W10"], weeks);
    }
}

public abstract class FollowStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    private static readonly GroupId One = new("discord:1");
    private static readonly GroupId Two = new("discord:2");

    private static Follow Author(GroupId group, string owner, string key = "yann|lecun") => new(group, owner, FollowKind.Author, key, "Yann LeCun", owner, At);

    private static FollowMatch Match(GroupId group, string owner, string paper, DateTimeOffset at, string? arxivId = "2611.01001") =>
        new(group, owner, paper, "A title", "https://arxiv.org/abs/2611.01001", arxivId, "by Yann LeCun", at);

    [Fact]
    public void A_follow_is_saved_once_per_owner_kind_and_key_and_removed_by_them()
    {
        Assert.True(Stores.Follows.Add(Author(One, "u1")));
        Assert.False(Stores.Follows.Add(Author(One, "u1") with { Text = "Y. LeCun" }));
        Assert.True(Stores.Follows.Add(Author(One, Follow.GroupOwner)));
        Assert.True(Stores.Follows.Add(new Follow(One, "u1", FollowKind.Topic, "yann|lecun", "yann lecun", "u1", At.AddSeconds(1))));

        Assert.Equal([FollowKind.Author, FollowKind.Topic], Stores.Follows.ForOwner(One, "u1").Select(f => f.Kind));
        Assert.Equal(Author(One, "u1"), Stores.Follows.ForOwner(One, "u1")[0]);
        Assert.Equal(3, Stores.Follows.CountForGroup(One));

        Assert.True(Stores.Follows.Remove(One, "u1", FollowKind.Author, "yann|lecun"));
        Assert.False(Stores.Follows.Remove(One, "u1", FollowKind.Author, "yann|lecun"));
        Assert.Equal([FollowKind.Topic], Stores.Follows.ForOwner(One, "u1").Select(f => f.Kind));
    }

    [Fact]
    public void Follows_and_matches_stay_in_their_group()
    {
        Stores.Follows.Add(Author(One, "u1"));
        Stores.Follows.Add(Author(Two, "u1"));
        Stores.Follows.AddMatch(Match(One, "u1", "arxiv:2611.01001", At));

        Assert.Single(Stores.Follows.ForOwner(Two, "u1"));
        Assert.Equal(1, Stores.Follows.CountForGroup(Two));
        Assert.Empty(Stores.Follows.Matches(Two, "u1", DateTimeOffset.MinValue));
        Assert.Equal(["discord:1", "discord:2"], Stores.Follows.All().Select(f => f.Group.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_match_is_kept_once_per_owner_and_paper_and_read_back_newest_first_since_a_time()
    {
        Assert.True(Stores.Follows.AddMatch(Match(One, "u1", "arxiv:2611.01001", At)));
        Assert.False(Stores.Follows.AddMatch(Match(One, "u1", "arxiv:2611.01001", At.AddHours(6)) with { Why = "topic: x" }));
        Assert.True(Stores.Follows.AddMatch(Match(One, Follow.GroupOwner, "arxiv:2611.01001", At)));
        Assert.True(Stores.Follows.AddMatch(Match(One, "u1", "doi:10.1/x", At.AddDays(1), arxivId: null)));

        var matches = Stores.Follows.Matches(One, "u1", At);

        Assert.Equal(["doi:10.1/x", "arxiv:2611.01001"], matches.Select(m => m.PaperKey));
        Assert.Null(matches[0].ArxivId);
        Assert.Equal(Match(One, "u1", "arxiv:2611.01001", At), matches[1]);
        Assert.Equal(["doi:10.1/x"], Stores.Follows.Matches(One, "u1", At.AddSeconds(1)).Select(m => m.PaperKey));
    }

    [Fact]
    public void Removing_a_workspace_removes_its_follows_and_matches()
    {
        AddGroup("1");
        Stores.Follows.Add(Author(One, "u1"));
        Stores.Follows.AddMatch(Match(One, "u1", "arxiv:2611.01001", At));

        Stores.Tenants.RemoveWorkspace(Platforms.Discord, "1");

        Assert.Empty(Stores.Follows.All());
        Assert.Empty(Stores.Follows.Matches(One, "u1", DateTimeOffset.MinValue));
    }
}

public abstract class EnrichmentStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void An_enrichment_is_saved_replaced_and_found_by_paper_key()
    {
        var first = new PaperEnrichment("arxiv:1706.03762", At, true) { Tldr = "Attention only.", Citations = 10, InfluentialCitations = 2, Venue = "NeurIPS", OpenAccessPdf = "https://arxiv.org/pdf/1706.03762" };
        Stores.Enrichments.Save(first);
        Assert.Equal(first, Stores.Enrichments.Find("arxiv:1706.03762"));

        var unknown = new PaperEnrichment("arxiv:1706.03762", At.AddDays(7), false);
        Stores.Enrichments.Save(unknown);
        Assert.Equal(unknown, Stores.Enrichments.Find("arxiv:1706.03762"));
        Assert.Null(Stores.Enrichments.Find("arxiv:1512.03385"));
    }

    [Fact]
    public void Stale_papers_are_those_never_read_first_then_read_before_the_time_and_only_with_an_id_it_knows()
    {
        foreach (var id in new[] { "1706.03762", "1512.03385", "2010.11929" })
        {
            Stores.Papers.Save(Arxiv(id) with { ArxivId = id, Title = id });
        }

        Stores.Papers.Save(Paper.Pending(PaperRefParser.Parse("https://example.org/blog").Reference!));
        Stores.Enrichments.Save(new PaperEnrichment("arxiv:1706.03762", At, true));
        Stores.Enrichments.Save(new PaperEnrichment("arxiv:1512.03385", At.AddDays(-10), true));

        Assert.Equal(["arxiv:2010.11929", "arxiv:1512.03385"], Stores.Enrichments.Stale(At.AddDays(-1), 10).Select(p => p.Key));
        Assert.Equal(["arxiv:2010.11929"], Stores.Enrichments.Stale(At.AddDays(-1), 1).Select(p => p.Key));
        Assert.Equal("2010.11929", Stores.Enrichments.Stale(At.AddDays(-1), 1)[0].ArxivId);
    }
}

public abstract class DislikeStoreContract(Func<StoreSet> open) : StoreContract(open)
{
    [Fact]
    public void A_dislike_toggles_and_stays_with_its_member_and_group()
    {
        var one = new GroupId("discord:1");
        Assert.True(Stores.Dislikes.Toggle(one, "u1", "arxiv:1706.03762", At));
        Assert.True(Stores.Dislikes.Toggle(one, "u1", "arxiv:1512.03385", At.AddSeconds(1)));
        Assert.True(Stores.Dislikes.Toggle(one, "u2", "arxiv:1706.03762", At));
        Assert.True(Stores.Dislikes.Toggle(new GroupId("discord:2"), "u1", "arxiv:2010.11929", At));

        Assert.Equal(["arxiv:1706.03762", "arxiv:1512.03385"], Stores.Dislikes.ForMember(one, "u1"));

        Assert.False(Stores.Dislikes.Toggle(one, "u1", "arxiv:1706.03762", At));
        Assert.Equal(["arxiv:1512.03385"], Stores.Dislikes.ForMember(one, "u1"));
        Assert.Equal(["arxiv:1706.03762"], Stores.Dislikes.ForMember(one, "u2"));
    }
}
