using ReadingBot.Storage.Contract;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

/// <summary>The whole bot on <c>Storage:Provider=Postgres</c>, as a process: a bad store stops it in one line.</summary>
public sealed class StorageProcessTests : IDisposable
{
    private const string Password = "s3cret-Pa55word";
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-host-pg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_postgres_stops_the_bot_with_one_line_naming_the_key_and_exit_code_2()
    {
        var result = await BotProcess.RunAsync(data, ["/paper list"], Postgres($"Host=127.0.0.1;Port={TestServer.ClosedPort()};Username=bot;Password={Password};Timeout=5"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ReadingBot cannot start: Storage:ConnectionString", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.Errors, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        // Nothing of LiteDB's: no file was opened in the data directory.
        Assert.False(File.Exists(Path.Combine(data, "readingbot.db")));
    }

    [Fact]
    public async Task An_unknown_provider_is_a_bad_setting_with_exit_code_3()
    {
        var result = await BotProcess.RunAsync(data, ["/paper list"], new Dictionary<string, string> { ["READINGBOT_Storage__Provider"] = "Mongo" });

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("ReadingBot cannot start: Storage:Provider: 'Mongo' is not a store", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_postgres_a_session_is_answered_and_a_second_process_finds_its_data()
    {
        using var schema = TestServer.CreateSchema();

        var first = await BotProcess.RunAsync(data, ["/paper add 1706.03762 Attention Is All You Need", "/paper list"], Postgres(schema.ConnectionString));
        var second = await BotProcess.RunAsync(data, ["/paper list"], Postgres(schema.ConnectionString));

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Added #1: Attention Is All You Need", first.Output, StringComparison.Ordinal);
        Assert.Contains("ReadingBot: data in PostgreSQL", first.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(schema.Name, first.Errors, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Library (1 paper", second.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "readingbot.db")));
    }

    private static Dictionary<string, string> Postgres(string connectionString) => new()
    {
        ["READINGBOT_Storage__Provider"] = "Postgres",
        ["READINGBOT_Storage__ConnectionString"] = connectionString,
        ["READINGBOT_Storage__MaxPoolSize"] = "5",
    };
}
