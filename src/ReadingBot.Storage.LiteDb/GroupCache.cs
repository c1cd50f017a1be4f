using System.Collections.Concurrent;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// Records this process has read, by key, so a command's reads need not query the file each time (a LiteDB query
/// costs about 25 µs and 20 KB, docs/benchmarks.md). LiteDB is one process's database, so this process sees every
/// write: a store that writes a cached collection forgets the entry once its transaction has committed, and a
/// rolled-back transaction or a bulk change clears the lot. A read that raced with a write cannot put back the copy it
/// read before the write: every forget moves <see cref="Generation"/> on, and a copy read under an older generation
/// is not kept.
/// </summary>
public class ReadCache<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, T> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly int limit;
    private long generation;

    public ReadCache(int limit = 100_000)
    {
        this.limit = limit;
    }

    /// <summary>Read before reading from the file, and given back to <see cref="Remember"/>.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string key, out T value) => entries.TryGetValue(key, out value!);

    /// <summary>Keeps a copy read from the file, unless a write was forgotten since <paramref name="readAt"/>.</summary>
    public void Remember(string key, T value, long readAt)
    {
        lock (gate)
        {
            if (Interlocked.Read(ref generation) != readAt)
            {
                return;
            }

            if (entries.Count >= limit)
            {
                // A bound, not a policy: a process that reads more than this many starts over.
                entries.Clear();
            }

            entries[key] = value;
        }
    }

    /// <summary>Changes a kept entry in place (under the cache's lock), unless a write was forgotten since <paramref name="readAt"/>.</summary>
    public void Update(string key, Func<T?, T> change, long readAt)
    {
        lock (gate)
        {
            if (Interlocked.Read(ref generation) == readAt)
            {
                entries[key] = change(entries.TryGetValue(key, out var kept) ? kept : null);
            }
        }
    }

    /// <summary>
    /// A write whose effect on a kept entry is known: replaces the entry with <paramref name="change"/>'s result (or
    /// forgets it on null), and moves the generation on like <see cref="Forget"/>, so a read that raced with the write
    /// cannot put back the copy it read before.
    /// </summary>
    public void Change(string key, Func<T, T?> change)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            if (entries.TryGetValue(key, out var kept) && change(kept) is { } changed)
            {
                entries[key] = changed;
            }
            else
            {
                entries.TryRemove(key, out _);
            }
        }
    }

    public void Forget(string key)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            entries.TryRemove(key, out _);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            entries.Clear();
        }
    }
}

/// <summary>The groups this process has read, by id.</summary>
public sealed class GroupCache : ReadCache<Group>
{
    /// <summary>Keeps a group read from the file, unless a write was forgotten since <paramref name="readAt"/>.</summary>
    public void Remember(Group group, long readAt) => Remember(group.Id.Value, group, readAt);
}

/// <summary>What this process has read of one group's library: its size, and the pages asked for.</summary>
public sealed record LibraryView(int? Count, IReadOnlyDictionary<(int Skip, int Take), IReadOnlyList<LibraryEntry>> Pages)
{
    public static readonly LibraryView Empty = new(null, new Dictionary<(int, int), IReadOnlyList<LibraryEntry>>());

    public LibraryView WithPage(int skip, int take, IReadOnlyList<LibraryEntry> page) =>
        this with { Pages = new Dictionary<(int, int), IReadOnlyList<LibraryEntry>>(Pages) { [(skip, take)] = page } };

    /// <summary>
    /// After one entry was added: a new entry takes the group's next number, so it comes last in number order. The
    /// size grows by one and every page that ends before the old end stays as it was; the rest are read again. Null
    /// (forget the view) when the size was not known.
    /// </summary>
    public LibraryView? AfterAppend()
    {
        if (Count is not { } count)
        {
            return null;
        }

        var unchanged = new Dictionary<(int, int), IReadOnlyList<LibraryEntry>>();
        foreach (var (range, page) in Pages)
        {
            if (range.Skip + range.Take <= count)
            {
                unchanged[range] = page;
            }
        }

        return new LibraryView(count + 1, unchanged);
    }
}
