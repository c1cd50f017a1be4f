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
