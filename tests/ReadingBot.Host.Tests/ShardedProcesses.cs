using ReadingBot.Storage.Contract;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Discord;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Host.Tests;

/// <summary>
/// Real bot processes on one PostgreSQL schema, each running some of the Discord emulator's shards and, given a Slack
/// emulator, also connected to its one Slack app with two Socket Mode connections and the same tokens, as every process
/// of a hosted deployment is; their data directories go with it.
/// </summary>
internal sealed class ShardedProcesses(DiscordEmulator emulator, TestSchema schema, string prefix, SlackEmulator? slack = null)
{
    /// <summary>Socket Mode connections per process: three processes hold six of the app's ten.</summary>
    public const int SlackConnections = 2;

    private readonly List<string> dataDirectories = [];

    /// <summary>A process running <paramref name="shardIds"/> of the count the emulator recommends, passing the scheduler every second.</summary>
    public LiveBot Start(string shardIds, params string[] extraArgs)
    {
        var data = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        dataDirectories.Add(data);
        var environment = new Dictionary<string, string>
        {
            ["READINGBOT_Discord__Token"] = emulator.Token,
            ["READINGBOT_Storage__Provider"] = "Postgres",
            ["READINGBOT_Storage__ConnectionString"] = schema.ConnectionString,
            ["READINGBOT_Storage__MaxPoolSize"] = "5",
        };
        string[] slackArgs = [];
        if (slack is not null)
        {
            environment["READINGBOT_Slack__BotToken"] = slack.Team().BotToken;
            environment["READINGBOT_Slack__AppToken"] = slack.AppToken;
            slackArgs =
            [
                "--Slack:ApiBaseUrl", slack.ApiBaseUrl,
                "--Slack:SocketConnections", SlackConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Slack:ReconnectMinSeconds", "0.05",
                "--Slack:ReconnectMaxSeconds", "0.5",
            ];
        }

        return LiveBot.Start(data, environment,
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
            .. slackArgs,
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
