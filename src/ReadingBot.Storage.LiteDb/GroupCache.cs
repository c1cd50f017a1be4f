using System.Collections.Concurrent;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// The groups this process has read, by id. The stores that write the groups collection forget an entry on every
/// write, and a rolled-back transaction clears the lot, so a cached copy is never newer or older than the file.
/// </summary>
public sealed class GroupCache
{
    private readonly ConcurrentDictionary<string, Group> groups = new(StringComparer.Ordinal);

    public bool TryGet(string id, out Group group) => groups.TryGetValue(id, out group!);

    /// <summary>Keeps a group read from the file (outside a write: a group read inside a transaction may roll back).</summary>
    public void Remember(Group group) => groups[group.Id.Value] = group;

    public void Forget(string id) => groups.TryRemove(id, out _);

    public void Clear() => groups.Clear();
}
