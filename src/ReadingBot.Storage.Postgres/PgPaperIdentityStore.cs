using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Wayr;

namespace ReadingBot.Storage.Postgres;

/// <summary>
/// Merges paper records found to be one paper, as the LiteDB store does, in set-based statements: one read of the
/// groups touched, one of the roadmaps naming the key, and one batch of writes, all in one transaction.
/// </summary>
public sealed class PgPaperIdentityStore(PostgresDatabase db) : IPaperIdentityStore
{
    public string Canonical(string key) =>
        db.QueryFirst("SELECT target_key FROM paper_aliases WHERE removed_key = $1", r => r.GetString(0), key) ?? key;

    public IReadOnlyList<Paper> FindSame(Paper paper)
    {
        if (string.IsNullOrWhiteSpace(paper.Doi))
        {
            return [];
        }

        var doi = paper.Doi.Trim().ToLowerInvariant();
        var key = "doi:" + doi;
        return db.Query(
            $"""
            SELECT {PgPaperStore.Columns} FROM papers
            WHERE (paper_key = $1 OR paper_key = (SELECT target_key FROM paper_aliases WHERE removed_key = $1) OR doi = $2) AND paper_key <> $3
            ORDER BY paper_key COLLATE "C"
            """,
            PgPaperStore.Read, key, doi, paper.Key);
    }

    public IReadOnlyList<GroupId> Merge(Paper survivor, string removedKey)
    {
        var to = survivor.Key;
        if (to == removedKey)
        {
            throw new ArgumentException("a record cannot be merged into itself", nameof(removedKey));
        }

        var merged = db.InTransaction(session =>
        {
            var groups = session.Query(
                """
                SELECT group_id FROM library WHERE paper_key = $1
                UNION SELECT group_id FROM suggestions WHERE paper_key = $1
                UNION SELECT group_id FROM week_plans WHERE paper_key = $1
                UNION SELECT group_id FROM discussion WHERE paper_key = $1
                UNION SELECT group_id FROM wayr_posts WHERE paper_key = $1
                UNION SELECT group_id FROM progress WHERE paper_key = $1
                UNION SELECT group_id FROM likes WHERE paper_key = $1
                UNION SELECT group_id FROM roadmap_progress WHERE $1 = ANY(done)
                UNION SELECT group_id FROM roadmaps WHERE jsonb_path_exists(sections, '$[*].items[*] ? (@.paper == $k)', jsonb_build_object('k', $1::text))
                """,
                r => r.GetString(0), removedKey);
            var roadmaps = session.Query(
                "SELECT group_id, sections::text FROM roadmaps WHERE jsonb_path_exists(sections, '$[*].items[*] ? (@.paper == $k)', jsonb_build_object('k', $1::text))",
                r => (Group: r.GetString(0), Sections: r.GetString(1)), removedKey);

            object?[] keys = [removedKey, to];
            var statements = new List<(string, object?[])>
            {
                (PgPaperStore.Upsert, PgPaperStore.Values(survivor)),
                ("DELETE FROM papers WHERE paper_key = $1", [removedKey]),
            };
            statements.AddRange(MergeLibrary.Select(sql => (sql, keys)));
            statements.AddRange(MergeSuggestions.Select(sql => (sql, keys)));
            statements.AddRange(RenamedTables.Select(t => ($"UPDATE {t} SET paper_key = $2 WHERE paper_key = $1", keys)));
            object?[] passes = [removedKey, to, Enum.GetNames<ReadingPass>()];
            statements.AddRange(MergeProgress.Select(sql => (sql, passes)));
            statements.AddRange(MergeLikes.Select(sql => (sql, keys)));
            statements.AddRange(roadmaps.Select(m => ("UPDATE roadmaps SET sections = $2 WHERE group_id = $1", new object?[] { m.Group, new Jsonb(RenameInSections(m.Sections, removedKey, to)) })));
            statements.Add((
                """
                UPDATE roadmap_progress SET done = ARRAY(SELECT k FROM unnest(array_replace(done, $1, $2)) WITH ORDINALITY AS d(k, i) GROUP BY k ORDER BY min(i))
                WHERE $1 = ANY(done)
                """, keys));
            statements.Add(("DELETE FROM paper_aliases WHERE removed_key = $2", keys));
            statements.Add(("UPDATE paper_aliases SET target_key = $2 WHERE target_key = $1", keys));
            statements.Add(("INSERT INTO paper_aliases (removed_key, target_key) VALUES ($1, $2) ON CONFLICT (removed_key) DO UPDATE SET target_key = excluded.target_key", keys));
            session.ExecuteBatch(statements);
            return (IReadOnlyList<GroupId>)[.. groups.Order(StringComparer.Ordinal).Select(g => new GroupId(g))];
        });

        // Records, entries and counts of any number of groups moved: start over.
        db.Cache.Clear();
        return merged;
    }

    // Week picks, discussion notes and WAYR posts name the paper and nothing keyed by it.
    private static readonly string[] RenamedTables = ["week_plans", "discussion", "wayr_posts"];

    // A group with entries for both keeps the older number (and its typed title, else the other's); the later entry goes.
    private static readonly string[] MergeLibrary =
    [
        """
        UPDATE library o SET given_title = coalesce(o.given_title, n.given_title), version_read = coalesce(o.version_read, n.version_read)
        FROM library n
        WHERE n.group_id = o.group_id AND o.paper_key IN ($1, $2) AND n.paper_key IN ($1, $2) AND o.paper_key <> n.paper_key AND o.number < n.number
        """,
        """
        DELETE FROM library n USING library o
        WHERE n.group_id = o.group_id AND o.paper_key IN ($1, $2) AND n.paper_key IN ($1, $2) AND o.paper_key <> n.paper_key AND o.number < n.number
        """,
        "UPDATE library SET paper_key = $2 WHERE paper_key = $1",
    ];

    // One group suggesting both keeps one suggestion with every voter, the earlier suggester and reason, and Picked if either was.
    private static readonly string[] MergeSuggestions =
    [
        """
        UPDATE suggestions t SET
            suggested_by = CASE WHEN m.suggested_at < t.suggested_at THEN m.suggested_by ELSE t.suggested_by END,
            why = coalesce(CASE WHEN m.suggested_at < t.suggested_at THEN m.why ELSE t.why END, m.why),
            suggested_at = least(m.suggested_at, t.suggested_at),
            voters = ARRAY(SELECT v FROM unnest(t.voters || m.voters) WITH ORDINALITY AS x(v, i) GROUP BY v ORDER BY min(i)),
            state = CASE WHEN m.state = 'Picked' THEN 'Picked' ELSE t.state END
        FROM suggestions m
        WHERE m.group_id = t.group_id AND m.paper_key = $1 AND t.paper_key = $2
        """,
        "DELETE FROM suggestions m USING suggestions t WHERE m.group_id = t.group_id AND m.paper_key = $1 AND t.paper_key = $2",
        "UPDATE suggestions SET paper_key = $2 WHERE paper_key = $1",
    ];

    // A member who read both keeps the further pass (the later on a tie); $3 lists the passes in order.
    private static readonly string[] MergeProgress =
    [
        """
        DELETE FROM progress t USING progress m
        WHERE t.group_id = m.group_id AND t.member = m.member AND m.paper_key = $1 AND t.paper_key = $2
          AND (array_position($3::text[], m.pass) > array_position($3::text[], t.pass) OR (m.pass = t.pass AND m.at > t.at))
        """,
        "DELETE FROM progress m USING progress t WHERE t.group_id = m.group_id AND t.member = m.member AND m.paper_key = $1 AND t.paper_key = $2",
        "UPDATE progress SET paper_key = $2 WHERE paper_key = $1",
    ];

    // A member who liked both keeps the earlier like.
    private static readonly string[] MergeLikes =
    [
        "DELETE FROM likes t USING likes m WHERE t.group_id = m.group_id AND t.member = m.member AND m.paper_key = $1 AND t.paper_key = $2 AND m.at < t.at",
        "DELETE FROM likes m USING likes t WHERE t.group_id = m.group_id AND t.member = m.member AND m.paper_key = $1 AND t.paper_key = $2",
        "UPDATE likes SET paper_key = $2 WHERE paper_key = $1",
    ];

    // A roadmap lists each paper once: the renamed item goes where it was unless the survivor was listed earlier.
    private static string RenameInSections(string json, string from, string to)
    {
        var sections = JsonNode.Parse(json)!.AsArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var items = section!["items"]!.AsArray();
            foreach (var item in items.ToList())
            {
                if ((string?)item!["paper"] == from)
                {
                    item["paper"] = to;
                }

                if (!seen.Add((string)item["paper"]!))
                {
                    items.Remove(item);
                }
            }
        }

        return sections.ToJsonString();
    }
}
