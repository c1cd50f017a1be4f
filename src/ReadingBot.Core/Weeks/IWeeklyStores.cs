using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Weeks;

/// <summary>Stores suggestions and their votes.</summary>
public interface ISuggestionStore
{
    Suggestion? Find(GroupId group, string paperKey);

    /// <summary>Stores a new suggestion; returns false (and stores nothing) if the paper was suggested before.</summary>
    bool TryAdd(Suggestion suggestion);

    /// <summary>Atomically adds or removes the member's vote; returns the suggestion after the change, or null if there is none.</summary>
    (Suggestion? Suggestion, bool Voted) ToggleVote(GroupId group, string paperKey, string userId);

    /// <summary>
    /// Saves the suggestion, but not its voters: only <see cref="ToggleVote"/> changes those, so a save made from a
    /// suggestion read a moment earlier (a pick, a reopen) never takes back a vote cast since, by this process or another.
    /// </summary>
    void Save(Suggestion suggestion);

    IReadOnlyList<Suggestion> ListOpen(GroupId group);
}

/// <summary>Stores week plans.</summary>
public interface IWeekPlanStore
{
    WeekPlan? Find(GroupId group, WeekKey week);

    /// <summary>Saves the plan's other fields (its thread, say); the stored revision stays as it is.</summary>
    void Save(WeekPlan plan);

    IReadOnlyList<WeekPlan> Range(GroupId group, WeekKey from, WeekKey to);

    /// <summary>
    /// In one transaction: saves the plan and marks the paper's suggestion (if any) as picked. A new plan starts at
    /// revision 0; a plan that was there gets the stored revision plus one. The suggestion is saved as by
    /// <see cref="ISuggestionStore.Save"/>, votes kept.
    /// </summary>
    void SavePick(WeekPlan plan, Suggestion? picked);

    /// <summary>
    /// In one transaction: saves the skipped plan and reopens the suggestion of the paper it displaced (if any); the
    /// revision as for <see cref="SavePick"/>.
    /// </summary>
    void SaveSkip(WeekPlan plan, Suggestion? reopened);

    /// <summary>In one transaction: raises the stored revision of each of these weeks' plans by one (their meeting moved).</summary>
    void Touch(GroupId group, IReadOnlyCollection<WeekKey> weeks);
}

/// <summary>Stores discussion notes.</summary>
public interface IDiscussionStore
{
    void Add(DiscussionNote note);

    IReadOnlyList<DiscussionNote> ForPaper(GroupId group, string paperKey);

    IReadOnlyList<DiscussionNote> ForWeek(GroupId group, WeekKey week);

    /// <summary>Every note of the group, oldest first, in one read (a search index loading the group's library).</summary>
    IReadOnlyList<DiscussionNote> ForGroup(GroupId group);
}

/// <summary>Stores presenter volunteers.</summary>
public interface IPresenterStore
{
    IReadOnlyList<PresenterVolunteer> List(GroupId group);

    void Save(PresenterVolunteer volunteer);
}

/// <summary>The durable keys of scheduled posts: the guard against double posts across restarts.</summary>
public interface IScheduledPostStore
{
    ScheduledPostRecord? Find(string key);

    /// <summary>
    /// Claims a post, atomically; false if it is posted, missed or skipped, claimed less than <paramref name="lease"/>
    /// ago, or failed less than <paramref name="retryAfter"/> ago. A claim older than the lease that was never
    /// completed (the process died in between) is taken again. <paramref name="earlier"/> is the record this claim
    /// replaced (a failed post or a stale claim), if any.
    /// </summary>
    bool TryClaim(ScheduledPostRecord claim, TimeSpan retryAfter, TimeSpan lease, out ScheduledPostRecord? earlier);

    void Complete(string key, ScheduledPostState state, DateTimeOffset at, string? detail);

    IReadOnlyList<ScheduledPostRecord> Recent(GroupId group, int count);
}
