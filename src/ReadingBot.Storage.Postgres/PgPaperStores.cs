using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.Postgres;

/// <summary>The shared paper records (one per key, for every group).</summary>
public sealed class PgPaperStore(PostgresDatabase db) : IPaperStore
{
    internal const string Columns =
        "paper_key, source, url, title, authors, abstract, year, venue, published, updated, categories, pdf_url, doi, arxiv_id, journal_ref, latest_version, state, attempts, next_attempt_at, last_error, fetched_at, code_url";

    internal const string Insert = $"INSERT INTO papers ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";

    internal const string UpdateAll =
        """
        DO UPDATE SET source = excluded.source, url = excluded.url, title = excluded.title, authors = excluded.authors,
            abstract = excluded.abstract, year = excluded.year, venue = excluded.venue, published = excluded.published,
            updated = excluded.updated, categories = excluded.categories, pdf_url = excluded.pdf_url, doi = excluded.doi,
            arxiv_id = excluded.arxiv_id, journal_ref = excluded.journal_ref, latest_version = excluded.latest_version,
            state = excluded.state, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
            last_error = excluded.last_error, fetched_at = excluded.fetched_at, code_url = excluded.code_url
        """;

    internal const string Upsert = $"{Insert} ON CONFLICT (paper_key) {UpdateAll}";

    public Paper? Find(string key) =>
        db.Cache.Papers.Read(key, () => db.QueryFirst($"SELECT {Columns} FROM papers WHERE paper_key = $1", Read, key));

    public IReadOnlyDictionary<string, Paper> FindMany(IReadOnlyCollection<string> keys) =>
        db.Cache.Papers.ReadMany(keys.Distinct(StringComparer.Ordinal), missing =>
            db.Query($"SELECT {Columns} FROM papers WHERE paper_key = ANY($1)", Read, (object)missing.ToArray()).Select(p => (p.Key, p)));

    /// <summary>Enrichment and metadata fetches update records in place: the kept copy is forgotten.</summary>
    public void Save(Paper paper)
    {
        db.Execute(Upsert, Values(paper));
        db.Cache.Papers.Forget(paper.Key);
    }

    public IReadOnlyList<Paper> FindDue(DateTimeOffset now, int limit) => db.Query(
        $"""
        SELECT {Columns} FROM papers WHERE state = 'Pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
        ORDER BY next_attempt_at NULLS FIRST, paper_key LIMIT $2
        """,
        Read, now, limit);

    internal static object?[] Values(Paper p) =>
    [
        p.Key, p.Source.ToString(), p.Url, p.Title, p.Authors.ToArray(), p.Abstract, p.Year, p.Venue, p.Published, p.Updated,
        p.Categories.ToArray(), p.PdfUrl, p.Doi, p.ArxivId, p.JournalRef, p.LatestVersion, p.State.ToString(), p.Attempts,
        p.NextAttemptAt, p.LastError, p.FetchedAt, p.CodeUrl,
    ];

    internal static Paper Read(NpgsqlDataReader r) => new()
    {
        Key = r.GetString(0),
        Source = r.Enum<PaperSource>(1),
        Url = r.GetString(2),
        Title = r.OptionalString(3),
        Authors = r.Strings(4),
        Abstract = r.OptionalString(5),
        Year = r.OptionalInt(6),
        Venue = r.OptionalString(7),
        Published = r.OptionalInstant(8),
        Updated = r.OptionalInstant(9),
        Categories = r.Strings(10),
        PdfUrl = r.OptionalString(11),
        Doi = r.OptionalString(12),
        ArxivId = r.OptionalString(13),
        JournalRef = r.OptionalString(14),
        LatestVersion = r.OptionalString(15),
        State = r.Enum<MetadataState>(16),
        Attempts = r.GetInt32(17),
        NextAttemptAt = r.OptionalInstant(18),
        LastError = r.OptionalString(19),
        FetchedAt = r.OptionalInstant(20),
        CodeUrl = r.OptionalString(21),
    };
}

public sealed class PgLibraryStore(PostgresDatabase db) : ILibraryStore
{
    private const string Columns = "group_id, number, paper_key, added_by, added_at, given_title, version_read";

    // The group's library view in PgReadCache holds every part read (entries by number and by paper, pages, the size);
    // any write to the group's entries forgets the whole view.
    public LibraryEntry? FindByNumber(GroupId group, int number) => db.Cache.Libraries.Read(
        group.Value,
        view => view.ByNumber.GetValueOrDefault(number),
        () => db.QueryFirst($"SELECT {Columns} FROM library WHERE group_id = $1 AND number = $2", Read, group.Value, number),
        (view, entry) => entry is null ? null : (view ?? LibraryView.Empty) with { ByNumber = (view ?? LibraryView.Empty).ByNumber.SetItem(number, entry) });

    // A paper that is not in the library is kept as such too: /paper queue asks it of every suggestion each time.
    // Any change to the group's library forgets its whole view, the known absences with it.
    public LibraryEntry? FindByPaper(GroupId group, string paperKey) => db.Cache.Libraries.Read(
        group.Value,
        view => view.ByPaper.TryGetValue(paperKey, out var known) ? new KnownEntry(known) : null,
        () => new KnownEntry(db.QueryFirst($"SELECT {Columns} FROM library WHERE group_id = $1 AND paper_key = $2", Read, group.Value, paperKey)),
        (view, known) => (view ?? LibraryView.Empty) with { ByPaper = (view ?? LibraryView.Empty).ByPaper.SetItem(paperKey, known.Entry) }).Entry;

    public IReadOnlyList<LibraryEntry> List(GroupId group, int skip, int take) => db.Cache.Libraries.Read(
        group.Value,
        view => view.Pages.GetValueOrDefault((skip, take)),
        () => (IReadOnlyList<LibraryEntry>)db.Query($"SELECT {Columns} FROM library WHERE group_id = $1 ORDER BY number OFFSET $2 LIMIT $3", Read, group.Value, skip, take),
        (view, page) => (view ?? LibraryView.Empty) with { Pages = (view ?? LibraryView.Empty).Pages.SetItem((skip, take), page) });

    public int Count(GroupId group) => db.Cache.Libraries.Read<int?>(
        group.Value,
        view => view.Count,
        () => db.Query("SELECT count(*)::int FROM library WHERE group_id = $1", r => r.GetInt32(0), group.Value)[0],
        (view, count) => (view ?? LibraryView.Empty) with { Count = count }) ?? 0;

    public (LibraryEntry Entry, bool Created) Add(GroupId group, Paper paper, string addedBy, string? givenTitle, string? version, DateTimeOffset at)
    {
        var added = AddInTransaction(group, paper, addedBy, givenTitle, version, at);
        if (added.Created)
        {
            // The entry, the group's counter and perhaps the shared record changed (the record's key may be a merge target's).
            db.Cache.Libraries.Forget(group.Value);
            db.Cache.Groups.Forget(group.Value);
            db.Cache.Papers.Forget(added.Entry.PaperKey);
        }

        return added;
    }

    private (LibraryEntry Entry, bool Created) AddInTransaction(GroupId group, Paper paper, string addedBy, string? givenTitle, string? version, DateTimeOffset at) =>
        db.InTransaction<(LibraryEntry, bool)>(session =>
        {
            // The record was merged into another one while the add fetched its metadata: the entry goes there.
            if (session.QueryFirst("SELECT target_key FROM paper_aliases WHERE removed_key = $1", r => r.GetString(0), paper.Key) is { } target)
            {
                paper = session.QueryFirst($"SELECT {PgPaperStore.Columns} FROM papers WHERE paper_key = $1", PgPaperStore.Read, target) ?? paper with { Key = target };
            }

            // The group's row lock orders concurrent adds to one group (other processes' too): the check below then
            // sees every add committed before this one, and the counter hands out each number once.
            var number = session.Query("SELECT next_paper_number FROM groups WHERE group_id = $1 FOR UPDATE", r => r.GetInt32(0), group.Value);
            if (number.Count == 0)
            {
                throw new InvalidOperationException($"group {group} is not stored");
            }

            if (session.QueryFirst($"SELECT {Columns} FROM library WHERE group_id = $1 AND paper_key = $2", Read, group.Value, paper.Key) is { } existing)
            {
                return (existing, false);
            }

            var entry = new LibraryEntry { Group = group, Number = number[0], PaperKey = paper.Key, AddedBy = addedBy, AddedAt = at, GivenTitle = givenTitle, VersionRead = version };
            session.ExecuteBatch(
            [
                // Keep the shared record unless this add brings better metadata than it holds.
                ($"{PgPaperStore.Insert} ON CONFLICT (paper_key) {PgPaperStore.UpdateAll} WHERE $17 = 'Resolved' AND papers.state <> 'Resolved'", PgPaperStore.Values(paper)),
                ("UPDATE groups SET next_paper_number = next_paper_number + 1 WHERE group_id = $1", [group.Value]),
                ($"INSERT INTO library ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7)", [group.Value, entry.Number, entry.PaperKey, addedBy, at, givenTitle, version]),
            ]);
            return (entry, true);
        });

    private static LibraryEntry Read(NpgsqlDataReader r) => new()
    {
        Group = new GroupId(r.GetString(0)),
        Number = r.GetInt32(1),
        PaperKey = r.GetString(2),
        AddedBy = r.GetString(3),
        AddedAt = r.Instant(4),
        GivenTitle = r.OptionalString(5),
        VersionRead = r.OptionalString(6),
    };
}
