using System.Text.RegularExpressions;
using ReadingBot.Discord.Gateway;

namespace ReadingBot.Discord.Tests;

/// <summary>compose.yaml's bot processes agree on the shard count and run every shard exactly once between them.</summary>
public sealed partial class ComposeFileTests
{
    [Fact]
    public void The_compose_processes_run_every_shard_exactly_once()
    {
        var text = File.ReadAllText(Path.Combine(Root(), "compose.yaml"));

        var count = Assert.Single(CountSetting().Matches(text).Select(m => m.Groups[1].Value).Distinct());
        Assert.True(ShardSettings.TryParseCount(count, out var shards) && shards is > 1);
        var ranges = IdsSetting().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var ids = ranges.SelectMany(r => ShardSettings.TryParseIds(r, out var parsed) && parsed is not null ? parsed : throw new InvalidOperationException($"'{r}' is not a list of shard ids")).ToList();

        Assert.True(ranges.Count > 1, "compose.yaml should run more than one bot process");
        Assert.Equal(Enumerable.Range(0, shards!.Value), ids.Order());
    }

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReadingBot.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (ReadingBot.sln) was not found");
    }

    [GeneratedRegex(@"READINGBOT_Discord__ShardCount:\s*""([^""]*)""")]
    private static partial Regex CountSetting();

    [GeneratedRegex(@"READINGBOT_Discord__ShardIds:\s*""([^""]*)""")]
    private static partial Regex IdsSetting();
}
