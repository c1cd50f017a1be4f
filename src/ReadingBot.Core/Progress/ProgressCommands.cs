using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Progress;

internal sealed record RecordReading(string Reference, string Pass) : Command;

public sealed record ShowProgress(string? Member) : Command;

/// <summary><c>/read</c> (the three-pass reading progress of a paper) and <c>/progress</c>.</summary>
internal sealed class ProgressCommands(ProgressService progress) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("read", null, "record how far you are with a paper",
            [SharedOptions.PaperRef, new OptionSpec("pass", OptionKind.Choice, "the pass you finished") { Choices = ["pass1", "pass2", "pass3", "done"] }],
            a => new RecordReading(a.Required("ref"), a.Required("pass"))),
        new("progress", null, "show a member's reading progress", [SharedOptions.MemberOrYou], a => new ShowProgress(a.Optional("member"))) { Ephemeral = true },
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        RecordReading c => progress.RecordReadingAsync(invocation, c.Reference, c.Pass, cancellationToken),
        ShowProgress c => Task.FromResult(progress.ShowProgress(invocation, c.Member)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
