using ReadingBot.Storage.Contract;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Host.Tests;

/// <summary>Real bot processes on one PostgreSQL schema, each running some of the Discord emulator's shards; their data directories go with it.</summary>
internal sealed class ShardedProcesses(DiscordEmulator emulator, TestSchema schema, string prefix)
{
    private readonly List<string> dataDirectories = [];

    /// <summary>A process running <paramref name="shardIds"/> of the count the emulator recommends, passing the scheduler every second.</summary>
    public LiveBot Start(string shardIds, params string[] extraArgs)
    {
        var data = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        dataDirectories.Add(data);
        return LiveBot.Start(data, new Dictionary<string, string>
        {
            ["READINGBOT_Discord__Token"] = emulator.Token,
            ["READINGBOT_Storage__Provider"] = "Postgres",
            ["READINGBOT_Storage__ConnectionString"] = schema.ConnectionString,
            ["READINGBOT_Storage__MaxPoolSize"] = "5",
        },
        [
            "--Discord:ApplicationId", emulator.Options.ApplicationId,
            "--Discord:ApiBaseUrl", emulator.ApiBaseUrl,
            "--Discord:ShardCount", "auto",
            "--Discord:ShardIds", shardIds,
            "--Discord:ReconnectMinSeconds", "0.05",
            "--Discord:ReconnectMaxSeconds", "0.5",
            "--Discord:IdentifySpacingSeconds", "0",
            "--Discord:ConnectTimeoutSeconds", "10",
            "--Scheduler:TickSeconds", "1",
            .. extraArgs,
        ]);
    }

    public void DeleteDataDirectories()
    {
        foreach (var directory in dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
