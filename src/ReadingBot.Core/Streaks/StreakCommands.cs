using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Streaks;

internal sealed record ShowStreak(string? Member) : Command;

internal sealed record CorrectStreak(string Member, string Week, string Outcome, string Reason) : Command;

internal sealed record ShowStreakAudit : Command;

internal sealed record ShowLeaderboard : Command;

/// <summary><c>/streak</c> (a member's weekly streak, corrections and their audit) and <c>/leaderboard</c>.</summary>
internal sealed class StreakCommands(StreakService streaks) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("streak", "show", "show a member's weekly streak", [SharedOptions.MemberOrYou], a => new ShowStreak(a.Optional("member"))) { IsDefault = true, Ephemeral = true },
        new("streak", "correct", "correct a member's closed week, with a reason",
            [
                new OptionSpec("member", OptionKind.Member, "the member"),
                new OptionSpec("week", OptionKind.Word, "a closed week such as 2026-W48"),
                new OptionSpec("result", OptionKind.Choice, "what the week should count as") { Choices = ["kept", "frozen", "missed"] },
                new OptionSpec("reason", OptionKind.Text, "the reason, kept in the audit log") { MaxLength = 300 },
            ],
            a => new CorrectStreak(a.Required("member"), a.Required("week"), a.Required("result"), a.Required("reason"))) { ModeratorOnly = true },
        new("streak", "audit", "list streak corrections", [], _ => new ShowStreakAudit()) { ModeratorOnly = true, Ephemeral = true },
        new("leaderboard", null, "rank members by weekly streak", [], _ => new ShowLeaderboard()),
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ShowStreak c => Task.FromResult(streaks.ShowStreak(invocation, c.Member)),
        CorrectStreak c => Task.FromResult(streaks.Correct(invocation, c.Member, c.Week, c.Outcome, c.Reason)),
        ShowStreakAudit => Task.FromResult(streaks.Audit(invocation)),
        ShowLeaderboard => Task.FromResult(streaks.Leaderboard(invocation)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
