using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Merges paper records found to be one paper, and remembers merged-away keys (<c>paperAliases</c>:
/// <c>_id</c> = removed key, <c>target</c> = the surviving key). The merge touches every collection that names a
/// paper key; <c>PaperMergeTests</c> (Storage.LiteDb.Tests) checks that no document names the removed key afterwards.
/// </summary>
public sealed class LitePaperIdentityStore(ReadingBotDatabase db) : IPaperIdentityStore
{
    private ILiteCollection<BsonDocument> Aliases => db.Database.GetCollection(Collections.PaperAliases);

    public string Canonical(string key) =>
        Aliases.FindById(key) is { } alias ? alias["target"].AsString : key;

    public IReadOnlyList<Paper> FindSame(Paper paper)
    {
        if (string.IsNullOrWhiteSpace(paper.Doi))
        {
            return [];
        }

        var doi = paper.Doi.Trim().ToLowerInvariant();
        var papers = db.Database.GetCollection(Collections.Papers);
        var found = new Dictionary<string, Paper>(StringComparer.Ordinal);
        foreach (var key in new[] { "doi:" + doi, Canonical("doi:" + doi) })
        {
            if (papers.FindById(key) is { } d)
            {
                found[key] = Documents.ToPaper(d);
            }
        }

        foreach (var d in papers.Find(Where.Equal("doi", doi)))
        {
            found[d["_id"].AsString] = Documents.ToPaper(d);
        }

        found.Remove(paper.Key);
        return [.. found.Values.OrderBy(p => p.Key, StringComparer.Ordinal)];
    }

    // Synchronous by design: LiteDB binds a transaction to the calling thread.
    public IReadOnlyList<GroupId> Merge(Paper survivor, string removedKey)
    {
        var touched = db.InTransaction(() => MergeInto(db.Database, survivor, removedKey));
        // Library entries moved between records in any number of groups: the cached views go, after the commit.
        db.ClearCaches();
        return touched;
    }

    /// <summary>The merge without its transaction, for <see cref="Merge"/> and the schema migration.</summary>
    internal static IReadOnlyList<GroupId> MergeInto(LiteDatabase database, Paper survivor, string removedKey)
    {
        var to = survivor.Key;
        if (to == removedKey)
        {
            throw new ArgumentException("a record cannot be merged into itself", nameof(removedKey));
        }

        var groups = new HashSet<string>(StringComparer.Ordinal);
        var papers = database.GetCollection(Collections.Papers);
        papers.Upsert(Documents.FromPaper(survivor));
        papers.Delete(removedKey);

        MergeLibrary(database, removedKey, to, groups);
        MergeSuggestions(database, removedKey, to, groups);
        foreach (var plan in database.GetCollection(Collections.WeekPlans).Find(Where.Equal("paper", removedKey)).ToList())
        {
            plan["paper"] = to;
            database.GetCollection(Collections.WeekPlans).Update(plan);
            groups.Add(plan["group"].AsString);
        }

        // Discussion notes and WAYR posts carry the key in two fields and keep their own ids.
        foreach (var name in new[] { Collections.Discussion, Collections.WayrPosts })
        {
            var collection = database.GetCollection(name);
            foreach (var d in collection.Find(Where.Equal("paper", removedKey)).ToList())
            {
                d["paper"] = to;
                d["groupPaper"] = $"{d["group"].AsString}|{to}";
                collection.Update(d);
                groups.Add(d["group"].AsString);
            }
        }

        MergeProgress(database, removedKey, to, groups);
        MergeLikes(database, removedKey, to, groups);
        MergeRoadmaps(database, removedKey, to, groups);

        var aliases = database.GetCollection(Collections.PaperAliases);
        aliases.Delete(to);
        foreach (var earlier in aliases.Find(Where.Equal("target", removedKey)).ToList())
        {
            earlier["target"] = to;
            aliases.Update(earlier);
        }

        aliases.Upsert(new BsonDocument { ["_id"] = removedKey, ["target"] = to });
        return [.. groups.Order(StringComparer.Ordinal).Select(g => new GroupId(g))];
    }

    // A group with entries for both keeps the older number (and its typed title, else the other's); the later
    // entry goes, and the group-unique (group, paper) index never sees two entries for the survivor.
    private static void MergeLibrary(LiteDatabase database, string from, string to, HashSet<string> groups)
    {
        var library = database.GetCollection(Collections.Library);
        foreach (var moved in library.Find(Where.Equal("paper", from)).ToList())
        {
            var group = moved["group"].AsString;
            groups.Add(group);
            var kept = library.FindOne(Where.Equal("groupPaper", $"{group}|{to}"));
            if (kept is null)
            {
                moved["paper"] = to;
                moved["groupPaper"] = $"{group}|{to}";
                library.Update(moved);
                continue;
            }

            var (older, newer) = moved["number"].AsInt32 < kept["number"].AsInt32 ? (moved, kept) : (kept, moved);
            library.Delete(newer["_id"]);
            foreach (var field in new[] { "givenTitle", "versionRead" })
            {
                if (older[field].IsNull && !newer[field].IsNull)
                {
                    older[field] = newer[field];
                }
            }

            older["paper"] = to;
            older["groupPaper"] = $"{group}|{to}";
            library.Update(older);
        }
    }

    // Suggestions are keyed group|paper: a moved one is re-inserted; one group suggesting both keeps one suggestion
    // with every voter, the earlier suggester and reason, and Picked if either was picked.
    private static void MergeSuggestions(LiteDatabase database, string from, string to, HashSet<string> groups)
    {
        var suggestions = database.GetCollection(Collections.Suggestions);
        foreach (var moved in suggestions.Find(Where.Equal("paper", from)).ToList())
        {
            var group = moved["group"].AsString;
            groups.Add(group);
            suggestions.Delete(moved["_id"]);
            var target = suggestions.FindById($"{group}|{to}");
            if (target is null)
            {
                moved["_id"] = $"{group}|{to}";
                moved["paper"] = to;
                suggestions.Insert(moved);
                continue;
            }

            var voters = Documents.ReadStrings(target["voters"]).Concat(Documents.ReadStrings(moved["voters"])).Distinct(StringComparer.Ordinal).ToList();
            if (Documents.ReadInstant(moved["suggestedAt"]) < Documents.ReadInstant(target["suggestedAt"]))
            {
                foreach (var field in new[] { "suggestedBy", "why", "suggestedAt" })
                {
                    target[field] = moved[field];
                }
            }

            if (target["why"].IsNull)
            {
                target["why"] = moved["why"];
            }

            target["voters"] = Documents.Strings(voters);
            if (moved["state"].AsString == "Picked")
            {
                target["state"] = "Picked";
            }

            suggestions.Update(target);
        }
    }

    // Progress is keyed group|member|paper: a member who read both keeps the further pass (the later on a tie).
    private static void MergeProgress(LiteDatabase database, string from, string to, HashSet<string> groups)
    {
        var progress = database.GetCollection(Collections.Progress);
        foreach (var moved in progress.Find(Where.Equal("paper", from)).ToList())
        {
            var group = moved["group"].AsString;
            groups.Add(group);
            progress.Delete(moved["_id"]);
            var id = $"{group}|{moved["member"].AsString}|{to}";
            var target = progress.FindById(id);
            if (target is not null)
            {
                var movedPass = Enum.Parse<Core.Wayr.ReadingPass>(moved["pass"].AsString);
                var targetPass = Enum.Parse<Core.Wayr.ReadingPass>(target["pass"].AsString);
                var movedWins = movedPass > targetPass || (movedPass == targetPass && Documents.ReadInstant(moved["at"]) > Documents.ReadInstant(target["at"]));
                if (!movedWins)
                {
                    continue;
                }

                progress.Delete(id);
            }

            moved["_id"] = id;
            moved["paper"] = to;
            moved["groupPaper"] = $"{group}|{to}";
            LiteProgressStore.MarkFinished(moved);
            progress.Insert(moved);
        }
    }

    // Likes are keyed group|member|paper: a member who liked both keeps the earlier like.
    private static void MergeLikes(LiteDatabase database, string from, string to, HashSet<string> groups)
    {
        var likes = database.GetCollection(LiteLikeStore.Likes);
        foreach (var moved in likes.Find(Where.Equal("paper", from)).ToList())
        {
            var group = moved["group"].AsString;
            groups.Add(group);
            likes.Delete(moved["_id"]);
            var id = $"{group}|{moved["member"].AsString}|{to}";
            var target = likes.FindById(id);
            if (target is not null && Documents.ReadInstant(target["at"]) <= Documents.ReadInstant(moved["at"]))
            {
                continue;
            }

            likes.Delete(id);
            moved["_id"] = id;
            moved["paper"] = to;
            likes.Insert(moved);
        }
    }

    // A roadmap lists each paper once, and a member's roadmap progress names each finished paper once.
    private static void MergeRoadmaps(LiteDatabase database, string from, string to, HashSet<string> groups)
    {
        var roadmaps = database.GetCollection(LiteRoadmapStore.Roadmaps);
        foreach (var roadmap in roadmaps.FindAll().ToList())
        {
            var sections = roadmap["sections"].AsArray;
            if (!sections.Any(s => s["items"].AsArray.Any(i => i["paper"].AsString == from)))
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in sections)
            {
                var items = new BsonArray();
                foreach (var item in section["items"].AsArray)
                {
                    if (item["paper"].AsString == from)
                    {
                        item["paper"] = to;
                    }

                    if (seen.Add(item["paper"].AsString))
                    {
                        items.Add(item);
                    }
                }

                section["items"] = items;
            }

            roadmaps.Update(roadmap);
            groups.Add(roadmap["group"].AsString);
        }

        var progress = database.GetCollection(LiteRoadmapStore.Progress);
        foreach (var member in progress.FindAll().ToList())
        {
            var done = Documents.ReadStrings(member["done"]);
            if (!done.Contains(from, StringComparer.Ordinal))
            {
                continue;
            }

            member["done"] = Documents.Strings(done.Select(k => k == from ? to : k).Distinct(StringComparer.Ordinal));
            progress.Update(member);
            groups.Add(member["group"].AsString);
        }
    }
}
