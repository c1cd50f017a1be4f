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

        return Join(discussion.ForPaper(group, entry.PaperKey).Select(n => n.Text).Concat(wayr.PostsForPaper(group, entry.PaperKey).Select(p => p.Note)));
    }

    public IReadOnlyDictionary<int, string> TextsFor(GroupId group, IReadOnlyList<LibraryEntry> entries)
    {
        var notes = discussion.ForGroup(group).ToLookup(n => n.PaperKey, n => n.Text);
        var posts = wayr.AllPosts(group).Where(p => p.PaperKey is not null).OrderBy(p => p.At).ToLookup(p => p.PaperKey!, p => p.Note);
        var texts = new Dictionary<int, string>();
        foreach (var entry in entries)
        {
            if (Join(notes[entry.PaperKey].Concat(posts[entry.PaperKey])) is { } text)
            {
                texts[entry.Number] = text;
            }
        }

        return texts;
    }

    private static string? Join(IEnumerable<string> texts)
    {
        var present = texts.Where(t => t.Length > 0).ToList();
        return present.Count == 0 ? null : string.Join('\n', present);
    }
}
