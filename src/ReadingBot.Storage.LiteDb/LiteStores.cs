using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Groups, read on every command: a group's document is kept in memory after its first read, so a command costs no
/// LiteDB query for it. LiteDB is single-process, so every write to the groups collection passes through this
/// process's stores, and each one forgets the cached copy after its commit (<see cref="GroupCache"/>). A save from
/// inside a longer transaction forgets before that transaction commits; none on the command path does.
/// </summary>
public sealed class LiteGroupStore(ReadingBotDatabase db) : IGroupStore
{
    private ILiteCollection<BsonDocument> Groups => db.Database.GetCollection(Collections.Groups);

    public Group? Find(GroupId id)
    {
        if (db.Groups.TryGet(id.Value, out var cached))
        {
            return cached;
        }

        var readAt = db.Groups.Generation;
        var group = Groups.FindById(id.Value) is { } d ? Documents.ToGroup(d) : null;
        if (group is not null)
        {
            db.Groups.Remember(group, readAt);
        }

        return group;
    }

    public Group GetOrAdd(GroupId id, Func<Group> create)
    {
        if (Find(id) is { } existing)
        {
            return existing;
        }

        var group = create();
        try
        {
            Groups.Insert(Documents.FromGroup(group));
            return group;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            // Two first commands of a new group raced; the other one created it.
            return Find(id)!;
        }
    }

    /// <summary>
    /// Saves the group's settings and names. The paper counter is the library's (it moves inside the add's
    /// transaction), so a copy read before an add never winds it back.
    /// </summary>
    public void Save(Group group)
    {
        db.InTransaction(() =>
        {
            var document = Documents.FromGroup(group);
            if (Groups.FindById(group.Id.Value) is { } stored && stored["nextPaperNumber"].AsInt32 > group.NextPaperNumber)
            {
                document["nextPaperNumber"] = stored["nextPaperNumber"];
            }

            return Groups.Upsert(document);
        });
        db.Groups.Forget(group.Id.Value);
    }

    public void SetPlatformName(GroupId id, string name)
    {
        db.InTransaction(() =>
        {
            if (Groups.FindById(id.Value) is not { } stored)
            {
                return false;
            }

            stored["platformName"] = name;
            return Groups.Update(stored);
        });
        db.Groups.Forget(id.Value);
    }

    public IReadOnlyList<Group> All() => Groups.FindAll().Select(Documents.ToGroup).ToList();
}

public sealed class LiteMemberStore(ReadingBotDatabase db) : IMemberStore
{
    private ILiteCollection<BsonDocument> Members => db.Database.GetCollection(Collections.Members);

    public Member? Find(GroupId group, string userId)
    {
        var id = Documents.MemberId(group, userId);
        if (db.Members.TryGet(id, out var cached))
        {
            return cached;
        }

        var readAt = db.Members.Generation;
        var member = Members.FindById(id) is { } d ? Documents.ToMember(d) : null;
        if (member is not null)
        {
            db.Members.Remember(id, member, readAt);
        }

        return member;
    }

    public Member? FindByIdOrName(GroupId group, string idOrName)
    {
        var text = idOrName.Trim().TrimStart('@');
        return Find(group, text)
            ?? List(group).FirstOrDefault(m => string.Equals(m.DisplayName, text, StringComparison.OrdinalIgnoreCase));
    }

    public void Save(Member member)
    {
        var document = Documents.FromMember(member);
        Members.Upsert(document);
        db.Members.Forget(document["_id"].AsString);
    }

    public IReadOnlyList<Member> List(GroupId group) =>
        Members.Find(Where.Equal("group", group.Value)).Select(Documents.ToMember).OrderBy(m => m.JoinedAt).ToList();
}

public sealed class LitePaperStore(ReadingBotDatabase db) : IPaperStore
{
    private ILiteCollection<BsonDocument> Papers => db.Database.GetCollection(Collections.Papers);

    public Paper? Find(string key)
    {
        if (db.Papers.TryGet(key, out var kept))
        {
            return kept;
        }

        var readAt = db.Papers.Generation;
        if (Papers.FindById(key) is not { } document)
        {
            return null;
        }

        var paper = Documents.ToPaper(document);
        db.Papers.Remember(key, paper, readAt);
        return paper;
    }

    public IReadOnlyDictionary<string, Paper> FindMany(IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, Paper>(keys.Count, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!found.ContainsKey(key) && Find(key) is { } paper)
            {
                found[key] = paper;
            }
        }

        return found;
    }

    public void Save(Paper paper)
    {
        Papers.Upsert(Documents.FromPaper(paper));
        db.Papers.Forget(paper.Key);
    }

    public IReadOnlyList<Paper> FindDue(DateTimeOffset now, int limit) =>
        Papers.Find(Where.Equal("state", nameof(MetadataState.Pending)))
            .Select(Documents.ToPaper)
            .Where(p => p.NextAttemptAt is null || p.NextAttemptAt <= now)
            .OrderBy(p => p.NextAttemptAt ?? DateTimeOffset.MinValue)
            .Take(limit)
            .ToList();
}

public sealed class LiteLibraryStore(ReadingBotDatabase db) : ILibraryStore
{
    private ILiteCollection<BsonDocument> Library => db.Database.GetCollection(Collections.Library);

    public LibraryEntry? FindByNumber(GroupId group, int number) =>
        Library.FindById($"{group.Value}#{number}") is { } d ? Documents.ToEntry(d) : null;

    public LibraryEntry? FindByPaper(GroupId group, string paperKey) =>
        Library.FindOne(Where.Equal("groupPaper", $"{group.Value}|{paperKey}")) is { } d ? Documents.ToEntry(d) : null;

    public IReadOnlyList<LibraryEntry> List(GroupId group, int skip, int take)
    {
        if (db.Libraries.TryGet(group.Value, out var view) && view.Pages.TryGetValue((skip, take), out var kept))
        {
            return kept;
        }

        var readAt = db.Libraries.Generation;
        // In the order of the groupNumber index: LiteDB sorts an ORDER BY in an 800 KB buffer per query, so the page
        // is read along the index instead (docs/benchmarks.md, issue #15).
        IReadOnlyList<LibraryEntry> page = Library.Find(Where.Between(Documents.GroupNumberKey, Documents.GroupNumber(group, 0), Documents.GroupNumber(group, int.MaxValue)), skip, take)
            .Select(Documents.ToEntry).ToList().AsReadOnly();
        db.Libraries.Update(group.Value, v => (v ?? LibraryView.Empty).WithPage(skip, take, page), readAt);
        return page;
    }

    public int Count(GroupId group)
    {
        if (db.Libraries.TryGet(group.Value, out var view) && view.Count is { } kept)
        {
            return kept;
        }

        var readAt = db.Libraries.Generation;
        var count = Library.Count(Where.Equal("group", group.Value));
        db.Libraries.Update(group.Value, v => (v ?? LibraryView.Empty) with { Count = count }, readAt);
        return count;
    }

    public (LibraryEntry Entry, bool Created) Add(GroupId group, Paper paper, string addedBy, string? givenTitle, string? version, DateTimeOffset at)
    {
        string? wrotePaper = null;
        var added = db.InTransaction<(LibraryEntry Entry, bool Created)>(() =>
        {
            var papers = db.Database.GetCollection(Collections.Papers);
            if (db.Database.GetCollection(Collections.PaperAliases).FindById(paper.Key) is { } alias)
            {
                // The record was merged into another one while the add fetched its metadata: the entry goes there.
                var target = alias["target"].AsString;
                paper = papers.FindById(target) is { } survivor ? Documents.ToPaper(survivor) : paper with { Key = target };
            }

            if (FindByPaper(group, paper.Key) is { } existing)
            {
                return (existing, false);
            }

            var stored = papers.FindById(paper.Key);
            // Keep the shared record unless this add brings better metadata than it holds.
            if (stored is null || (paper.State == MetadataState.Resolved && stored["state"].AsString != nameof(MetadataState.Resolved)))
            {
                papers.Upsert(Documents.FromPaper(paper));
                wrotePaper = paper.Key;
            }

            var groups = db.Database.GetCollection(Collections.Groups);
            var groupDoc = groups.FindById(group.Value) ?? throw new InvalidOperationException($"group {group} is not stored");
            var number = groupDoc["nextPaperNumber"].AsInt32;
            groupDoc["nextPaperNumber"] = number + 1;
            groups.Update(groupDoc);

            var entry = new LibraryEntry { Group = group, Number = number, PaperKey = paper.Key, AddedBy = addedBy, AddedAt = at, GivenTitle = givenTitle, VersionRead = version };
            Library.Insert(Documents.FromEntry(entry));
            return (entry, true);
        });

        // The group's paper counter and library moved: their cached copies go once the transaction has committed.
        if (wrotePaper is not null)
        {
            db.Papers.Forget(wrotePaper);
        }

        if (added.Created)
        {
            db.Groups.Forget(group.Value);
            db.Libraries.Change(group.Value, view => view.AfterAppend());
        }

        return added;
    }
}

public sealed class LiteTenantDataStore(ReadingBotDatabase db) : ITenantDataStore
{
    public int RemoveWorkspace(string platform, string workspace)
    {
        var prefix = GroupAddress.WorkspacePrefix(platform, workspace);
        var count = db.InTransaction(() =>
        {
            var removed = 0;
            foreach (var name in db.Registry.GroupOwned)
            {
                removed += db.Database.GetCollection(name).DeleteMany(BsonExpression.Create("group = @0 OR group LIKE @1", prefix, prefix + ":%"));
            }

            removed += db.Database.GetCollection(Collections.Groups).DeleteMany(BsonExpression.Create("_id = @0 OR _id LIKE @1", prefix, prefix + ":%"));
            return removed;
        });
        db.ClearCaches();
        return count;
    }
}

/// <summary>The delivery log on the database's <see cref="DeliveryJournal"/>.</summary>
public sealed class LiteDeliveryLog(ReadingBotDatabase db) : ReadingBot.Core.Ports.IDeliveryLog
{
    public bool TryRecord(string key, DateTimeOffset now, DateTimeOffset expiresAt) =>
        db.Deliveries.TryRecordAll([new ReadingBot.Core.Ports.DeliveryKey(key, expiresAt)], now)[0];

    /// <summary>Every key with one write: one system call for a batch of deliveries.</summary>
    public IReadOnlyList<bool> TryRecordAll(IReadOnlyList<ReadingBot.Core.Ports.DeliveryKey> keys, DateTimeOffset now) =>
        db.Deliveries.TryRecordAll(keys, now);

    public int Purge(DateTimeOffset now) => db.Deliveries.Purge(now);
}

public sealed class LiteAdapterStateStore(ReadingBotDatabase db) : ReadingBot.Core.Ports.IAdapterStateStore
{
    private ILiteCollection<BsonDocument> State => db.Database.GetCollection(Collections.AdapterState);

    public string? Get(string key) => State.FindById(key)?["value"].AsString;

    public IReadOnlyDictionary<string, string> GetMany(IReadOnlyCollection<string> keys)
    {
        var found = new Dictionary<string, string>();
        foreach (var key in keys.Distinct())
        {
            if (Get(key) is { } value)
            {
                found[key] = value;
            }
        }

        return found;
    }

    public void Set(string key, string value) => State.Upsert(new BsonDocument { ["_id"] = key, ["value"] = value });

    // LiteDB is one process, and an insert of an existing _id throws: the first insert wins.
    public string GetOrAdd(string key, string value)
    {
        if (Get(key) is { } kept)
        {
            return kept;
        }

        try
        {
            State.Insert(new BsonDocument { ["_id"] = key, ["value"] = value });
            return value;
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return Get(key)!;
        }
    }
}

/// <summary>
/// Session starts, one small document each. The count and the insert are one transaction, and the database runs one
/// explicit transaction at a time (<see cref="ReadingBotDatabase.InTransaction{T}"/>), so they are one step.
/// </summary>
public sealed class LiteSessionStartLedger(ReadingBotDatabase db) : ReadingBot.Core.Ports.ISessionStartLedger
{
    private ILiteCollection<BsonDocument> Starts => db.Database.GetCollection(Collections.SessionStarts);

    public bool TryTake(string ledger, int shardId, DateTimeOffset at, int dailyCap)
    {
        return db.InTransaction(() =>
        {
            var since = at - ReadingBot.Core.Ports.ISessionStartLedger.Window;
            var all = Starts.Find(Where.Equal("ledger", ledger)).ToList();
            foreach (var old in all.Where(d => Documents.ReadInstant(d["at"]) <= since))
            {
                Starts.Delete(old["_id"]);
            }

            if (all.Count(d => Documents.ReadInstant(d["at"]) > since) >= dailyCap)
            {
                return false;
            }

            Starts.Insert(new BsonDocument { ["ledger"] = ledger, ["at"] = Documents.Instant(at), ["shard"] = shardId });
            return true;
        });
    }

    public IReadOnlyList<ReadingBot.Core.Ports.SessionStart> Recent(string ledger, DateTimeOffset now) =>
        Starts.Find(Where.Equal("ledger", ledger))
            .Select(d => new ReadingBot.Core.Ports.SessionStart(d["shard"].AsInt32, Documents.ReadInstant(d["at"])))
            .Where(s => s.At > now - ReadingBot.Core.Ports.ISessionStartLedger.Window)
            .OrderBy(s => s.At).ThenBy(s => s.ShardId)
            .ToList();
}

public sealed class LiteThreadLinkStore(ReadingBotDatabase db) : ReadingBot.Core.Ports.IThreadLinkStore
{
    private ILiteCollection<BsonDocument> Threads => db.Database.GetCollection(Collections.Threads);

    public void Save(ReadingBot.Core.Ports.ThreadLink link) => Threads.Upsert(new BsonDocument
    {
        ["_id"] = $"{link.Group.Value}|{link.ThreadId}",
        ["group"] = link.Group.Value,
        ["purpose"] = link.Purpose.ToString(),
        ["subject"] = link.Subject,
        ["createdAt"] = Documents.Instant(link.CreatedAt),
    });

    public ReadingBot.Core.Ports.ThreadLink? Find(GroupId group, string threadId) =>
        Threads.FindById($"{group.Value}|{threadId}") is { } d
            ? new(group, threadId, Enum.Parse<ReadingBot.Core.Ports.ThreadPurpose>(d["purpose"].AsString), d["subject"].AsString, Documents.ReadInstant(d["createdAt"]))
            : null;
}

/// <summary>Dumps every group-owned collection's documents of one group (and the group's own document) as JSON.</summary>
public sealed class LiteGroupDataArchive(ReadingBotDatabase db) : ReadingBot.Core.Exports.IGroupDataArchive
{
    public IReadOnlyDictionary<string, string> Collections(GroupId group)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LiteDb.Collections.Groups] = JsonSerializer.Serialize(new BsonArray(db.Database.GetCollection(LiteDb.Collections.Groups).Find(Where.Equal("_id", group.Value)))),
        };
        foreach (var name in db.Registry.GroupOwned)
        {
            result[name] = JsonSerializer.Serialize(new BsonArray(db.Database.GetCollection(name).Find(Where.Equal("group", group.Value))));
        }

        return result;
    }
}
