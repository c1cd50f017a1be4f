using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Papers;

/// <summary><c>/paper search</c>: the group's library ranked by BM25.</summary>
public sealed class LibrarySearch(PaperSearchIndex index, LibraryService library, ILibraryStore entries)
{
    public const int MaxResults = 10;

    public Reply Search(Commands.Invocation invocation, string words)
    {
        var hits = index.Search(invocation.GroupId, words, MaxResults);
        var items = hits
            .Select(h => entries.FindByNumber(invocation.GroupId, h.Number))
            .Where(e => e is not null)
            .Select(e => library.Item(e!))
            .Select(i => new ListItem(PaperCards.Line(i), i.Paper.Url, new ReplyButton("Show", $"paper show #{i.Entry.Number}")))
            .ToList();
        var quoted = Commands.CommandBinder.Clip(words.Trim());
        return new ListReply($"Search: {quoted}", items,
            SearchTokenizer.Tokens(words).Any()
                ? $"No paper in the library matches '{quoted}'. Try other words, or /paper list."
                : "Give some words to look for, such as /paper search attention transformer.",
            items.Count == MaxResults ? $"The best {MaxResults} matches, ranked by BM25 over titles, authors and abstracts." : null);
    }
}
