using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

/// <summary>A bad setting of a feature stops the real process at start, in one line naming the key and the fix.</summary>
public sealed class SettingsProcessTests
{
    [Fact]
    public async Task An_out_of_range_setting_stops_the_start_with_the_key_and_the_fix()
    {
        var data = Directory.CreateTempSubdirectory("readingbot-recs-").FullName;
        try
        {
            var result = await BotProcess.RunAsync(data, ["/help"], new Dictionary<string, string> { ["READINGBOT_Recommendations__Results"] = "50" });

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("Recommendations:Results: 50 is out of range", result.Errors, StringComparison.Ordinal);
            Assert.Contains("READINGBOT_Recommendations__Results", result.Errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
