using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>Adds a paper's WAYR mentions and members' reading progress to its full card.</summary>
public sealed class WayrCardFields(IWayrStore wayr, IProgressStore progress, IMemberStore members) : IPaperCardContributor
{
    public IEnumerable<CardField> Fields(GroupId group, LibraryItem item)
    {
        var posts = wayr.PostsForPaper(group, item.Paper.Key);
        if (posts.Count > 0)
        {
            var who = posts.GroupBy(p => p.Author).Select(g => $"{Name(group, g.Key)}: {g.OrderBy(p => p.At).Last().Status.ToString().ToLowerInvariant()}");
            yield return new CardField("WAYR mentions", $"{posts.Count} post{(posts.Count == 1 ? "" : "s")} ({string.Join(", ", who)})");
        }

        var passes = progress.ForPaper(group, item.Paper.Key);
        if (passes.Count > 0)
        {
            yield return new CardField("Reading", string.Join(", ", passes.OrderByDescending(p => p.Pass).ThenBy(p => p.At).Select(p => $"{Name(group, p.Member)}: {Progress.ProgressService.PassName(p.Pass)}")));
        }
    }

    private string Name(GroupId group, string userId) => members.Find(group, userId)?.DisplayName ?? userId;
}

/// <summary>Makes discussion notes and WAYR notes about a paper searchable with it.</summary>
public sealed class DiscussionSearchText(ILibraryStore library, IDiscussionStore discussion, IWayrStore wayr) : ISearchTextSource
{
    public string? TextFor(GroupId group, int number)
    {
        if (library.FindByNumber(group, number) is not { } entry)
        {
            return null;
        }

        var notes = discussion.ForPaper(group, entry.PaperKey).Select(n => n.Text)
            .Concat(wayr.PostsForPaper(group, entry.PaperKey).Select(p => p.Note))
            .Where(t => t.Length > 0)
            .ToList();
        return notes.Count == 0 ? null : string.Join('\n', notes);
    }
}
