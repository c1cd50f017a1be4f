using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Bench;

/// <summary>1,000 groups whose weekly announcement falls due at the same minute; one scheduler pass posts them all.</summary>
internal static class WeeklyBench
{
    public static async Task RunAsync(string[] args)
    {
        var groups = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        using var bot = BenchBot.Create(time);
        var sw = Stopwatch.StartNew();
        for (var g = 0; g < groups; g++)
        {
            var workspace = $"w{g}";
            await Expect(bot.SendAsync(workspace, "mod", "settings announce monday 09:00", moderator: true));
            await Expect(bot.SendAsync(workspace, "mod", "settings reminders off", moderator: true));
            await Expect(bot.SendAsync(workspace, "mod", $"week pick 2401.{g:D5} 2026-W48", moderator: true));
        }

        Console.WriteLine($"setup: {groups:N0} groups with a pick for 2026-W48 through {3 * groups:N0} commands in {sw.Elapsed.TotalSeconds:0.0} s");
        var scheduler = bot.Get<WeeklyScheduler>();
        time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        sw.Restart();
        var done = await scheduler.RunDueAsync(CancellationToken.None);
        var elapsed = sw.Elapsed;
        Console.WriteLine($"weekly close: {done:N0} scheduled posts done, {bot.Outbound.Posts:N0} posts sent, in {elapsed.TotalSeconds:0.00} s " +
            $"({elapsed.TotalMilliseconds / Math.Max(1, bot.Outbound.Posts):0.00} ms per group)");
        sw.Restart();
        var again = await scheduler.RunDueAsync(CancellationToken.None);
        Console.WriteLine($"the next pass (nothing due, no double posts): {again} posts, {sw.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"memory with {groups:N0} groups: {Machine.MemoryLine()}");
    }

    private static async Task Expect(Task<Reply> reply)
    {
        if (await reply is ErrorReply error)
        {
            throw new InvalidOperationException("setup failed: " + error.Message);
        }
    }
}
