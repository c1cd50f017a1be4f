using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Weeks;

internal sealed record ShowWeek : Command;

internal sealed record PickWeek(string Reference, string? When) : Command;

internal sealed record ScheduleWeek(string Weekday, string Time, string Zone) : Command;

internal sealed record SkipWeek(string? When) : Command;

internal sealed record VolunteerToPresent : Command;

internal sealed record AnswerPresenting(string Answer, string? When) : Command;

internal sealed record RsvpWeek(string Answer, string? When) : Command;

public sealed record Discuss(string Text) : Command;

/// <summary><c>/week</c> (the paper of the week, its schedule and presenter) and <c>/discuss</c>.</summary>
internal sealed class WeekCommands(WeeklyPaperService weekly) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("week", "show", "show this week's paper and the coming picks", [], _ => new ShowWeek()) { IsDefault = true },
        new("week", "pick", "make a paper the paper of a week",
            [SharedOptions.PaperRef, SharedOptions.WeekOrDate],
            a => new PickWeek(a.Required("ref"), a.Optional("date"))) { ModeratorOnly = true },
        new("week", "schedule", "set when the weekly announcement goes out",
            [
                new OptionSpec("weekday", OptionKind.Choice, "the day of the week") { Choices = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] },
                new OptionSpec("time", OptionKind.Word, "the time of day, HH:MM (24-hour)"),
                new OptionSpec("zone", OptionKind.Word, "an IANA time zone such as Europe/Berlin") { MaxLength = 64, Label = "time zone" },
            ],
            a => new ScheduleWeek(a.Required("weekday"), a.Required("time"), a.Required("zone"))) { ModeratorOnly = true },
        new("week", "skip", "mark a week as a break", [SharedOptions.WeekOrDate], a => new SkipWeek(a.Optional("date"))) { ModeratorOnly = true },
        new("week", "rsvp", "say whether you come to a week's meeting (the next one by default)",
            [
                new OptionSpec("answer", OptionKind.Choice, "yes (going) or no (not this week)") { Choices = ["yes", "no"] },
                SharedOptions.WeekOrDate,
            ],
            a => new RsvpWeek(a.Required("answer"), a.Optional("date"))),
        new("week", "present", "volunteer to present a coming paper; as a week's presenter, confirm or decline",
            [
                new OptionSpec("answer", OptionKind.Choice, "confirm (I'm ready) or decline (can't make it), as the week's presenter", Required: false) { Choices = ["confirm", "decline"] },
                SharedOptions.WeekOrDate,
            ],
            a => a.Optional("answer") is { } answer ? new AnswerPresenting(answer, a.Optional("date")) : new VolunteerToPresent()),
        new("discuss", null, "add a note to the discussion of this week's paper",
            [new OptionSpec("text", OptionKind.Text, "your note") { MaxLength = SharedOptions.MaxNoteLength, Label = "note" }],
            a => new Discuss(a.Required("text"))),
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ShowWeek => weekly.ShowAsync(invocation, cancellationToken),
        PickWeek c => weekly.PickAsync(invocation, c.Reference, c.When, cancellationToken),
        ScheduleWeek c => Task.FromResult(weekly.Schedule(invocation, c.Weekday, c.Time, c.Zone)),
        SkipWeek c => Task.FromResult(weekly.Skip(invocation, c.When)),
        RsvpWeek c => Task.FromResult(weekly.Rsvp(invocation, c.Answer, c.When)),
        VolunteerToPresent => Task.FromResult(weekly.Volunteer(invocation)),
        AnswerPresenting c => Task.FromResult(weekly.AnswerPresenting(invocation, c.Answer == "confirm", c.When)),
        Discuss c => Task.FromResult(weekly.Discuss(invocation, c.Text)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
