using System.Collections.Concurrent;
using ReadingBot.Core.Groups;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// The groups this process has read, by id. A store that writes the groups collection forgets the entry once its
/// transaction has committed, and a rolled-back transaction clears the lot. A read that raced with a write cannot
/// put back the copy it read before the write: every forget moves <see cref="Generation"/> on, and a copy read under
/// an older generation is not kept.
/// </summary>
public sealed class GroupCache
{
    private readonly ConcurrentDictionary<string, Group> groups = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long generation;

    /// <summary>Read before reading a group from the file, and given back to <see cref="Remember"/>.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string id, out Group group) => groups.TryGetValue(id, out group!);

    /// <summary>Keeps a group read from the file, unless a write was forgotten since <paramref name="readAt"/>.</summary>
    public void Remember(Group group, long readAt)
    {
        lock (gate)
        {
            if (Interlocked.Read(ref generation) == readAt)
            {
                groups[group.Id.Value] = group;
            }
        }
    }

    public void Forget(string id)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            groups.TryRemove(id, out _);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            groups.Clear();
        }
    }
}
