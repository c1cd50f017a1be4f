using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using ReadingBot.Core.Ports;

namespace ReadingBot.Storage.LiteDb;

/// <summary>
/// The delivery ids this process has claimed, appended to <c>deliveries.log</c> beside the data file and indexed in
/// memory by a 128-bit digest of each id. A claim has to be stored before its delivery runs, once per command; as a
/// LiteDB transaction that was the largest cost of a command (about 300 µs and 87 KB, docs/benchmarks.md), as one
/// appended line it is one write system call for a whole batch. The promise is the LiteDB commit's: a claim whose
/// write returned survives the process being killed (the kernel has the bytes), and the file is fsynced with every
/// checkpoint. Expired ids are dropped by <see cref="Purge"/>, which rewrites the file (to a temporary file, then
/// renamed over it) once most of it is dead.
/// </summary>
/// <remarks>
/// <para>One line per id: the expiry in Unix milliseconds, a space, the id with <c>%</c>, CR and LF escaped.</para>
/// <para>
/// The index keeps 16 bytes of digest and 8 of expiry an id instead of the id's string (about 120 bytes for a Slack
/// envelope id), because it holds every delivery of the last <c>DedupeMinutes</c>: at a hosted bot's rates that is
/// most of the process's memory growth. The ids themselves stay in the file, which the rewrite and
/// <see cref="Snapshot"/> read back. Two ids with one digest would be taken for one; at 128 bits that takes about
/// 2^64 ids.
/// </para>
/// </remarks>
public sealed class DeliveryJournal : IDisposable
{
    public const string FileName = "deliveries.log";

    private readonly Dictionary<Digest, long> live = [];
    private readonly Lock gate = new();
    private readonly string? path;
    private ArrayBufferWriter<byte> line = new(512);
    private Stream file;
    private long lines;

    private DeliveryJournal(string? path, Stream file)
    {
        this.path = path;
        this.file = file;
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

    /// <summary>A journal that keeps nothing on disk (an in-memory database): its lines live in memory instead.</summary>
    public static DeliveryJournal InMemory() => new(null, new MemoryStream());

    /// <summary>Opens (creating) the journal in <paramref name="directory"/>, reading back what it holds; a torn last line is skipped.</summary>
    public static DeliveryJournal Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var journal = new DeliveryJournal(path, OpenForAppend(path));
        try
        {
            journal.Load();
        }
        catch
        {
            journal.Dispose();
            throw;
        }

        return journal;
    }

    /// <summary>Claims every key that is not held unexpired, with one write for all of them; true for each key claimed.</summary>
    public IReadOnlyList<bool> TryRecordAll(IReadOnlyList<DeliveryKey> keys, DateTimeOffset now)
    {
        var first = new bool[keys.Count];
        var digests = keys.Count <= 8 ? stackalloc Digest[keys.Count] : new Digest[keys.Count];
        var nowMs = now.ToUnixTimeMilliseconds();
        lock (gate)
        {
            line.ResetWrittenCount();
            for (var i = 0; i < keys.Count; i++)
            {
                var digest = digests[i] = Digest.Of(keys[i].Key);
                if (live.TryGetValue(digest, out var expires) && expires > nowMs)
                {
                    continue;
                }

                var expiry = keys[i].ExpiresAt.ToUnixTimeMilliseconds();
                first[i] = true;
                AppendLine(line, keys[i].Key, expiry);
                lines++;
                live[digest] = expiry;
            }

            if (line.WrittenCount > 0)
            {
                try
                {
                    file.Write(line.WrittenSpan);
                }
                catch
                {
                    // Not on disk, so not claimed: take them back and let the caller fail the deliveries.
                    for (var i = 0; i < keys.Count; i++)
                    {
                        if (first[i])
                        {
                            live.Remove(digests[i]);
                        }
                    }

                    throw;
                }
            }

            if (line.Capacity > 64 * 1024)
            {
                // One huge batch (a move from an older version) should not keep its buffer for good.
                line = new ArrayBufferWriter<byte>(512);
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
            var removed = 0;
            foreach (var (digest, expiry) in live)
            {
                // Removing while enumerating is allowed for Dictionary (it does not invalidate the enumerator).
                if (expiry <= nowMs && live.Remove(digest))
                {
                    removed++;
                }
            }

            if (lines > 2 * (live.Count + 512L))
            {
                Rewrite();
            }

            return removed;
        }
    }

    /// <summary>Every id held now with its expiry, read back from the file (the copy to another store uses it).</summary>
    public IReadOnlyList<DeliveryKey> Snapshot()
    {
        lock (gate)
        {
            var held = new List<DeliveryKey>(live.Count);
            ForEachHeldLine((key, expiry) => held.Add(new DeliveryKey(key, DateTimeOffset.FromUnixTimeMilliseconds(expiry))));
            return held;
        }
    }

    /// <summary>Makes what was written durable against a power loss too (with each checkpoint).</summary>
    public void Sync()
    {
        lock (gate)
        {
            (file as FileStream)?.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            file.Dispose();
        }
    }

    private void Load()
    {
        using (var reader = new StreamReader(OpenReader(), Encoding.UTF8))
        {
            while (reader.ReadLine() is { } text)
            {
                if (Parse(text) is (string key, long expiry))
                {
                    live[Digest.Of(key)] = expiry;
                    lines++;
                }
            }
        }

        file.Seek(0, SeekOrigin.End);
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

    /// <summary>
    /// Calls <paramref name="take"/> once for each id held: its latest line, whose expiry the index holds. Older lines
    /// of the same id (claimed again after it expired) and lines of purged ids are passed over.
    /// </summary>
    private void ForEachHeldLine(Action<string, long> take)
    {
        var seen = new HashSet<Digest>();
        using var reader = new StreamReader(OpenReader(), Encoding.UTF8);
        while (reader.ReadLine() is { } text)
        {
            if (Parse(text) is (string key, long expiry) && Digest.Of(key) is var digest && live.TryGetValue(digest, out var held) && held == expiry && seen.Add(digest))
            {
                take(key, expiry);
            }
        }
    }

    private void Rewrite()
    {
        var temporary = path + ".tmp";
        Stream fresh = path is null ? new MemoryStream() : new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        try
        {
            var buffer = new ArrayBufferWriter<byte>(4 * 1024);
            ForEachHeldLine((key, expiry) =>
            {
                AppendLine(buffer, key, expiry);
                if (buffer.WrittenCount >= 32 * 1024)
                {
                    fresh.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            });
            fresh.Write(buffer.WrittenSpan);
            (fresh as FileStream)?.Flush(flushToDisk: true);
        }
        catch
        {
            fresh.Dispose();
            throw;
        }

        file.Dispose();
        if (path is null)
        {
            file = fresh;
        }
        else
        {
            fresh.Dispose();
            File.Move(temporary, path, overwrite: true);
            file = OpenForAppend(path);
        }

        lines = live.Count;
    }

    /// <summary>The journal's lines from the start, without moving the append position.</summary>
    private Stream OpenReader() =>
        file is MemoryStream memory
            ? new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false)
            : new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);

    private static (string Key, long Expiry)? Parse(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && space < text.Length - 1 && long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            ? (Unescape(text[(space + 1)..]), expiry)
            : null;
    }

    private static void AppendLine(ArrayBufferWriter<byte> to, string key, long expiry)
    {
        Utf8Formatter.TryFormat(expiry, to.GetSpan(20), out var written);
        to.Advance(written);
        to.Write(" "u8);
        var escaped = Escape(key);
        var span = to.GetSpan(Encoding.UTF8.GetMaxByteCount(escaped.Length) + 1);
        var n = Encoding.UTF8.GetBytes(escaped, span);
        span[n] = (byte)'\n';
        to.Advance(n + 1);
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

    /// <summary>An id's 128-bit XXH3 digest, over its UTF-16 code units. Only the index holds it: the file keeps the id.</summary>
    private readonly struct Digest(ulong low, ulong high) : IEquatable<Digest>
    {
        private readonly ulong low = low;
        private readonly ulong high = high;

        public static Digest Of(string key)
        {
            var hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));
            return new Digest((ulong)hash, (ulong)(hash >> 64));
        }

        public bool Equals(Digest other) => low == other.low && high == other.high;

        public override bool Equals(object? obj) => obj is Digest other && Equals(other);

        // The digest is uniformly spread already: its low bits are as good a hash code as any.
        public override int GetHashCode() => (int)low;
    }
}
