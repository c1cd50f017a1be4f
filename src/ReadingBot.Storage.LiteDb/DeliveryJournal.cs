using System.Globalization;
using System.Text;
using ReadingBot.Core.Ports;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// The delivery ids this process has claimed, kept in memory and appended to <c>deliveries.log</c> beside the data
/// file. A claim has to be stored before its delivery runs, once per command; as a LiteDB transaction that was the
/// largest cost of a command (about 300 µs and 87 KB, docs/benchmarks.md), as one appended line it is one write
/// system call for a whole batch. The promise is the LiteDB commit's: a claim whose write returned survives the process
/// being killed (the kernel has the bytes), and the file is fsynced with every checkpoint. Expired ids are dropped by
/// <see cref="Purge"/>, which rewrites the file (to a temporary file, then renamed over it) once most of it is dead.
/// </summary>
/// <remarks>One line per id: the expiry in Unix milliseconds, a space, the id with <c>%</c>, CR and LF escaped.</remarks>
public sealed class DeliveryJournal : IDisposable
{
    public const string FileName = "deliveries.log";

    private readonly Dictionary<string, long> live = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly string? path;
    private FileStream? file;
    private long lines;

    private DeliveryJournal(string? path)
    {
        this.path = path;
    }

    /// <summary>Ids held now, expired or not (tests read it).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return live.Count;
            }
        }
    }

    /// <summary>A journal that keeps nothing on disk (an in-memory database).</summary>
    public static DeliveryJournal InMemory() => new(null);

    /// <summary>Opens (creating) the journal in <paramref name="directory"/>, reading back what it holds; a torn last line is skipped.</summary>
    public static DeliveryJournal Open(string directory)
    {
        var journal = new DeliveryJournal(Path.Combine(directory, FileName));
        journal.Load();
        return journal;
    }

    /// <summary>Claims every key that is not held unexpired, with one write for all of them; true for each key claimed.</summary>
    public IReadOnlyList<bool> TryRecordAll(IReadOnlyList<DeliveryKey> keys, DateTimeOffset now)
    {
        var first = new bool[keys.Count];
        var nowMs = now.ToUnixTimeMilliseconds();
        lock (gate)
        {
            var text = new StringBuilder();
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i].Key;
                if (live.TryGetValue(key, out var expires) && expires > nowMs)
                {
                    continue;
                }

                var expiry = keys[i].ExpiresAt.ToUnixTimeMilliseconds();
                first[i] = true;
                text.Append(expiry.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Escape(key)).Append('\n');
                lines++;
                live[key] = expiry;
            }

            if (text.Length > 0 && file is not null)
            {
                try
                {
                    file.Write(Encoding.UTF8.GetBytes(text.ToString()));
                }
                catch
                {
                    // Not on disk, so not claimed: take them back and let the caller fail the deliveries.
                    for (var i = 0; i < keys.Count; i++)
                    {
                        if (first[i])
                        {
                            live.Remove(keys[i].Key);
                        }
                    }

                    throw;
                }
            }
        }

        return first;
    }

    /// <summary>Drops the ids expired at <paramref name="now"/>, and rewrites the file when most of its lines are dead.</summary>
    public int Purge(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        lock (gate)
        {
            var expired = live.Where(e => e.Value <= nowMs).Select(e => e.Key).ToList();
            foreach (var key in expired)
            {
                live.Remove(key);
            }

            if (file is not null && lines > 2 * (live.Count + 512L))
            {
                Rewrite();
            }

            return expired.Count;
        }
    }

    /// <summary>Every id held now with its expiry (the copy to another store reads it).</summary>
    public IReadOnlyList<DeliveryKey> Snapshot()
    {
        lock (gate)
        {
            return [.. live.Select(e => new DeliveryKey(e.Key, DateTimeOffset.FromUnixTimeMilliseconds(e.Value)))];
        }
    }

    /// <summary>Makes what was written durable against a power loss too (with each checkpoint).</summary>
    public void Sync()
    {
        lock (gate)
        {
            file?.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            file?.Dispose();
            file = null;
        }
    }

    private void Load()
    {
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path!))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) && space < line.Length - 1)
                {
                    live[Unescape(line[(space + 1)..])] = expiry;
                    lines++;
                }
            }
        }

        file = OpenForAppend(path!);
        if (file.Length > 0)
        {
            // A line torn by a crash mid-write gets its end here, so the next line starts clean.
            file.Seek(-1, SeekOrigin.End);
            var last = file.ReadByte();
            file.Seek(0, SeekOrigin.End);
            if (last != '\n')
            {
                file.Write("\n"u8);
            }
        }
    }

    private void Rewrite()
    {
        var temporary = path + ".tmp";
        using (var fresh = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var text = new StringBuilder();
            foreach (var (key, expiry) in live)
            {
                text.Append(expiry.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Escape(key)).Append('\n');
            }

            fresh.Write(Encoding.UTF8.GetBytes(text.ToString()));
            fresh.Flush(flushToDisk: true);
        }

        file!.Dispose();
        File.Move(temporary, path!, overwrite: true);
        file = OpenForAppend(path!);
        lines = live.Count;
    }

    // No buffer of its own: each Write is one write system call, so a returned claim is in the kernel's hands.
    private static FileStream OpenForAppend(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    private static string Escape(string key) =>
        key.AsSpan().IndexOfAny('%', '\n', '\r') < 0 ? key : key.Replace("%", "%25", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal);

    private static string Unescape(string key) =>
        !key.Contains('%', StringComparison.Ordinal) ? key : key.Replace("%0A", "\n", StringComparison.Ordinal).Replace("%0D", "\r", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
}
