using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace ReadingBot.Storage.Postgres;

/// <summary>
/// PostgreSQL could not be used at start. The message names the setting (<c>Storage:ConnectionString</c>) and what
/// went wrong, never the connection string itself: it is a secret.
/// </summary>
public sealed class PostgresUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A jsonb parameter (Npgsql sends a plain string as text).</summary>
internal readonly record struct Jsonb(string Json);

/// <summary>
/// The process's pooled <see cref="NpgsqlDataSource"/> with small synchronous helpers. The store ports are
/// synchronous by design (see <see cref="Core.Groups.IGroupStore"/>), so the stores use Npgsql's synchronous API;
/// every call takes a pooled connection and gives it back. The hot rows read are kept in <see cref="PgReadCache"/>,
/// which other processes' writes reach by NOTIFY, so any number of processes can share the database.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>The setting that holds the connection string, named in every start-up error.</summary>
    public const string ConnectionStringKey = "Storage:ConnectionString";

    private readonly NpgsqlDataSource source;
    private long roundTrips;

    private PgReadCache? cache;

    private PostgresDatabase(NpgsqlDataSource source) => this.source = source;

    /// <summary>The rows kept in this process, kept in step with other processes' writes (see <see cref="PgReadCache"/>).</summary>
    internal PgReadCache Cache => cache ?? throw new InvalidOperationException("the database is not open");

    /// <summary>
    /// Statements and batches sent to the server so far by this process's stores (each is one round trip): the
    /// benchmarks count a command's by the difference.
    /// </summary>
    public long RoundTrips => Interlocked.Read(ref roundTrips);

    internal void CountRoundTrip() => Interlocked.Increment(ref roundTrips);

    /// <summary>
    /// Connects, checks the server answers and applies pending migrations. Throws <see cref="PostgresUnavailableException"/>
    /// with one line naming <see cref="ConnectionStringKey"/> when the string is malformed, the server unreachable or the
    /// login refused.
    /// </summary>
    public static PostgresDatabase Open(string? connectionString, int maxPoolSize = 0, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new PostgresUnavailableException($"{ConnectionStringKey} is empty: Storage:Provider=Postgres needs a PostgreSQL connection string (set READINGBOT_Storage__ConnectionString or a user secret).");
        }

        NpgsqlDataSource source;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (maxPoolSize > 0)
            {
                builder.MaxPoolSize = maxPoolSize;
            }

            source = NpgsqlDataSource.Create(builder);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The parser's message can quote the value it could not read: say only which setting is wrong.
            throw new PostgresUnavailableException($"{ConnectionStringKey} is not a valid PostgreSQL connection string ({ex.GetType().Name}).", ex);
        }

        var database = new PostgresDatabase(source);
        try
        {
            PostgresMigrations.Apply(source);
            database.cache = new PgReadCache(source, time ?? TimeProvider.System);
            return database;
        }
        catch (PostgresUnavailableException)
        {
            database.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException or InvalidOperationException)
        {
            database.Dispose();
            throw new PostgresUnavailableException($"{ConnectionStringKey}: PostgreSQL cannot be used ({Describe(ex)}). Check the server is running and the string's host, port, database and login.", ex);
        }
    }

    /// <summary>A safe one-line reason: the server's error code and message (they never echo the password), or the kind of network failure.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        _ when Find<SocketException>(ex) is { } socket => $"the server cannot be reached: {socket.SocketErrorCode}",
        _ when Find<TimeoutException>(ex) is not null => "the server did not answer in time",
        _ => ex.GetType().Name,
    };

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Whether the server answers a trivial query now (for health checks).</summary>
    public bool IsReachable()
    {
        try
        {
            return Query("SELECT 1", r => r.GetInt32(0)).Count == 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    internal PostgresSession Session() => new(this, source.OpenConnection(), transactional: false);

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns and rolled back when it throws.</summary>
    internal T InTransaction<T>(Func<PostgresSession, T> work)
    {
        using var session = new PostgresSession(this, source.OpenConnection(), transactional: true);
        var result = work(session);
        session.Commit();
        return result;
    }

    internal int Execute(string sql, params object?[] args)
    {
        using var session = Session();
        return session.Execute(sql, args);
    }

    internal List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        using var session = Session();
        return session.Query(sql, map, args);
    }

    internal T? QueryFirst<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args) where T : class
    {
        using var session = Session();
        return session.QueryFirst(sql, map, args);
    }

    public void Dispose()
    {
        cache?.Dispose();
        source.Dispose();
    }
}

/// <summary>One pooled connection, optionally inside a transaction. Statements use positional parameters (<c>$1</c>, <c>$2</c>, …).</summary>
internal sealed class PostgresSession : IDisposable
{
    private readonly PostgresDatabase database;
    private readonly NpgsqlConnection connection;
    private NpgsqlTransaction? transaction;

    public PostgresSession(PostgresDatabase database, NpgsqlConnection connection, bool transactional)
    {
        this.database = database;
        this.connection = connection;
        transaction = transactional ? connection.BeginTransaction() : null;
    }

    public int Execute(string sql, params object?[] args)
    {
        using var command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    public List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        using var command = Command(sql, args);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public T? QueryFirst<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args) where T : class =>
        Query(sql, map, args).FirstOrDefault();

    /// <summary>Sends every statement in one round trip (<see cref="NpgsqlBatch"/>); returns the rows they affected together.</summary>
    public int ExecuteBatch(IEnumerable<(string Sql, object?[] Args)> statements)
    {
        using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (sql, args) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var arg in args)
            {
                command.Parameters.Add(Parameter(arg));
            }

            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count == 0)
        {
            return 0;
        }

        database.CountRoundTrip();
        return batch.ExecuteNonQuery();
    }

    /// <summary>Takes a lock held until the transaction ends, on a key of the caller's choosing (a group, a week).</summary>
    public void LockFor(string key) => Execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key);

    public void Commit()
    {
        if (transaction is not null)
        {
            database.CountRoundTrip();
        }

        transaction?.Commit();
        transaction = null;
    }

    public void Dispose()
    {
        transaction?.Dispose();
        connection.Dispose();
    }

    private NpgsqlCommand Command(string sql, object?[] args)
    {
        database.CountRoundTrip();
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var arg in args)
        {
            command.Parameters.Add(Parameter(arg));
        }

        return command;
    }

    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value },
        Jsonb json => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json.Json },
        // timestamptz takes UTC instants only.
        DateTimeOffset instant => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = instant.ToUniversalTime() },
        string text => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = text },
        string[] texts => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = texts },
        _ => new NpgsqlParameter { Value = value },
    };
}

/// <summary>Reading columns by position, with the nulls the domain allows.</summary>
internal static class Columns
{
    public static string? OptionalString(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static int? OptionalInt(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    public static DateTimeOffset Instant(this NpgsqlDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);

    public static DateTimeOffset? OptionalInstant(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    public static IReadOnlyList<string> Strings(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string[]>(i);

    public static Core.Weeks.WeekKey Week(this NpgsqlDataReader r, int i) => ParseWeek(r.GetString(i));

    public static Core.Weeks.WeekKey? OptionalWeek(this NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : ParseWeek(r.GetString(i));

    public static TEnum Enum<TEnum>(this NpgsqlDataReader r, int i) where TEnum : struct, System.Enum => System.Enum.Parse<TEnum>(r.GetString(i));

    public static Core.Weeks.WeekKey ParseWeek(string text) =>
        Core.Weeks.WeekKey.TryParse(text, out var week) ? week : throw new FormatException($"bad week {text}");
}
