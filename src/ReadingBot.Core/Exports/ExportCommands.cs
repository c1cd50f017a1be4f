using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Exports;

internal sealed record ExportLibrary(string Format) : Command;

/// <summary><c>/export</c>: the group's library as a file in one of six formats.</summary>
internal sealed class ExportCommands(ExportService export) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("export", null, "export the group's library as a file",
            [new OptionSpec("format", OptionKind.Choice, "the file format") { Choices = ["markdown", "bibtex", "json", "csv", "rss", "ics"] }], a => new ExportLibrary(a.Required("format"))),
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ExportLibrary c => Task.FromResult(export.Export(invocation, c.Format)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
