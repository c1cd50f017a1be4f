using System.Collections.Concurrent;
using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Papers;

/// <summary>
/// Text about a library entry besides its paper's metadata (discussion notes, WAYR posts), searched with weight 1.
/// Features that own such text register one and call <see cref="PaperSearchIndex.EntryChanged"/> when it changes.
/// </summary>
public interface ISearchTextSource
{
    string? TextFor(GroupId group, int number);

    /// <summary>
    /// The text of each of <paramref name="entries"/> (all of one group) that has any, by entry number, in a few reads
    /// whatever their count: the search index loads a whole library at once.
    /// </summary>
    IReadOnlyDictionary<int, string> TextsFor(GroupId group, IReadOnlyList<LibraryEntry> entries);
}

/// <summary>A paper found by a search, with its BM25 score.</summary>
public sealed record SearchHit(int Number, string PaperKey, double Score);

/// <summary>
/// Ranks a group's library with BM25 (k1 = 1.2, b = 0.75) over title (weight 3), authors (weight 2) and abstract
/// (weight 1). One in-memory inverted index per group, loaded from the store on the group's first search and then
/// kept up to date as papers are added or filled in; a query never rebuilds it.
/// </summary>
public sealed class PaperSearchIndex(ILibraryStore library, IPaperStore papers, IEnumerable<ISearchTextSource> extraText)
{
    private readonly ConcurrentDictionary<GroupId, GroupSearchIndex> groups = new();

    // One gate per group: a group's load (a round trip or more to the store) holds up that group's searches and
    // additions only, never another group's.
    private readonly ConcurrentDictionary<GroupId, Lock> gates = new();

    private Lock GateOf(GroupId group) => gates.GetOrAdd(group, static _ => new Lock());

    /// <summary>A paper joined the group's library.</summary>
    public void Added(LibraryEntry entry, Paper paper)
    {
        lock (GateOf(entry.Group))
        {
            if (groups.TryGetValue(entry.Group, out var index))
            {
                index.Upsert(entry.Number, paper, entry.GivenTitle, Extra(entry.Group, entry.Number));
            }
        }
    }

    /// <summary>Something searchable about one entry changed (a note was added): re-index it if the group is loaded.</summary>
    public void EntryChanged(GroupId group, int number)
    {
        if (groups.ContainsKey(group) && library.FindByNumber(group, number) is { } entry)
        {
            Added(entry, papers.Find(entry.PaperKey) ?? Paper.Pending(PaperRef.FromKey(entry.PaperKey)));
        }
    }

    /// <summary>A shared paper record changed (metadata filled in): re-index it in every loaded group that has it.</summary>
    public void PaperUpdated(Paper paper)
    {
        foreach (var (group, index) in groups)
        {
            index.Update(paper, number => Extra(group, number));
        }
    }

    /// <summary>Forgets a group's index (its data was removed).</summary>
    /// <remarks>The group's gate stays: a load holding it while the group is forgotten must not race a second gate's load.</remarks>
    public void Forget(GroupId group) => groups.TryRemove(group, out _);

    public IReadOnlyList<SearchHit> Search(GroupId group, string query, int limit) => For(group).Search(query, limit);

    private string? Extra(GroupId group, int number) => Join(extraText.Select(s => s.TextFor(group, number)));

    private static string? Join(IEnumerable<string?> texts)
    {
        var present = texts.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        return present.Count == 0 ? null : string.Join('\n', present);
    }

    public GroupSearchIndex For(GroupId group)
    {
        if (groups.TryGetValue(group, out var existing))
        {
            return existing;
        }

        lock (GateOf(group))
        {
            if (groups.TryGetValue(group, out existing))
            {
                return existing;
            }

            // A page of entries, its papers and its extra text in a few reads, not a few per entry.
            var index = new GroupSearchIndex();
            var count = library.Count(group);
            const int page = 1000;
            for (var skip = 0; skip < count; skip += page)
            {
                var entries = library.List(group, skip, page);
                var found = papers.FindMany(entries.Select(e => e.PaperKey).Distinct().ToList());
                var texts = extraText.Select(s => s.TextsFor(group, entries)).ToList();
                foreach (var entry in entries)
                {
                    var paper = found.TryGetValue(entry.PaperKey, out var p) ? p : Paper.Pending(PaperRef.FromKey(entry.PaperKey));
                    index.Upsert(entry.Number, paper, entry.GivenTitle, Join(texts.Select(t => t.GetValueOrDefault(entry.Number))));
                }
            }

            index.TrimExcess();
            groups[group] = index;
            return index;
        }
    }
}
