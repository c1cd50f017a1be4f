using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReadingBot.Discord;
using ReadingBot.Charts;
using ReadingBot.Core;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Bench.Discord;

/// <summary>
/// Pushes slash-command interactions through the Discord emulator (Gateway in, REST callback out) at increasing
/// rates and reports throughput, p50/p99 latency from INTERACTION_CREATE to the visible reply, and memory. Bot and
/// emulator share this process, on 127.0.0.1 only; every step is bounded in count and time.
/// </summary>
public static class DiscordLoad
{
    private const string Guild = "1100000000000000001";
    private const string Channel = "1110000000000000001";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rates = args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10, 25, 50, 100, 200];

        await using var emulator = await DiscordEmulator.StartAsync(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromSeconds(5);
            o.IdentifyConcurrencyWindow = TimeSpan.Zero;
        });
        emulator.AddGuild(Guild, "Bench", Channel);
        await using var bot = await StartBotAsync(emulator);
        await emulator.WaitForSessionAsync(TimeSpan.FromSeconds(60));
        await DiscordEmulator.WaitUntilAsync(() => emulator.Commands() is not null, TimeSpan.FromSeconds(60), "command registration");

        // Warm up the JIT and the store before measuring.
        await RunStepAsync(emulator, 20, 2);

        Console.WriteLine("rate/s  sent  answered  throughput/s  p50 ms  p99 ms  max ms  deferred  errors  working-set MB  managed MB");
        foreach (var rate in rates)
        {
            var step = await RunStepAsync(emulator, rate, seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rate,6}  {step.Sent,4}  {step.Answered,8}  {step.Throughput,12:0.0}  {step.P50,6:0.0}  {step.P99,6:0.0}  {step.Max,6:0.0}  {step.Deferred,8}  {step.Errors,6}  {Process.GetCurrentProcess().WorkingSet64 / 1048576.0,14:0.0}  {GC.GetTotalMemory(false) / 1048576.0,10:0.0}"));
        }

        Console.WriteLine($"rate-limit compliance: exhausted-bucket hits {emulator.Recorder.ExhaustedBucketHits}, invalid responses {emulator.Recorder.InvalidResponses}, unsafe messages {emulator.Recorder.UnsafeMessages.Count}");
        return 0;
    }

    private sealed record Step(int Sent, int Answered, double Throughput, double P50, double P99, double Max, int Deferred, int Errors);

    private static async Task<Step> RunStepAsync(DiscordEmulator emulator, int rate, double seconds)
    {
        var total = (int)(rate * seconds);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var sent = new List<EmulatedInteraction>(total);
        var start = Stopwatch.GetTimestamp();
        var user = new EmulatedUser("1000000000000000001", "bench");
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(interval.TotalSeconds * i * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            sent.Add(i % 2 == 0
                ? await emulator.SendCommandAsync(Guild, Channel, user, "paper", "list")
                : await emulator.SendCommandAsync(Guild, Channel, user, "help"));
        }

        // Every interaction has its 3 s (plus the deferred edit) to finish; then the step ends regardless.
        var deadline = Task.Delay(TimeSpan.FromSeconds(15));
        await Task.WhenAny(Task.WhenAll(sent.Select(s => s.WaitForReplyAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default))), deadline);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var latencies = sent.Where(s => s.ReplyLatency is not null).Select(s => s.ReplyLatency!.Value.TotalMilliseconds).Order().ToList();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Step(
            total,
            latencies.Count,
            latencies.Count / elapsed.TotalSeconds,
            Percentile(0.5),
            Percentile(0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1],
            sent.Count(s => s.CallbackType == 5),
            sent.Sum(s => s.Errors.Count));
    }

    private static async Task<WebApplication> StartBotAsync(DiscordEmulator emulator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = emulator.Token,
            ["Discord:ApplicationId"] = emulator.Options.ApplicationId,
            ["Discord:ApiBaseUrl"] = emulator.ApiBaseUrl,
            ["Discord:IdentifySpacingSeconds"] = "0",
        });
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddReadingBotCore(builder.Configuration);
        builder.Services.AddCharts();
        builder.Services.AddLiteDbStorage(ReadingBotDatabase.OpenMemory());
        builder.Services.AddDiscord(builder.Configuration);
        builder.Services.AddWeb(builder.Configuration);
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }
}
