using ReadingBot.Core.Exports;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Roadmaps;

namespace ReadingBot.Core.Commands;

/// <summary>A command of paper intake: search, the roadmap, exports and imports.</summary>
public abstract record IntakeCommand : Command;

public sealed record SearchPapers(string Words) : IntakeCommand;

public sealed record ShowRoadmap : IntakeCommand;

public sealed record NextRoadmapPaper : IntakeCommand;

public sealed record ListRoadmap : IntakeCommand;

public sealed record ImportRoadmap(string Url) : IntakeCommand;

public sealed record ExportLibrary(string Format) : IntakeCommand;

public sealed record ImportLibrary(string Url) : IntakeCommand;

/// <summary>Routes the intake commands to search, the roadmap, exports and imports (one router case for all of them).</summary>
public sealed class IntakeCommandHandler(LibrarySearch search, RoadmapService roadmap, ExportService export, LibraryImport import)
{
    public Task<Reply> RouteAsync(Invocation invocation, IntakeCommand command, CancellationToken cancellationToken) => command switch
    {
        SearchPapers c => Task.FromResult(search.Search(invocation, c.Words)),
        ShowRoadmap => Task.FromResult(roadmap.Show(invocation)),
        NextRoadmapPaper => Task.FromResult(roadmap.Next(invocation)),
        ListRoadmap => Task.FromResult(roadmap.List(invocation)),
        ImportRoadmap c => roadmap.ImportAsync(invocation, c.Url, cancellationToken),
        ExportLibrary c => Task.FromResult(export.Export(invocation, c.Format)),
        ImportLibrary c => import.ImportAsync(invocation, c.Url, cancellationToken),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
