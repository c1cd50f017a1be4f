using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Weeks;

/// <summary>Where a suggestion stands.</summary>
public enum SuggestionState
{
    Open,
    Picked,
}

/// <summary>A member's suggestion of a paper for a coming week, with the members who voted for it.</summary>
public sealed record Suggestion
{
    public required GroupId Group { get; init; }
    public required string PaperKey { get; init; }
    public required string SuggestedBy { get; init; }
    public string? Why { get; init; }
    public required DateTimeOffset SuggestedAt { get; init; }
    public IReadOnlyList<string> Voters { get; init; } = [];
    public SuggestionState State { get; init; } = SuggestionState.Open;
}

/// <summary>What a week holds: a paper, or a break.</summary>
public enum WeekPlanState
{
    Planned,
    Skipped,
}

/// <summary>The plan of one ISO week of one group: its paper (or a break), who picked it, the thread it got.</summary>
public sealed record WeekPlan
{
    public required GroupId Group { get; init; }
    public required WeekKey Week { get; init; }
    public WeekPlanState State { get; init; } = WeekPlanState.Planned;
    public string? PaperKey { get; init; }
    public string? PickedBy { get; init; }
    public DateTimeOffset? PickedAt { get; init; }
    public bool AutoPicked { get; init; }
    public string? Presenter { get; init; }
    public string? ChannelId { get; init; }
    public string? ThreadId { get; init; }

    /// <summary>
    /// How many times the week's pick, skip or meeting time changed since it was first planned: the calendar's
    /// SEQUENCE. The store owns it (<see cref="IWeekPlanStore.SavePick"/>, <see cref="IWeekPlanStore.SaveSkip"/> and
    /// <see cref="IWeekPlanStore.Touch"/> raise it; <see cref="IWeekPlanStore.Save"/> keeps it), so two changes in the
    /// same second still count twice.
    /// </summary>
    public int Revision { get; init; }
}

/// <summary>A note in the discussion of a week's paper, typed with /discuss or written in its thread.</summary>
public sealed record DiscussionNote
{
    public required GroupId Group { get; init; }
    public required string PaperKey { get; init; }
    public required WeekKey Week { get; init; }
    public required string Author { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>A member who volunteered to present, and when they last did.</summary>
public sealed record PresenterVolunteer(GroupId Group, string UserId, DateTimeOffset VolunteeredAt, WeekKey? LastPresented);

/// <summary>How a scheduled post ended.</summary>
public enum ScheduledPostState
{
    /// <summary>
    /// Claimed and being posted. A crash leaves it so; once the claim's lease has run out it is taken again, and the
    /// resend carries the same key so the platform does not show it twice.
    /// </summary>
    Claimed,
    Posted,
    Failed,
    Missed,
    Skipped,
}

/// <summary>The durable record of one scheduled post, keyed by group, week and kind.</summary>
public sealed record ScheduledPostRecord(string Key, GroupId Group, WeekKey Week, string Kind, ScheduledPostState State, DateTimeOffset At, string? Detail)
{
    /// <summary>The durable key of a group's week's event of one kind, as <see cref="WeeklyScheduler"/> claims it.</summary>
    public static string KeyOf(GroupId group, WeekKey week, string kind) => $"{group.Value}|{week}|{kind}";
}
