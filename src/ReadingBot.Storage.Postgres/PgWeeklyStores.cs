using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.Postgres;

public sealed class PgSuggestionStore(PostgresDatabase db) : ISuggestionStore
{
    internal const string Columns = "group_id, paper_key, suggested_by, why, suggested_at, voters, state";

    // Everything but the voters: a save comes from a suggestion read earlier (maybe from the cache), and the votes
    // cast since are the row's, changed only by ToggleVote's single statement.
    internal const string Upsert =
        $"""
        INSERT INTO suggestions ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (group_id, paper_key) DO UPDATE SET suggested_by = excluded.suggested_by, why = excluded.why,
            suggested_at = excluded.suggested_at, state = excluded.state
        """;

    public Suggestion? Find(GroupId group, string paperKey) => db.ReadOrNull(ReadKind.Suggestions, group.Value, "find:" + paperKey, () =>
        db.QueryFirst($"SELECT {Columns} FROM suggestions WHERE group_id = $1 AND paper_key = $2", Read, group.Value, paperKey));

    public bool TryAdd(Suggestion suggestion)
    {
        var added = db.Execute($"INSERT INTO suggestions ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", Values(suggestion)) == 1;
        db.Forget(ReadKind.Suggestions, suggestion.Group.Value);
        return added;
    }

    /// <summary>One statement: the row lock makes concurrent toggles of one suggestion apply one after the other.</summary>
    public (Suggestion? Suggestion, bool Voted) ToggleVote(GroupId group, string paperKey, string userId)
    {
        var updated = db.QueryFirst(
            $"""
            UPDATE suggestions SET voters = CASE WHEN $3 = ANY(voters) THEN array_remove(voters, $3) ELSE array_append(voters, $3) END
            WHERE group_id = $1 AND paper_key = $2 RETURNING {Columns}
            """,
            Read, group.Value, paperKey, userId);
        db.Forget(ReadKind.Suggestions, group.Value);
        return updated is null ? (null, false) : (updated, updated.Voters.Contains(userId, StringComparer.Ordinal));
    }

    public void Save(Suggestion suggestion)
    {
        db.Execute(Upsert, Values(suggestion));
        db.Forget(ReadKind.Suggestions, suggestion.Group.Value);
    }

    public IReadOnlyList<Suggestion> ListOpen(GroupId group) => db.Read<IReadOnlyList<Suggestion>>(ReadKind.Suggestions, group.Value, "open", () =>
        db.Query($"SELECT {Columns} FROM suggestions WHERE group_id = $1 AND state = 'Open' ORDER BY suggested_at, paper_key", Read, group.Value));

    internal static object?[] Values(Suggestion s) =>
        [s.Group.Value, s.PaperKey, s.SuggestedBy, s.Why, s.SuggestedAt, s.Voters.ToArray(), s.State.ToString()];

    private static Suggestion Read(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        PaperKey = r.GetString(1),
        SuggestedBy = r.GetString(2),
        Why = r.OptionalString(3),
        SuggestedAt = r.Instant(4),
        Voters = r.Strings(5),
        State = r.Enum<SuggestionState>(6),
    };
}

public sealed class PgWeekPlanStore(PostgresDatabase db) : IWeekPlanStore
{
    private const string Columns = "group_id, week, state, paper_key, picked_by, picked_at, auto_picked, presenter, channel_id, thread_id, revision";

    private const string UpdateFields =
        """
        state = excluded.state, paper_key = excluded.paper_key, picked_by = excluded.picked_by,
            picked_at = excluded.picked_at, auto_picked = excluded.auto_picked, presenter = excluded.presenter,
            channel_id = excluded.channel_id, thread_id = excluded.thread_id
        """;

    // Save keeps the stored revision; a pick or skip raises it in the same statement, so concurrent changes each count.
    private const string Upsert =
        $"""
        INSERT INTO week_plans ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (group_id, week) DO UPDATE SET {UpdateFields}
        """;

    private const string UpsertChange =
        $"""
        INSERT INTO week_plans ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)
        ON CONFLICT (group_id, week) DO UPDATE SET {UpdateFields}, revision = week_plans.revision + 1
        """;

    // Not kept: the scheduler reads a week's plan and then writes it (its thread, a pick); a kept copy could miss
    // another process's change of the last moment. The commands read ranges, which are kept.
    public WeekPlan? Find(GroupId group, WeekKey week) =>
        db.QueryFirst($"SELECT {Columns} FROM week_plans WHERE group_id = $1 AND week = $2", Read, group.Value, week.ToString());

    public void Save(WeekPlan plan)
    {
        db.Execute(Upsert, Values(plan));
        db.Forget(ReadKind.WeekPlans, plan.Group.Value);
    }

    // Week keys are zero-padded text, so text order is week order.
    public IReadOnlyList<WeekPlan> Range(GroupId group, WeekKey from, WeekKey to) => db.Read<IReadOnlyList<WeekPlan>>(ReadKind.WeekPlans, group.Value, $"range:{from}:{to}", () =>
        db.Query($"SELECT {Columns} FROM week_plans WHERE group_id = $1 AND week BETWEEN $2 AND $3 ORDER BY week COLLATE \"C\"", Read, group.Value, from.ToString(), to.ToString()));

    /// <summary>The plan and the suggestion in one transaction (one round trip).</summary>
    public void SavePick(WeekPlan plan, Suggestion? picked)
    {
        db.InTransaction(session =>
        {
            var statements = new List<(string, object?[])> { (UpsertChange, Values(plan)[..10]) };
            if (picked is not null)
            {
                statements.Add((PgSuggestionStore.Upsert, PgSuggestionStore.Values(picked)));
            }

            return session.ExecuteBatch(statements);
        });
        db.Forget(ReadKind.WeekPlans, plan.Group.Value);
        if (picked is not null)
        {
            db.Forget(ReadKind.Suggestions, picked.Group.Value);
        }
    }

    public void SaveSkip(WeekPlan plan, Suggestion? reopened) => SavePick(plan, reopened);

    public void Touch(GroupId group, IReadOnlyCollection<WeekKey> weeks)
    {
        db.Execute("UPDATE week_plans SET revision = revision + 1 WHERE group_id = $1 AND week = ANY($2)", group.Value, weeks.Select(w => w.ToString()).ToArray());
        db.Forget(ReadKind.WeekPlans, group.Value);
    }

    private static object?[] Values(WeekPlan p) =>
        [p.Group.Value, p.Week.ToString(), p.State.ToString(), p.PaperKey, p.PickedBy, p.PickedAt, p.AutoPicked, p.Presenter, p.ChannelId, p.ThreadId, p.Revision];

    private static WeekPlan Read(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        Week = r.Week(1),
        State = r.Enum<WeekPlanState>(2),
        PaperKey = r.OptionalString(3),
        PickedBy = r.OptionalString(4),
        PickedAt = r.OptionalInstant(5),
        AutoPicked = r.GetBoolean(6),
        Presenter = r.OptionalString(7),
        ChannelId = r.OptionalString(8),
        ThreadId = r.OptionalString(9),
        Revision = r.GetInt32(10),
    };
}

public sealed class PgDiscussionStore(PostgresDatabase db) : IDiscussionStore
{
    private const string Columns = "group_id, paper_key, week, author, text, at";

    public void Add(DiscussionNote note) => db.Execute(
        $"INSERT INTO discussion ({Columns}) VALUES ($1, $2, $3, $4, $5, $6)",
        note.Group.Value, note.PaperKey, note.Week.ToString(), note.Author, note.Text, note.At);

    public IReadOnlyList<DiscussionNote> ForPaper(GroupId group, string paperKey) =>
        db.Query($"SELECT {Columns} FROM discussion WHERE group_id = $1 AND paper_key = $2 ORDER BY at, note_id", Read, group.Value, paperKey);

    public IReadOnlyList<DiscussionNote> ForWeek(GroupId group, WeekKey week) =>
        db.Query($"SELECT {Columns} FROM discussion WHERE group_id = $1 AND week = $2 ORDER BY at, note_id", Read, group.Value, week.ToString());

    public IReadOnlyList<DiscussionNote> ForGroup(GroupId group) =>
        db.Query($"SELECT {Columns} FROM discussion WHERE group_id = $1 ORDER BY at, note_id", Read, group.Value);

    private static DiscussionNote Read(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        PaperKey = r.GetString(1),
        Week = r.Week(2),
        Author = r.GetString(3),
        Text = r.GetString(4),
        At = r.Instant(5),
    };
}

public sealed class PgPresenterStore(PostgresDatabase db) : IPresenterStore
{
    public IReadOnlyList<PresenterVolunteer> List(GroupId group) => db.Query(
        "SELECT user_id, volunteered_at, last_presented FROM presenters WHERE group_id = $1 ORDER BY volunteered_at, user_id",
        r => new PresenterVolunteer(group, r.GetString(0), r.Instant(1), r.OptionalWeek(2)), group.Value);

    public void Save(PresenterVolunteer volunteer) => db.Execute(
        """
        INSERT INTO presenters (group_id, user_id, volunteered_at, last_presented) VALUES ($1, $2, $3, $4)
        ON CONFLICT (group_id, user_id) DO UPDATE SET volunteered_at = excluded.volunteered_at, last_presented = excluded.last_presented
        """,
        volunteer.Group.Value, volunteer.UserId, volunteer.VolunteeredAt, volunteer.LastPresented?.ToString());
}

/// <summary>
/// Scheduled posts' durable claims. A claim is one <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c>: the row lock and
/// PostgreSQL's re-check of the condition on the latest row make exactly one of any number of racing processes win.
/// </summary>
public sealed class PgScheduledPostStore(PostgresDatabase db) : IScheduledPostStore
{
    private const string Columns = "post_key, group_id, week, kind, state, at, detail";

    public ScheduledPostRecord? Find(string key) =>
        db.QueryFirst($"SELECT {Columns} FROM scheduled_posts WHERE post_key = $1", Read, key);

    public bool TryClaim(ScheduledPostRecord claim, TimeSpan retryAfter, TimeSpan lease, out ScheduledPostRecord? earlier)
    {
        // "prior" is the row as this statement found it, returned beside the outcome so the caller learns what it replaced.
        var outcome = db.Query(
            $"""
            WITH prior AS (SELECT {Columns} FROM scheduled_posts WHERE group_id = $2 AND post_key = $1),
            claimed AS (
                INSERT INTO scheduled_posts AS p ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (group_id, post_key) DO UPDATE SET week = excluded.week, kind = excluded.kind, state = excluded.state,
                    at = excluded.at, detail = excluded.detail
                WHERE (p.state = 'Failed' AND excluded.at - p.at >= $8) OR (p.state = 'Claimed' AND excluded.at - p.at >= $9)
                RETURNING 1)
            SELECT prior.*, EXISTS (SELECT 1 FROM claimed) FROM (SELECT 1) one LEFT JOIN prior ON true
            """,
            r => (Prior: r.IsDBNull(0) ? null : Read(r), Taken: r.GetBoolean(7)),
            claim.Key, claim.Group.Value, claim.Week.ToString(), claim.Kind, claim.State.ToString(), claim.At, claim.Detail, retryAfter, lease)[0];
        db.Forget(ReadKind.ScheduledPosts, claim.Group.Value);
        earlier = outcome.Taken ? outcome.Prior : null;
        return outcome.Taken;
    }

    public void Complete(string key, ScheduledPostState state, DateTimeOffset at, string? detail)
    {
        var groups = db.Query("UPDATE scheduled_posts SET state = $2, at = $3, detail = $4 WHERE post_key = $1 RETURNING group_id", r => r.GetString(0), key, state.ToString(), at, detail);
        groups.ForEach(g => db.Forget(ReadKind.ScheduledPosts, g));
        if (groups.Count == 0)
        {
            throw new InvalidOperationException($"no claim for {key}");
        }
    }

    public IReadOnlyList<ScheduledPostRecord> Recent(GroupId group, int count) => db.Read<IReadOnlyList<ScheduledPostRecord>>(ReadKind.ScheduledPosts, group.Value, $"recent:{count}", () =>
        db.Query($"SELECT {Columns} FROM scheduled_posts WHERE group_id = $1 ORDER BY at DESC LIMIT $2", Read, group.Value, count));

    private static ScheduledPostRecord Read(NpgsqlDataReader r) => new(
        r.GetString(0), new GroupId(r.GetString(1)), r.Week(2), r.GetString(3), r.Enum<ScheduledPostState>(4), r.Instant(5), r.OptionalString(6));
}

/// <summary>RSVPs: one row per group, week and member; a new answer replaces the old in one upsert.</summary>
public sealed class PgRsvpStore(PostgresDatabase db) : IRsvpStore
{
    public void Save(Rsvp rsvp)
    {
        db.Execute(
            """
            INSERT INTO rsvps (group_id, week, member, answer, at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (group_id, week, member) DO UPDATE SET answer = excluded.answer, at = excluded.at
            """,
            rsvp.Group.Value, rsvp.Week.ToString(), rsvp.UserId, rsvp.Answer.ToString(), rsvp.At);
        db.Forget(ReadKind.Rsvps, rsvp.Group.Value);
    }

    public Rsvp? Find(GroupId group, WeekKey week, string userId) =>
        db.QueryFirst("SELECT week, member, answer, at FROM rsvps WHERE group_id = $1 AND week = $2 AND member = $3", r => Read(group, r), group.Value, week.ToString(), userId);

    public IReadOnlyList<Rsvp> ForWeek(GroupId group, WeekKey week) => db.Read<IReadOnlyList<Rsvp>>(ReadKind.Rsvps, group.Value, $"week:{week}", () =>
        db.Query("SELECT week, member, answer, at FROM rsvps WHERE group_id = $1 AND week = $2 ORDER BY at, member COLLATE \"C\"", r => Read(group, r), group.Value, week.ToString()));

    private static Rsvp Read(GroupId group, NpgsqlDataReader r) => new(group, r.Week(0), r.GetString(1), r.Enum<RsvpAnswer>(2), r.Instant(3));
}
