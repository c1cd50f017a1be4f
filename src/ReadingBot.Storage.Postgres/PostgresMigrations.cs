using System.Globalization;
using System.Reflection;
using Npgsql;

namespace ReadingBot.Storage.Postgres;

/// <summary>
/// Versioned schema migrations, applied at start: the embedded scripts <c>Migrations/NNNN_name.sql</c> in number
/// order, each in its own transaction together with its row in <c>schema_migrations</c>, so a script is applied
/// completely once or not at all. A session advisory lock makes processes that start together take turns: the
/// first applies, the others then find nothing left to do.
/// <para>
/// A small runner rather than DbUp or Evolve: the whole need is "ordered SQL files, once each, under a lock", which
/// is these forty lines; DbUp brings its own journal conventions and no cross-process lock on PostgreSQL, Evolve its
/// own locking and a second configuration surface, and both a dependency to keep pinned for no behaviour we lack.
/// </para>
/// </summary>
public static class PostgresMigrations
{
    /// <summary>The advisory lock key the runner holds (any 64-bit constant; "RBmigrat" in ASCII).</summary>
    private const long LockKey = 0x52426d6967726174;

    private const string ResourcePrefix = "ReadingBot.Storage.Postgres.Migrations.";

    /// <summary>The scripts this code knows, by version, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>The newest schema version this code reads and writes.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies every script not applied yet; returns how many it applied.</summary>
    public static int Apply(NpgsqlDataSource source)
    {
        using var connection = source.OpenConnection();
        Run(connection, null, "SELECT pg_advisory_lock($1)", LockKey);
        try
        {
            Run(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            var applied = new HashSet<int>();
            using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            if (applied.Count > 0 && applied.Max() > LatestVersion)
            {
                throw new PostgresUnavailableException($"{PostgresDatabase.ConnectionStringKey}: the database was migrated by a newer ReadingBot (schema {applied.Max()}; this version knows {LatestVersion}). Upgrade ReadingBot.");
            }

            var count = 0;
            foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
            {
                using var transaction = connection.BeginTransaction();
                Run(connection, transaction, sql);
                Run(connection, transaction, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, name);
                transaction.Commit();
                count++;
            }

            return count;
        }
        finally
        {
            // The pool keeps the connection open, and a session lock with it: release it explicitly.
            Run(connection, null, "SELECT pg_advisory_unlock($1)", LockKey);
        }
    }

    private static void Run(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] args)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        command.ExecuteNonQuery();
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            scripts.Add((version, name, Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        if (scripts.Count == 0 || scripts.Select(s => s.Item1).Distinct().Count() != scripts.Count)
        {
            throw new InvalidOperationException("the migration scripts are missing or share a version number");
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
