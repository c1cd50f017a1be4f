using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReadingBot.Storage.Contract;

/// <summary>
/// The PostgreSQL server the tests use: <c>READINGBOT_TEST_POSTGRES</c>, which .ci/run sets to the throwaway cluster
/// it starts. Without it every test fails with one message saying how to run them; none passes or skips silently.
/// </summary>
public static class TestServer
{
    public const string Variable = "READINGBOT_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set{(Environment.GetEnvironmentVariable("CI") == "true" ? " in CI: .ci/run must start PostgreSQL and export it" : "")}. " +
                "Run the tests with .ci/run (it starts a throwaway PostgreSQL cluster), or set it to a server's connection string, e.g. Host=127.0.0.1;Port=5432;Username=postgres.");

    /// <summary>A loopback port nothing listens on (it was free a moment ago): a server that cannot be reached.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A new, empty schema: each test gets its own, so tests are independent and run in parallel.</summary>
    public static TestSchema CreateSchema() => new();
}

/// <summary>A schema of its own on the test server, dropped on dispose; <see cref="ConnectionString"/> puts it first on the search path.</summary>
public sealed class TestSchema : IDisposable
{
    public TestSchema()
    {
        Name = "t_" + Guid.NewGuid().ToString("N");
        Admin($"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { SearchPath = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public void Dispose() => Admin($"DROP SCHEMA IF EXISTS {Name} CASCADE");

    private static void Admin(string sql)
    {
        // Pooling off: these short admin connections must not linger in a pool per schema.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
