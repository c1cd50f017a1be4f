using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Wayr;

internal sealed record PostWayr(string Text) : Command;

internal sealed record ListWayr(string? Week) : Command;

internal sealed record EditWayr(int Number, string Text) : Command;

internal sealed record DeleteWayr(int Number) : Command;

internal sealed record ShowDigest(string? Week) : Command;

/// <summary><c>/wayr</c> ("What Are You Reading" posts) and <c>/digest</c>, the week's newsletter.</summary>
internal sealed class WayrCommands(WayrService wayr) : ICommandModule
{
    private static readonly OptionSpec Number = new("number", OptionKind.Integer, "the post's number in /wayr list") { Label = "post number" };

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("wayr", "post", "say what you are reading this week",
            [new OptionSpec("text", OptionKind.Text, "a paper, a status (skimmed/reading/read/implemented) and a note") { MaxLength = SharedOptions.MaxNoteLength, Label = "post" }],
            a => new PostWayr(a.Required("text"))) { IsDefault = true },
        new("wayr", "list", "show this week's (or another week's) WAYR posts", [SharedOptions.Week], a => new ListWayr(a.Optional("week"))),
        new("wayr", "edit", "change one of your posts of this week",
            [Number, new OptionSpec("text", OptionKind.Text, "the new post") { MaxLength = SharedOptions.MaxNoteLength, Label = "post" }],
            a => new EditWayr(a.OptionalInt("number")!.Value, a.Required("text"))),
        new("wayr", "delete", "delete one of your posts of this week", [Number], a => new DeleteWayr(a.OptionalInt("number")!.Value)),
        new("digest", null, "show the weekly digest", [SharedOptions.Week], a => new ShowDigest(a.Optional("week"))),
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        PostWayr c => wayr.PostAsync(invocation, c.Text, cancellationToken),
        ListWayr c => Task.FromResult(wayr.List(invocation, c.Week)),
        EditWayr c => wayr.EditAsync(invocation, c.Number, c.Text, cancellationToken),
        DeleteWayr c => Task.FromResult(wayr.Delete(invocation, c.Number)),
        ShowDigest c => Task.FromResult(wayr.ShowDigest(invocation, c.Week)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
