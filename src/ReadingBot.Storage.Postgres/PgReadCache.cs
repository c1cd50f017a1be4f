using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.Sockets;
using Npgsql;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.Postgres;

/// <summary>
/// The rows every command reads (its group, its member, the group's library, paper records), kept in this process so
/// a command need not ask the server for each (a round trip costs about 200 µs, a dictionary read about 0.1 µs,
/// docs/benchmarks.md). Other processes write the same tables, so migration 0013's triggers NOTIFY every committed
/// change on <see cref="Channel"/> and one connection of this process LISTENs: each notification forgets the row it
/// names. This process's own writes forget their rows as soon as they commit, so a command reads what the previous
/// one wrote.
/// <para>
/// Nothing is served from memory unless the listener is listening: while it is connecting, or after its connection
/// dropped (a notification may have been missed), every read goes to the server and nothing is kept; when it listens
/// again the cache starts empty. A read that raced with a forget cannot keep the copy it read before: every forget
/// moves the generation on, and a copy read under an older generation is dropped.
/// </para>
/// </summary>
internal sealed class PgReadCache : IDisposable
{
    /// <summary>The channel migration 0013's triggers notify.</summary>
    public const string Channel = "readingbot_cache";

    /// <summary>Separates the payload's fields (the schema, the kind letter, the key columns).</summary>
    private const char Separator = '\u001f';

    /// <summary>How long the listener waits for a notification before checking its connection still answers.</summary>
    private static readonly TimeSpan LivenessProbe = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource source;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task listener;
    private long generation;
    private volatile bool listening;
    private string? schema;
    private TaskCompletionSource changed = NewSignal();

    public PgReadCache(NpgsqlDataSource source, TimeProvider time)
    {
        this.source = source;
        this.time = time;
        Groups = new(this, 100_000);
        Members = new(this, 100_000);
        Libraries = new(this, 10_000);
        Papers = new(this, 20_000);
        Reads = new(this, 100_000);
        listener = Task.Run(() => ListenAsync(stop.Token));
    }

    /// <summary>After the listening connection drops, how long to wait before connecting again (reads bypass the cache meanwhile).</summary>
    public static TimeSpan RetryDelay { get; } = TimeSpan.FromSeconds(2);

    public CachedRows<string, Group> Groups { get; }

    public CachedRows<(string Group, string User), Member> Members { get; }

    public CachedRows<string, LibraryView> Libraries { get; }

    public CachedRows<string, Paper> Papers { get; }

    /// <summary>
    /// Answers of reads on the other tables migration 0014 notifies for, by the table's kind letter and the group (an
    /// <c>adapter_state</c> key for <see cref="ReadKind.AdapterState"/>): any change to one of the group's rows forgets all of them.
    /// </summary>
    public CachedRows<(char Kind, string Key), QueryAnswers> Reads { get; }

    /// <summary>Whether notifications arrive, so kept rows can be served.</summary>
    public bool IsListening => listening;

    /// <summary>The listening connection's server process (tests end it to drop the listener), or 0.</summary>
    internal int ListenerProcessId { get; private set; }

    internal long Generation => Interlocked.Read(ref generation);

    /// <summary>Forgets every kept row (a write whose rows are not known one by one: a merge, a workspace removed).</summary>
    public void Clear() => Forget(ClearRows);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it again after each notification and each change of
    /// the listener's state; false if <paramref name="timeout"/> passes first (a safety net for tests, not a clock).
    /// </summary>
    internal async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = Volatile.Read(ref changed);
            if (condition())
            {
                return true;
            }

            try
            {
                await next.Task.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                return condition();
            }
        }
    }

    internal void Keep(Action keep, long readAt)
    {
        lock (gate)
        {
            if (listening && Interlocked.Read(ref generation) == readAt)
            {
                keep();
            }
        }
    }

    internal void Forget(Action forget)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            forget();
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            listener.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The listener ends by cancellation; anything else it met it already handled by retrying.
        }

        stop.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(cancel);
                await using (var command = new NpgsqlCommand("SELECT current_schema()", connection))
                {
                    schema = (string?)await command.ExecuteScalarAsync(cancel);
                }

                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(cancel);
                }

                ListenerProcessId = connection.ProcessID;
                SetListening(true);
                while (true)
                {
                    if (!await connection.WaitAsync(LivenessProbe, cancel))
                    {
                        // Quiet for a while: make sure the connection is still there (a silent network loss throws here).
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancel);
                    }
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                // A notification may have been missed: forget everything and read from the server until listening again.
                SetListening(false);
            }

            try
            {
                await Task.Delay(RetryDelay, time, cancel);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetListening(false);
    }

    private void SetListening(bool value)
    {
        lock (gate)
        {
            Interlocked.Increment(ref generation);
            ClearRows();
            listening = value;
            if (!value)
            {
                ListenerProcessId = 0;
            }
        }

        Signal();
    }

    private void OnNotification(string payload)
    {
        var fields = payload.Split(Separator);
        if (fields.Length >= 3 && fields[0] == schema)
        {
            var key = fields[2];
            Forget(() =>
            {
                switch (fields[1])
                {
                    case "g":
                        Groups.Remove(key);
                        break;
                    case "m" when fields.Length >= 4:
                        Members.Remove((key, fields[3]));
                        break;
                    case "l":
                        Libraries.Remove(key);
                        break;
                    case "p":
                        Papers.Remove(key);
                        break;
                    case [var kind] when ReadKind.All.Contains(kind):
                        Reads.Remove((kind, key));
                        break;
                    default:
                        // A kind this version does not know (a newer process's): forget everything rather than guess.
                        ClearRows();
                        break;
                }
            });
        }

        Signal();
    }

    private void ClearRows()
    {
        Groups.Clear();
        Members.Clear();
        Libraries.Clear();
        Papers.Clear();
        Reads.Clear();
    }

    private void Signal() => Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One kind of kept row, by key. Reads go through <see cref="Read"/>; writes forget through <see cref="Forget"/>.</summary>
internal sealed class CachedRows<TKey, TValue>(PgReadCache owner, int limit)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, TValue> rows = new();

    /// <summary>The kept row, or the one <paramref name="query"/> reads (kept unless a forget raced with it; a missing row is not kept).</summary>
    public TValue? Read(TKey key, Func<TValue?> query)
    {
        if (owner.IsListening && rows.TryGetValue(key, out var kept))
        {
            return kept;
        }

        var readAt = owner.Generation;
        var value = query();
        if (value is not null)
        {
            owner.Keep(() => Put(key, value), readAt);
        }

        return value;
    }

    /// <summary>
    /// A part of the kept row (<paramref name="part"/> of it, when there is one) or the value <paramref name="query"/>
    /// reads, then folded into the row by <paramref name="fold"/> unless a forget raced with the read.
    /// </summary>
    public TPart Read<TPart>(TKey key, Func<TValue, TPart?> part, Func<TPart> query, Func<TValue?, TPart, TValue?> fold)
    {
        if (owner.IsListening && rows.TryGetValue(key, out var kept) && part(kept) is { } found)
        {
            return found;
        }

        var readAt = owner.Generation;
        var value = query();
        owner.Keep(
            () =>
            {
                if (fold(rows.TryGetValue(key, out var current) ? current : null, value) is { } folded)
                {
                    Put(key, folded);
                }
            },
            readAt);
        return value;
    }

    /// <summary>The kept rows among <paramref name="keys"/>, and the others read in one <paramref name="query"/> (kept unless a forget raced with it).</summary>
    public Dictionary<TKey, TValue> ReadMany(IEnumerable<TKey> keys, Func<IReadOnlyCollection<TKey>, IEnumerable<(TKey Key, TValue Value)>> query)
    {
        var found = new Dictionary<TKey, TValue>(rows.Comparer);
        var missing = new List<TKey>();
        var serve = owner.IsListening;
        foreach (var key in keys)
        {
            if (serve && rows.TryGetValue(key, out var kept))
            {
                found[key] = kept;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var readAt = owner.Generation;
        var read = query(missing).ToList();
        owner.Keep(() => read.ForEach(r => Put(r.Key, r.Value)), readAt);
        read.ForEach(r => found[r.Key] = r.Value);
        return found;
    }

    /// <summary>Forgets one row after this process wrote it (the write has committed).</summary>
    public void Forget(TKey key) => owner.Forget(() => rows.TryRemove(key, out _));

    /// <summary>Whether a row is kept (for tests).</summary>
    internal bool Holds(TKey key) => rows.ContainsKey(key);

    /// <summary>Under the owner's lock.</summary>
    internal void Remove(TKey key) => rows.TryRemove(key, out _);

    /// <summary>Under the owner's lock.</summary>
    internal void Clear() => rows.Clear();

    private void Put(TKey key, TValue value)
    {
        if (rows.Count >= limit && !rows.ContainsKey(key))
        {
            // A bound, not a policy: a process that reads more than this many starts over.
            rows.Clear();
        }

        rows[key] = value;
    }
}

/// <summary>What this process has read of one group's library: its size, pages asked for, and entries by number and by paper.</summary>
internal sealed record LibraryView(
    int? Count,
    ImmutableDictionary<(int Skip, int Take), IReadOnlyList<LibraryEntry>> Pages,
    ImmutableDictionary<int, LibraryEntry> ByNumber,
    ImmutableDictionary<string, LibraryEntry?> ByPaper)
{
    public static readonly LibraryView Empty = new(null, ImmutableDictionary<(int, int), IReadOnlyList<LibraryEntry>>.Empty, ImmutableDictionary<int, LibraryEntry>.Empty, ImmutableDictionary<string, LibraryEntry?>.Empty.WithComparers(StringComparer.Ordinal));
}

/// <summary>What the store said of one paper's library entry, null when the paper is not in the library.</summary>
internal sealed record KnownEntry(LibraryEntry? Entry);

/// <summary>The kind letters of <see cref="PgReadCache.Reads"/>: migration 0014's triggers send the same.</summary>
internal static class ReadKind
{
    public const char Suggestions = 's';
    public const char WeekPlans = 'w';
    public const char Likes = 'k';
    public const char WayrPosts = 'y';
    public const char Progress = 'r';
    public const char Rsvps = 'v';
    public const char ScheduledPosts = 'o';
    public const char AdapterState = 'a';

    public static readonly string All = "swkyrvoa";
}

/// <summary>What one key of <see cref="PgReadCache.Reads"/> answered, by the read and its arguments.</summary>
internal sealed record QueryAnswers(ImmutableDictionary<string, object> Answers)
{
    /// <summary>A bound per key: reads whose arguments move (a week range) would otherwise pile up until the next write.</summary>
    private const int Limit = 64;

    public static readonly QueryAnswers Empty = new(ImmutableDictionary<string, object>.Empty.WithComparers(StringComparer.Ordinal));

    public QueryAnswers With(string query, object answer) =>
        new((Answers.Count >= Limit && !Answers.ContainsKey(query) ? Empty.Answers : Answers).SetItem(query, answer));
}

/// <summary>A read's answer that may be null (a row not there), so that "not there" is kept too.</summary>
internal sealed record Maybe<T>(T? Value) where T : class;

/// <summary>Reads answered from <see cref="PgReadCache.Reads"/> when kept, else by the server (and kept unless a forget raced).</summary>
internal static class CachedReads
{
    /// <summary>
    /// The kept answer to <paramref name="query"/> (which names the read and its arguments) for <paramref name="key"/>,
    /// or what <paramref name="read"/> returns.
    /// </summary>
    public static T Read<T>(this PostgresDatabase db, char kind, string key, string query, Func<T> read) where T : class =>
        db.Cache.Reads.Read<T>(
            (kind, key),
            kept => kept.Answers.TryGetValue(query, out var answer) ? (T)answer : null,
            read,
            (current, answer) => (current ?? QueryAnswers.Empty).With(query, answer));

    /// <summary>As <see cref="Read{T}"/> for a read whose answer may be null.</summary>
    public static T? ReadOrNull<T>(this PostgresDatabase db, char kind, string key, string query, Func<T?> read) where T : class =>
        db.Read(kind, key, query, () => new Maybe<T>(read())).Value;

    /// <summary>Forgets what was read of <paramref name="key"/> after this process wrote it (the write has committed).</summary>
    public static void Forget(this PostgresDatabase db, char kind, string key) => db.Cache.Reads.Forget((kind, key));
}
