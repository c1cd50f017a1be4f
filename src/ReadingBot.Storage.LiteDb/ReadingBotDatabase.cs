using LiteDB;
using LiteDB.Engine;

namespace ReadingBot.Storage.LiteDb;

/// <summary>The database could not be opened; the message says why and what to do.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one <see cref="LiteDatabase"/> of the process, with what LiteDB does not do for us: an exclusive lock file
/// (a second process opening the same file in direct mode corrupts it), schema migrations in <c>UserVersion</c>,
/// and explicit checkpoints (commits are not fsynced; only checkpoints are).
/// </summary>
public sealed class ReadingBotDatabase : IDisposable
{
    /// <summary>The schema this code reads and writes.</summary>
    public const int SchemaVersion = 4;

    /// <summary>
    /// How many log pages a commit may leave before it copies the log into the data file (LiteDB's default is 1,000).
    /// The copy runs inside the commit that crosses the mark, and holds off every other read and write of the process,
    /// so its size sets the worst case of a command. On the bench's machine a write's p99 was 8 ms with 1,000 pages
    /// (8 MB read back and written again) and 5 ms with 100, for the same CPU per command (docs/benchmarks.md, issue
    /// #15). The price is more flushes of the data file: one per 100 log pages, about a dozen paper adds.
    /// </summary>
    public const int LogPagesPerCheckpoint = 100;

    private static readonly BsonValue ProbeId = new("\0probe");

    private readonly FileStream? lockFile;
    private readonly object checkpointGate = new();
    private readonly OneWriterEngine engine;
    private bool disposed;

    private ReadingBotDatabase(LiteEngine liteEngine, FileStream? lockFile, string? path, DeliveryJournal deliveries)
    {
        engine = new OneWriterEngine(liteEngine);
        Database = new LiteDatabase(engine, Documents.CreateMapper());
        // A pragma kept in the file's header: set at every open, so a file from an older build takes the current size.
        Database.CheckpointSize = LogPagesPerCheckpoint;
        this.lockFile = lockFile;
        FilePath = path;
        Deliveries = deliveries;
        Migrate();
        MoveDeliveriesToJournal();
    }

    public LiteDatabase Database { get; }

    /// <summary>Groups read on the command path, kept in memory (see <see cref="GroupCache"/>).</summary>
    public GroupCache Groups { get; } = new();

    /// <summary>Members read on the command path, by member id.</summary>
    public ReadCache<Core.Groups.Member> Members { get; } = new();

    /// <summary>Each group's library size and pages as read on the command path, by group id.</summary>
    public ReadCache<LibraryView> Libraries { get; } = new(10_000);

    /// <summary>The shared paper records read on the command path (a library page's papers), by key.</summary>
    public ReadCache<Core.Papers.Paper> Papers { get; } = new(20_000);

    /// <summary>The claimed delivery ids (see <see cref="DeliveryJournal"/>): beside the data file, not in it.</summary>
    public DeliveryJournal Deliveries { get; }

    /// <summary>The declared collections and their indexes (see <see cref="Collections.Declarations"/>).</summary>
    public CollectionRegistry Registry { get; } = new(Collections.Declarations);

    /// <summary>The data file, or null for an in-memory database.</summary>
    public string? FilePath { get; }

    /// <summary>Opens (creating if needed) <c>readingbot.db</c> in <paramref name="dataDirectory"/>, holding a lock file for the process's life.</summary>
    public static ReadingBotDatabase OpenFile(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseUnavailableException($"The data directory {directory} cannot be created ({ex.Message}). Choose another with --data <dir> or READINGBOT_DATA.", ex);
        }

        var path = Path.Combine(directory, "readingbot.db");
        FileStream lockStream;
        try
        {
            // FileShare.None takes an exclusive advisory lock on Linux too, so a second bot process is refused here.
            lockStream = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new DatabaseUnavailableException($"The database {path} is in use by another ReadingBot process. Stop that process, or start this one with another --data directory.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DatabaseUnavailableException($"The database {path} cannot be opened: permission denied. Check the owner of {directory}.", ex);
        }

        DeliveryJournal journal;
        try
        {
            journal = DeliveryJournal.Open(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lockStream.Dispose();
            throw new DatabaseUnavailableException($"The delivery journal {Path.Combine(directory, DeliveryJournal.FileName)} cannot be opened ({ex.Message}). Check the owner of {directory}, or move the file aside.", ex);
        }

        try
        {
            // Direct mode (this process alone, guarded by the lock file). AutoRebuild: a file that LiteDB marked damaged
            // when it closed its engine (see EngineWatchService) is rebuilt as it opens, keeping a copy of the old one
            // beside it and what it could not read in its _rebuild_errors collection.
            var liteEngine = new LiteEngine(new EngineSettings { Filename = path, AutoRebuild = true });
            return new ReadingBotDatabase(liteEngine, lockStream, path, journal);
        }
        catch (Exception ex) when (ex is LiteException or InvalidCastException or IOException or FormatException or IndexOutOfRangeException or ArgumentException or InvalidOperationException)
        {
            lockStream.Dispose();
            journal.Dispose();
            throw new DatabaseUnavailableException($"The database {path} cannot be read; it may be damaged or not a ReadingBot database ({ex.GetType().Name}: {FirstLine(ex.Message)}). Move it aside to start afresh, or restore a backup.", ex);
        }
    }

    /// <summary>A database on a stream, for tests and benchmarks: the real engine, no file.</summary>
    public static ReadingBotDatabase OpenMemory(Stream? stream = null) =>
        new(new LiteEngine(new EngineSettings { DataStream = stream ?? new MemoryStream() }), null, null, DeliveryJournal.InMemory());

    /// <summary>Writes committed pages into the data file and fsyncs it; called after critical writes and on a timer.</summary>
    public void Checkpoint()
    {
        lock (checkpointGate)
        {
            Database.Checkpoint();
            Deliveries.Sync();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction. LiteDB binds transactions to the calling thread, so the work
    /// is synchronous by design: never await inside it.
    /// </summary>
    public T InTransaction<T>(Func<T> work)
    {
        // LiteDB reads in a transaction see a snapshot and take the write lock only when they write, so two adds that
        // read the same counter (a group's next paper number, a week's next post number) would both take it. The
        // engine's write gate, held for the whole transaction, makes read-then-write safe and keeps every other write
        // out until the commit (the file has one process).
        lock (engine.WriteGate)
        {
            var started = Database.BeginTrans();
            try
            {
                var result = work();
                if (started)
                {
                    Database.Commit();
                }

                return result;
            }
            catch
            {
                if (started)
                {
                    Database.Rollback();
                }

                // The work may have read or forgotten a record inside the transaction: start the caches afresh.
                ClearCaches();

                throw;
            }
        }
    }

    private void Migrate()
    {
        var version = Database.UserVersion;
        if (version > SchemaVersion)
        {
            throw new DatabaseUnavailableException($"The database was written by a newer ReadingBot (schema {version}; this version reads {SchemaVersion}). Upgrade ReadingBot.");
        }

        // Indexes are ensured on every start (cheap when they exist); versioned steps change data shapes.
        Registry.EnsureCollectionsAndIndexes(Database);
        if (version is > 0 and < 2)
        {
            // Schema 2 indexes finished readings by group and time; readings saved before it get their key now.
            var progress = Database.GetCollection(Collections.Progress);
            foreach (var document in progress.FindAll().ToList())
            {
                LiteProgressStore.MarkFinished(document);
                progress.Update(document);
            }
        }

        if (version is > 0 and < 3)
        {
            MergeSubjectClassIds();
        }

        if (version is > 0 and < 4)
        {
            // Schema 4 pages a group's library along a groupNumber index instead of sorting in the query.
            var library = Database.GetCollection(Collections.Library);
            foreach (var document in library.FindAll().ToList())
            {
                document[Documents.GroupNumberKey] = Documents.GroupNumber(new Core.Groups.GroupId(document["group"].AsString), document["number"].AsInt32);
                library.Update(document);
            }
        }

        if (version < SchemaVersion)
        {
            Database.UserVersion = SchemaVersion;
        }
    }

    // Schema 3: an old-style arXiv id's subject class is not part of its identity (math.GT/0309136 is
    // math/0309136). Records stored under a subject-class key move to the plain key, merging with one stored there.
    private void MergeSubjectClassIds()
    {
        var papers = Database.GetCollection(Collections.Papers);
        var keys = papers.FindAll().Select(d => d["_id"].AsString)
            .Where(k => k.StartsWith("arxiv:", StringComparison.Ordinal) && k.Contains('/', StringComparison.Ordinal)).ToList();
        foreach (var key in keys)
        {
            if (Core.Papers.PaperRefParser.ParseArxivId(key[6..], key).Reference is not { } reference || reference.Key == key)
            {
                continue;
            }

            var removed = Documents.ToPaper(papers.FindById(key));
            var target = papers.FindById(reference.Key) is { } d
                ? Documents.ToPaper(d)
                : removed with { Key = reference.Key, ArxivId = reference.Id, Url = $"https://arxiv.org/abs/{reference.Id}" };
            var survivor = Core.Papers.PaperIdentity.Combine(target, [target, removed]);
            InTransaction(() => LitePaperIdentityStore.MergeInto(Database, survivor, key));
        }
    }

    /// <summary>
    /// The error with which LiteDB closed its engine (an I/O error, a failed internal check), or null while it is open
    /// or after this process closed it itself. A closed engine refuses every call until the file is opened again.
    /// </summary>
    public Exception? ClosedBy()
    {
        if (Volatile.Read(ref disposed))
        {
            return null;
        }

        try
        {
            // The cheapest call into the engine: a primary-key lookup of no document.
            Database.GetCollection(Collections.Groups).FindById(ProbeId);
            return null;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException || ex is LiteException { ErrorCode: LiteException.INVALID_DATAFILE_STATE or LiteException.ENGINE_DISPOSED })
        {
            // A read on a closed engine meets its disposed locks first; a write meets the error it closed with.
            return Volatile.Read(ref disposed) ? null : ex;
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        Database.Dispose();
        Deliveries.Dispose();
        lockFile?.Dispose();
    }

    /// <summary>Forgets every cached record (after a rollback, or a change too wide to forget one by one).</summary>
    public void ClearCaches()
    {
        Groups.Clear();
        Members.Clear();
        Libraries.Clear();
        Papers.Clear();
    }

    /// <summary>
    /// Delivery ids claimed by a version that kept them in the database move to the journal, so a redelivery that
    /// comes just after an upgrade is still known.
    /// </summary>
    private void MoveDeliveriesToJournal()
    {
        var old = Database.GetCollection(Collections.Deliveries);
        if (old.Count() == 0)
        {
            return;
        }

        var keys = old.FindAll().Select(d => new Core.Ports.DeliveryKey(d["_id"].AsString, Documents.ReadInstant(d["expiresAt"]))).ToList();
        Deliveries.TryRecordAll(keys, DateTimeOffset.MinValue);
        old.DeleteAll();
    }

    internal static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
