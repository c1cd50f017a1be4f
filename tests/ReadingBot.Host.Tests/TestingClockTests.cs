using ReadingBot.Host.Hosting;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

/// <summary>The test-only clock setting (<c>Testing:Clock:File</c>) that the multi-process tests drive weeks with.</summary>
public sealed class TestingClockTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "readingbot-clock-" + Guid.NewGuid().ToString("N"));

    public TestingClockTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_clock_file_moves_the_bots_clock_and_the_start_warns_that_it_is_for_tests_only()
    {
        var clock = Path.Combine(root, "clock");
        await File.WriteAllTextAsync(clock, "2031-05-05T10:00:00Z");

        var result = await BotProcess.RunAsync(Path.Combine(root, "data"), ["/help"], null, "--Testing:Clock:File", clock);

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Errors.Split('\n'), l => l.Contains("Testing:Clock:File is set", StringComparison.Ordinal));
        Assert.Contains("now 2031-05-05 10:00", line, StringComparison.Ordinal);
        Assert.Contains("For tests only", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("next tuesday")]
    [InlineData("")]
    public async Task A_clock_file_without_an_instant_stops_the_start_with_one_line_naming_the_key(string content)
    {
        // An empty file too: the start refuses it rather than leaving the poller to fail on its thread later.
        var clock = Path.Combine(root, "clock");
        await File.WriteAllTextAsync(clock, content);
        using var errors = new StringWriter();

        var exitCode = await ReadingBotHost.RunAsync(["--data", Path.Combine(root, "data"), "--Local:Enabled", "false", "--Web:Enabled", "false", "--Testing:Clock:File", clock], errors);

        Assert.Equal(ReadingBotHost.ExitBadConfiguration, exitCode);
        var line = Assert.Single(errors.ToString().Split('\n'), l => l.StartsWith("ReadingBot cannot start", StringComparison.Ordinal));
        Assert.Equal($"ReadingBot cannot start: Testing:Clock:File names {clock}, which does not hold an ISO 8601 instant (not an instant).", line.TrimEnd());
    }
}
