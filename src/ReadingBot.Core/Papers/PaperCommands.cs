using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Papers;

internal sealed record AddPaper(string Reference, string? Title) : Command;

internal sealed record ShowPaper(string Reference) : Command;

internal sealed record ListPapers(int Page) : Command;

internal sealed record SearchPapers(string Words) : Command;

internal sealed record SuggestPaper(string Reference, string? Why) : Command;

internal sealed record VotePaper(string Reference) : Command;

internal sealed record ShowQueue : Command;

internal sealed record ImportLibrary(string Url) : Command;

/// <summary><c>/paper</c>: the library (add, show, list, search, import) and the suggestion queue.</summary>
internal sealed class PaperCommands(LibraryService library, LibrarySearch search, WeeklyPaperService weekly, LibraryImport import) : ICommandModule
{
    public const int MaxTitleLength = 300;

    private static readonly OptionSpec Ref = SharedOptions.PaperRef;

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("paper", "add", "add a paper to the library from an arXiv id, DOI or link",
            [Ref, new OptionSpec("title", OptionKind.Text, "the title, if the source may not know it", Required: false) { MaxLength = MaxTitleLength }],
            a => new AddPaper(a.Required("ref"), a.Optional("title"))),
        new("paper", "show", "show a paper's card", [Ref], a => new ShowPaper(a.Required("ref"))),
        new("paper", "list", "list the group's library",
            [new OptionSpec("page", OptionKind.Integer, "the page to show", Required: false)],
            a => new ListPapers(a.OptionalInt("page") ?? 1)),
        new("paper", "search", "search the library (ranked by BM25 over titles, authors and abstracts)",
            [new OptionSpec("words", OptionKind.Text, "words to look for") { MaxLength = 200, Label = "search" }], a => new SearchPapers(a.Required("words"))),
        new("paper", "suggest", "suggest a paper for a coming week",
            [Ref, new OptionSpec("why", OptionKind.Text, "why the group should read it", Required: false) { MaxLength = 500, Label = "reason" }],
            a => new SuggestPaper(a.Required("ref"), a.Optional("why"))),
        new("paper", "vote", "vote for a suggested paper (again to take the vote back)", [Ref], a => new VotePaper(a.Required("ref"))),
        new("paper", "queue", "show the suggestions ranked by votes", [], _ => new ShowQueue()),
        new("paper", "import", "add the papers of a ReadingBot JSON export (a /export json file or a library.json feed link)",
            [new OptionSpec("url", OptionKind.Word, "the link of the JSON export") { MaxLength = 2000, Label = "link" }], a => new ImportLibrary(a.Required("url"))) { ModeratorOnly = true },
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        AddPaper c => library.AddAsync(invocation, c.Reference, c.Title, cancellationToken),
        ShowPaper c => Task.FromResult(library.Show(invocation, c.Reference)),
        ListPapers c => Task.FromResult(library.List(invocation, c.Page)),
        SearchPapers c => Task.FromResult(search.Search(invocation, c.Words)),
        SuggestPaper c => weekly.SuggestAsync(invocation, c.Reference, c.Why, cancellationToken),
        VotePaper c => Task.FromResult(weekly.Vote(invocation, c.Reference)),
        ShowQueue => Task.FromResult(weekly.Queue(invocation)),
        ImportLibrary c => import.ImportAsync(invocation, c.Url, cancellationToken),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
