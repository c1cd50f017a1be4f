using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using ReadingBot.Host.Tests.Adapters;
using ReadingBot.Storage.Contract;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Host.Tests;

/// <summary>
/// Two real bot processes on one PostgreSQL, both connected to the same Slack app with two Socket Mode connections
/// each: Slack (the emulator) spreads envelopes over all four, redelivers the ones whose ack it never got to the other
/// process, and one process is killed with <c>kill -9</c> holding envelopes it answered but Slack never saw acked.
/// Every envelope runs once: each <c>/paper add</c> is in the library once and answered at most once.
/// </summary>
[Collection(AdapterProcesses.Name)]
public sealed partial class SlackMultiProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly TestSchema schema = TestServer.CreateSchema();
    private readonly List<string> dataDirectories = [];
    private readonly ConcurrentDictionary<string, bool> loseFirstAck = new(StringComparer.Ordinal);
    private volatile bool loseEveryAckOfA;
    private SlackEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions
    {
        Spread = SocketSpread.RoundRobin,
        // The test picks which acks never reach Slack: a chosen command's first ack, or every ack of process A once it is doomed.
        LoseAck = (delivery, socket) => delivery.LostAcks.Count == 0
            && ((loseEveryAckOfA && socket.Client == "A") || loseFirstAck.ContainsKey(Ref(delivery))),
    });

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        schema.Dispose();
        foreach (var directory in dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string ArxivId(int i) => string.Create(CultureInfo.InvariantCulture, $"2401.{i:00000}");

    private static string Ref(SlackDelivery delivery) => delivery.Payload["text"]?.ToString().Replace("paper add ", "", StringComparison.Ordinal) ?? "";

    [GeneratedRegex(@"Added #(\d+)")]
    private static partial Regex AddedNumber();

    [Fact]
    public async Task Two_processes_on_one_Slack_app_run_every_envelope_once_across_redeliveries_and_a_kill_9()
    {
        var a = Start();
        LiveBot? b = null;
        try
        {
            Tag(await emulator.WaitForOpenSocketsAsync(2, Wait), "A");
            b = Start();
            var all = await emulator.WaitForOpenSocketsAsync(4, Wait);
            Tag(all.Where(s => s.Client is null), "B");
            Assert.Equal(4, all.Count);
            // The group and its library exist before the two processes race on them.
            Assert.Contains("Added #1", SlackJson.Strings(await (await emulator.SlashCommandAsync("paper add " + ArxivId(0))).WaitForResponseAsync(Wait)));

            // Round one: adds over all four connections; every fourth one's first ack is lost, so Slack redelivers it
            // (under a new envelope id) to the other process, which must recognise it.
            var adds = new List<SlackDelivery>();
            for (var i = 1; i <= 20; i++)
            {
                if (i % 4 == 0)
                {
                    loseFirstAck[ArxivId(i)] = true;
                }

                adds.Add(await emulator.SlashCommandAsync("paper add " + ArxivId(i)));
            }

            foreach (var add in adds)
            {
                await add.WaitForAckAsync(Wait);
            }

            var redelivered = adds.Where(d => d.LostAcks.Count > 0).ToList();
            Assert.Equal(5, redelivered.Count);
            Assert.All(redelivered, d => Assert.NotEqual(ClientOf(d.Attempts[0].SocketId), ClientOf(d.Attempts[^1].SocketId)));
            Assert.Equal(["A", "B"], adds.Select(d => ClientOf(d.Acks.Single().SocketId)).Distinct().Order());

            // Round two: process A answers but none of its acks gets through, then it is killed with kill -9.
            loseEveryAckOfA = true;
            var late = new List<SlackDelivery>();
            for (var i = 21; i <= 28; i++)
            {
                late.Add(await emulator.SlashCommandAsync("paper add " + ArxivId(i)));
            }

            var onA = late.Where(d => ClientOf(d.Attempts[0].SocketId) == "A").ToList();
            Assert.NotEmpty(onA);
            await Eventually.TrueAsync(() => onA.All(d => d.LostAcks.Count > 0), "process A answered its envelopes (acks lost)", Wait);
            await a.KillAsync();
            foreach (var add in late)
            {
                await add.WaitForAckAsync(Wait);
            }

            Assert.All(onA, d => Assert.Equal("B", ClientOf(d.Acks.Single().SocketId)));

            var listed = await (await emulator.SlashCommandAsync("paper list")).WaitForResponseAsync(Wait);
            Assert.Contains("Library (29 papers", SlackJson.Strings(listed));

            var everything = adds.Concat(late).ToList();
            Assert.All(everything, d => Assert.True(d.Responses.Count <= 1, $"{Ref(d)} answered {d.Responses.Count} times"));
            Assert.All(everything.Where(d => d.LostAcks.Count == 0), d => Assert.Single(d.Responses));
            var numbers = everything.SelectMany(d => d.Responses.Concat(d.LostAcks.Select(l => l.Payload).OfType<System.Text.Json.Nodes.JsonObject>()))
                .Select(r => AddedNumber().Match(string.Join(" ", SlackJson.Strings(r)))).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(numbers.Count, numbers.Distinct().Count());
        }
        finally
        {
            await a.DisposeAsync();
            if (b is not null)
            {
                await b.DisposeAsync();
            }
        }
    }

    private static void Tag(IEnumerable<EmulatedSocket> sockets, string client)
    {
        foreach (var socket in sockets)
        {
            socket.Client = client;
        }
    }

    private string? ClientOf(int socketId) => emulator.Sockets.Single(s => s.Id == socketId).Client;

    private LiveBot Start()
    {
        var data = Path.Combine(Path.GetTempPath(), "readingbot-slackmulti-" + Guid.NewGuid().ToString("N"));
        dataDirectories.Add(data);
        return LiveBot.Start(data, new Dictionary<string, string>
        {
            ["READINGBOT_Slack__BotToken"] = emulator.Team().BotToken,
            ["READINGBOT_Slack__AppToken"] = emulator.AppToken,
            ["READINGBOT_Storage__Provider"] = "Postgres",
            ["READINGBOT_Storage__ConnectionString"] = schema.ConnectionString,
            ["READINGBOT_Storage__MaxPoolSize"] = "5",
        },
        "--Slack:ApiBaseUrl", emulator.ApiBaseUrl,
        "--Slack:SocketConnections", "2",
        "--Slack:ReconnectMinSeconds", "0.05",
        "--Slack:ReconnectMaxSeconds", "0.5",
        "--Local:Enabled", "false");
    }
}
