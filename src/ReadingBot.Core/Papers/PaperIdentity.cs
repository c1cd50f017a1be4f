using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Papers;

/// <summary>
/// Stores what keeps one record per paper: the keys that were merged into another record (so a later add of either
/// form finds the one record), the records that name the same paper, and the merge itself.
/// </summary>
public interface IPaperIdentityStore
{
    /// <summary>The key a paper lives under now: <paramref name="key"/> itself unless its record was merged into another.</summary>
    string Canonical(string key);

    /// <summary>
    /// Other stored records that are the same paper as <paramref name="paper"/>: the record keyed by its DOI
    /// (<c>doi:…</c>) or any record whose metadata carries the same DOI. Never <paramref name="paper"/>'s own key.
    /// </summary>
    IReadOnlyList<Paper> FindSame(Paper paper);

    /// <summary>
    /// In one transaction: stores <paramref name="survivor"/>, moves everything any group has on
    /// <paramref name="removedKey"/> (library entry, suggestion and votes, week picks, discussion, WAYR posts,
    /// reading progress, likes, roadmap items and progress) to the survivor's key, combining where a group has both,
    /// deletes the removed record and remembers <paramref name="removedKey"/> as an alias. Returns the groups touched.
    /// </summary>
    IReadOnlyList<GroupId> Merge(Paper survivor, string removedKey);
}

/// <summary>
/// One paper, one record: when metadata reveals that two records are one paper (a NeurIPS page whose meta tags carry
/// the DOI of a stored DOI record), merges them into the record with the most lasting id (arXiv, then DOI, then
/// OpenReview, then a plain link) and everything follows it.
/// </summary>
public sealed class PaperIdentity(IPaperIdentityStore store, PaperSearchIndex index)
{
    /// <summary>The key a reference's record lives under (see <see cref="IPaperIdentityStore.Canonical"/>).</summary>
    public string Canonical(string key) => store.Canonical(key);

    /// <summary>
    /// Given a paper whose metadata was just fetched (stored yet or not), merges every other record of the same
    /// paper with it and returns the record to use from now on (its key may be another record's).
    /// </summary>
    public Paper Reconcile(Paper resolved)
    {
        var same = store.FindSame(resolved).Where(p => p.Key != resolved.Key).ToList();
        if (same.Count == 0)
        {
            return resolved;
        }

        var all = same.Prepend(resolved).DistinctBy(p => p.Key).ToList();
        var survivor = all.OrderBy(p => Rank(p.Source)).ThenBy(p => p.Key, StringComparer.Ordinal).First();
        var merged = Combine(survivor, all);
        foreach (var other in all.Where(p => p.Key != survivor.Key))
        {
            foreach (var group in store.Merge(merged, other.Key))
            {
                // The group's numbers now name other records: its search index is rebuilt on next use.
                index.Forget(group);
            }
        }

        index.PaperUpdated(merged);
        return merged;
    }

    private static int Rank(PaperSource source) => source switch
    {
        PaperSource.Arxiv => 0,
        PaperSource.Doi => 1,
        PaperSource.OpenReview => 2,
        _ => 3,
    };

    /// <summary>The survivor's key, source and link with the facts of the resolved records, gaps filled from the others.</summary>
    public static Paper Combine(Paper survivor, IReadOnlyList<Paper> all)
    {
        var facts = survivor.State == MetadataState.Resolved ? survivor : all.FirstOrDefault(p => p.State == MetadataState.Resolved) ?? survivor;
        var others = all.Where(p => !ReferenceEquals(p, facts)).ToList();
        T? Fill<T>(T? own, Func<Paper, T?> pick)
            where T : class => own ?? others.Select(pick).FirstOrDefault(v => v is not null);
        return facts with
        {
            Key = survivor.Key,
            Source = survivor.Source,
            Url = survivor.Url,
            Title = Fill(facts.Title, p => p.Title),
            Authors = facts.Authors.Count > 0 ? facts.Authors : others.Select(p => p.Authors).FirstOrDefault(a => a.Count > 0) ?? [],
            Abstract = Fill(facts.Abstract, p => p.Abstract),
            Year = facts.Year ?? others.Select(p => p.Year).FirstOrDefault(y => y is not null),
            Venue = Fill(facts.Venue, p => p.Venue),
            Published = facts.Published ?? others.Select(p => p.Published).FirstOrDefault(d => d is not null),
            Updated = facts.Updated ?? others.Select(p => p.Updated).FirstOrDefault(d => d is not null),
            Categories = facts.Categories.Count > 0 ? facts.Categories : others.Select(p => p.Categories).FirstOrDefault(c => c.Count > 0) ?? [],
            PdfUrl = Fill(facts.PdfUrl, p => p.PdfUrl),
            Doi = survivor.Doi ?? Fill(facts.Doi, p => p.Doi),
            ArxivId = survivor.ArxivId ?? Fill(facts.ArxivId, p => p.ArxivId),
            JournalRef = Fill(facts.JournalRef, p => p.JournalRef),
            CodeUrl = Fill(facts.CodeUrl, p => p.CodeUrl),
            LatestVersion = Fill(facts.LatestVersion, p => p.LatestVersion),
        };
    }
}
