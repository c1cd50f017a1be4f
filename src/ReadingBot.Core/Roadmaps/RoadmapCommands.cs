using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Roadmaps;

internal sealed record ShowRoadmap : Command;

internal sealed record NextRoadmapPaper : Command;

internal sealed record ListRoadmap : Command;

internal sealed record ImportRoadmap(string Url) : Command;

/// <summary><c>/roadmap</c>: the group's curriculum and each member's place in it.</summary>
internal sealed class RoadmapCommands(RoadmapService roadmap) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("roadmap", "show", "show the group's reading roadmap and where you are", [], _ => new ShowRoadmap()) { IsDefault = true },
        new("roadmap", "next", "mark your current roadmap paper read and show the next", [], _ => new NextRoadmapPaper()),
        new("roadmap", "list", "list the whole roadmap", [], _ => new ListRoadmap()),
        new("roadmap", "import", "import a reading list from a Markdown document",
            [new OptionSpec("url", OptionKind.Word, "the link of a Markdown document") { MaxLength = 2000, Label = "link" }], a => new ImportRoadmap(a.Required("url"))) { ModeratorOnly = true },
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ShowRoadmap => Task.FromResult(roadmap.Show(invocation)),
        NextRoadmapPaper => Task.FromResult(roadmap.Next(invocation)),
        ListRoadmap => Task.FromResult(roadmap.List(invocation)),
        ImportRoadmap c => roadmap.ImportAsync(invocation, c.Url, cancellationToken),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
