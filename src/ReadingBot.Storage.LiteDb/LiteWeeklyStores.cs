using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Storage.LiteDb;

internal static class WeeklyDocuments
{
    public static BsonValue Week(WeekKey week) => week.ToString();

    public static WeekKey ReadWeek(BsonValue value) => WeekKey.TryParse(value.AsString, out var w) ? w : throw new FormatException($"bad week {value}");

    public static BsonDocument FromSuggestion(Suggestion s) => new()
    {
        ["_id"] = $"{s.Group.Value}|{s.PaperKey}",
        ["group"] = s.Group.Value,
        ["paper"] = s.PaperKey,
        ["suggestedBy"] = s.SuggestedBy,
        ["why"] = Documents.Optional(s.Why),
        ["suggestedAt"] = Documents.Instant(s.SuggestedAt),
        ["voters"] = Documents.Strings(s.Voters),
        ["state"] = s.State.ToString(),
    };

    public static Suggestion ToSuggestion(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        PaperKey = d["paper"].AsString,
        SuggestedBy = d["suggestedBy"].AsString,
        Why = Documents.ReadOptionalString(d["why"]),
        SuggestedAt = Documents.ReadInstant(d["suggestedAt"]),
        Voters = Documents.ReadStrings(d["voters"]),
        State = Enum.Parse<SuggestionState>(d["state"].AsString),
    };

    public static BsonDocument FromPlan(WeekPlan p) => new()
    {
        ["_id"] = $"{p.Group.Value}|{p.Week}",
        ["group"] = p.Group.Value,
        ["week"] = Week(p.Week),
        ["state"] = p.State.ToString(),
        ["paper"] = Documents.Optional(p.PaperKey),
        ["pickedBy"] = Documents.Optional(p.PickedBy),
        ["pickedAt"] = Documents.Instant(p.PickedAt),
        ["autoPicked"] = p.AutoPicked,
        ["presenter"] = Documents.Optional(p.Presenter),
        ["channel"] = Documents.Optional(p.ChannelId),
        ["thread"] = Documents.Optional(p.ThreadId),
        ["revision"] = p.Revision,
    };

    public static WeekPlan ToPlan(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        Week = ReadWeek(d["week"]),
        State = Enum.Parse<WeekPlanState>(d["state"].AsString),
        PaperKey = Documents.ReadOptionalString(d["paper"]),
        PickedBy = Documents.ReadOptionalString(d["pickedBy"]),
        PickedAt = Documents.ReadOptionalInstant(d["pickedAt"]),
        AutoPicked = d["autoPicked"].AsBoolean,
        Presenter = Documents.ReadOptionalString(d["presenter"]),
        ChannelId = Documents.ReadOptionalString(d["channel"]),
        ThreadId = Documents.ReadOptionalString(d["thread"]),
        Revision = Revision(d),
    };

    /// <summary>The stored revision; plans saved before revisions were kept have none, which reads as 0.</summary>
    public static int Revision(BsonDocument? d) => d is not null && d["revision"].IsNumber ? d["revision"].AsInt32 : 0;
}

public sealed class LiteSuggestionStore(ReadingBotDatabase db) : ISuggestionStore
{
    private ILiteCollection<BsonDocument> Suggestions => db.Database.GetCollection(Collections.Suggestions);

    public Suggestion? Find(GroupId group, string paperKey) =>
        Suggestions.FindById($"{group.Value}|{paperKey}") is { } d ? WeeklyDocuments.ToSuggestion(d) : null;

    public bool TryAdd(Suggestion suggestion)
    {
        try
        {
            Suggestions.Insert(WeeklyDocuments.FromSuggestion(suggestion));
            return true;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }

    public (Suggestion? Suggestion, bool Voted) ToggleVote(GroupId group, string paperKey, string userId) =>
        db.InTransaction(() =>
        {
            if (Find(group, paperKey) is not { } current)
            {
                return ((Suggestion?)null, false);
            }

            var voted = !current.Voters.Contains(userId);
            var updated = current with { Voters = voted ? [.. current.Voters, userId] : current.Voters.Where(v => v != userId).ToList() };
            Suggestions.Update(WeeklyDocuments.FromSuggestion(updated));
            return (updated, voted);
        });

    public void Save(Suggestion suggestion) => db.InTransaction(() =>
    {
        SaveKeepingVotes(Suggestions, suggestion);
        return true;
    });

    /// <summary>Saves a suggestion read earlier with the votes stored now (only <see cref="ToggleVote"/> changes them); call it in a transaction.</summary>
    internal static void SaveKeepingVotes(ILiteCollection<BsonDocument> suggestions, Suggestion suggestion)
    {
        var stored = suggestions.FindById($"{suggestion.Group.Value}|{suggestion.PaperKey}");
        suggestions.Upsert(WeeklyDocuments.FromSuggestion(stored is null ? suggestion : suggestion with { Voters = WeeklyDocuments.ToSuggestion(stored).Voters }));
    }

    public IReadOnlyList<Suggestion> ListOpen(GroupId group) =>
        Suggestions.Find(Where.Equal("group", group.Value)).Select(WeeklyDocuments.ToSuggestion).Where(s => s.State == SuggestionState.Open).ToList();
}

public sealed class LiteWeekPlanStore(ReadingBotDatabase db) : IWeekPlanStore
{
    private ILiteCollection<BsonDocument> Plans => db.Database.GetCollection(Collections.WeekPlans);

    public WeekPlan? Find(GroupId group, WeekKey week) =>
        Plans.FindById(Id(group, week)) is { } d ? WeeklyDocuments.ToPlan(d) : null;

    public void Save(WeekPlan plan) => db.InTransaction(() =>
    {
        var stored = Plans.FindById(Id(plan.Group, plan.Week));
        Plans.Upsert(WeeklyDocuments.FromPlan(plan with { Revision = stored is null ? plan.Revision : WeeklyDocuments.Revision(stored) }));
        return true;
    });

    public IReadOnlyList<WeekPlan> Range(GroupId group, WeekKey from, WeekKey to) =>
        Plans.Find(Where.Equal("group", group.Value)).Select(WeeklyDocuments.ToPlan)
            .Where(p => p.Week >= from && p.Week <= to).OrderBy(p => p.Week).ToList();

    public void SavePick(WeekPlan plan, Suggestion? picked) => db.InTransaction(() =>
    {
        var stored = Plans.FindById(Id(plan.Group, plan.Week));
        Plans.Upsert(WeeklyDocuments.FromPlan(plan with { Revision = stored is null ? 0 : WeeklyDocuments.Revision(stored) + 1 }));
        if (picked is not null)
        {
            LiteSuggestionStore.SaveKeepingVotes(db.Database.GetCollection(Collections.Suggestions), picked);
        }

        return true;
    });

    public void SaveSkip(WeekPlan plan, Suggestion? reopened) => SavePick(plan, reopened);

    public void Touch(GroupId group, IReadOnlyCollection<WeekKey> weeks) => db.InTransaction(() =>
    {
        foreach (var week in weeks)
        {
            if (Plans.FindById(Id(group, week)) is { } stored)
            {
                stored["revision"] = WeeklyDocuments.Revision(stored) + 1;
                Plans.Update(stored);
            }
        }

        return true;
    });

    private static string Id(GroupId group, WeekKey week) => $"{group.Value}|{week}";
}

public sealed class LiteDiscussionStore(ReadingBotDatabase db) : IDiscussionStore
{
    private ILiteCollection<BsonDocument> Notes => db.Database.GetCollection(Collections.Discussion);

    public void Add(DiscussionNote note) => Notes.Insert(new BsonDocument
    {
        ["_id"] = ObjectId.NewObjectId(),
        ["group"] = note.Group.Value,
        ["groupPaper"] = $"{note.Group.Value}|{note.PaperKey}",
        ["groupWeek"] = $"{note.Group.Value}|{note.Week}",
        ["paper"] = note.PaperKey,
        ["week"] = WeeklyDocuments.Week(note.Week),
        ["author"] = note.Author,
        ["text"] = note.Text,
        ["at"] = Documents.Instant(note.At),
    });

    public IReadOnlyList<DiscussionNote> ForPaper(GroupId group, string paperKey) =>
        Notes.Find(Where.Equal("groupPaper", $"{group.Value}|{paperKey}")).Select(ToNote).OrderBy(n => n.At).ToList();

    public IReadOnlyList<DiscussionNote> ForWeek(GroupId group, WeekKey week) =>
        Notes.Find(Where.Equal("groupWeek", $"{group.Value}|{week}")).Select(ToNote).OrderBy(n => n.At).ToList();

    public IReadOnlyList<DiscussionNote> ForGroup(GroupId group) =>
        Notes.Find(Where.Equal("group", group.Value)).Select(ToNote).OrderBy(n => n.At).ToList();

    private static DiscussionNote ToNote(BsonDocument d) => new()
    {
        Group = new GroupId(d["group"].AsString),
        PaperKey = d["paper"].AsString,
        Week = WeeklyDocuments.ReadWeek(d["week"]),
        Author = d["author"].AsString,
        Text = d["text"].AsString,
        At = Documents.ReadInstant(d["at"]),
    };
}

public sealed class LitePresenterStore(ReadingBotDatabase db) : IPresenterStore
{
    private ILiteCollection<BsonDocument> Presenters => db.Database.GetCollection(Collections.Presenters);

    public IReadOnlyList<PresenterVolunteer> List(GroupId group) =>
        Presenters.Find(Where.Equal("group", group.Value)).Select(d => new PresenterVolunteer(
            group, d["user"].AsString, Documents.ReadInstant(d["volunteeredAt"]), d["lastPresented"].IsNull ? null : WeeklyDocuments.ReadWeek(d["lastPresented"]))).ToList();

    public void Save(PresenterVolunteer volunteer) => Presenters.Upsert(new BsonDocument
    {
        ["_id"] = $"{volunteer.Group.Value}|{volunteer.UserId}",
        ["group"] = volunteer.Group.Value,
        ["user"] = volunteer.UserId,
        ["volunteeredAt"] = Documents.Instant(volunteer.VolunteeredAt),
        ["lastPresented"] = volunteer.LastPresented is { } w ? WeeklyDocuments.Week(w) : BsonValue.Null,
    });
}

public sealed class LiteScheduledPostStore(ReadingBotDatabase db) : IScheduledPostStore
{
    private ILiteCollection<BsonDocument> Posts => db.Database.GetCollection(Collections.ScheduledPosts);

    // A LiteDB transaction does not lock what it reads: two threads could both find a post free and both take it.
    // One process owns the file (and registers this store once), so a lock here makes the check and the write one step.
    private readonly Lock claimGate = new();

    public ScheduledPostRecord? Find(string key) => Posts.FindById(key) is { } d ? ToRecord(d) : null;

    public bool TryClaim(ScheduledPostRecord claim, TimeSpan retryAfter, TimeSpan lease, out ScheduledPostRecord? earlier)
    {
        lock (claimGate)
        {
            return TryClaimAlone(claim, retryAfter, lease, out earlier);
        }
    }

    private bool TryClaimAlone(ScheduledPostRecord claim, TimeSpan retryAfter, TimeSpan lease, out ScheduledPostRecord? earlier)
    {
        ScheduledPostRecord? replaced = null;
        var taken = db.InTransaction(() =>
        {
            var existing = Find(claim.Key);
            var retake = existing?.State switch
            {
                null => true,
                ScheduledPostState.Failed => claim.At - existing.At >= retryAfter,
                // A claim nobody completed within its lease: the process that made it died before marking it.
                ScheduledPostState.Claimed => claim.At - existing.At >= lease,
                _ => false,
            };
            if (!retake)
            {
                return false;
            }

            replaced = existing;
            Posts.Upsert(FromRecord(claim));
            return true;
        });
        earlier = taken ? replaced : null;
        return taken;
    }

    public void Complete(string key, ScheduledPostState state, DateTimeOffset at, string? detail)
    {
        var existing = Find(key) ?? throw new InvalidOperationException($"no claim for {key}");
        Posts.Update(FromRecord(existing with { State = state, At = at, Detail = detail }));
        if (state == ScheduledPostState.Posted)
        {
            // A posted announcement must survive a power cut: LiteDB fsyncs only at checkpoints.
            db.Checkpoint();
        }
    }

    public IReadOnlyList<ScheduledPostRecord> Recent(GroupId group, int count) =>
        Posts.Find(Where.Equal("group", group.Value)).Select(ToRecord).OrderByDescending(r => r.At).Take(count).ToList();

    private static BsonDocument FromRecord(ScheduledPostRecord r) => new()
    {
        ["_id"] = r.Key,
        ["group"] = r.Group.Value,
        ["week"] = WeeklyDocuments.Week(r.Week),
        ["kind"] = r.Kind,
        ["state"] = r.State.ToString(),
        ["at"] = Documents.Instant(r.At),
        ["detail"] = Documents.Optional(r.Detail),
    };

    private static ScheduledPostRecord ToRecord(BsonDocument d) => new(
        d["_id"].AsString, new GroupId(d["group"].AsString), WeeklyDocuments.ReadWeek(d["week"]), d["kind"].AsString,
        Enum.Parse<ScheduledPostState>(d["state"].AsString), Documents.ReadInstant(d["at"]), Documents.ReadOptionalString(d["detail"]));
}
