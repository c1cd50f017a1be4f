using System.Reflection;
using ReadingBot.Core.Commands;

namespace ReadingBot.Core.Tests;

public sealed class ArchitectureTests
{
    [Fact]
    public void Core_references_no_chat_storage_or_hosting_assembly()
    {
        var forbidden = new[] { "LiteDB", "Discord", "Slack", "Microsoft.Extensions.Hosting", "Microsoft.AspNetCore", "ReadingBot.Storage", "ReadingBot.Host", "ReadingBot.Papers" };
        var referenced = typeof(CommandCatalogue).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var offending = referenced.Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.Empty(offending);
        Assert.Contains("System.Runtime", referenced);
    }

    [Fact]
    public void No_source_file_reads_the_system_clock_directly()
    {
        var src = FindSrc();
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("DateTime.Now", StringComparison.Ordinal) || text.Contains("DateTime.UtcNow", StringComparison.Ordinal) || text.Contains("DateTimeOffset.Now", StringComparison.Ordinal) || text.Contains("DateTimeOffset.UtcNow", StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Core_leaves_times_in_replies_to_the_renderers()
    {
        // A time in a reply is a Moment, which each surface writes its own way (Discord and Slack in the reader's zone).
        // Converting an instant to the group's zone or formatting a time of day belongs only to these files.
        var allowed = new[]
        {
            Path.Combine("Replies", "Moment.cs"),
            "Exports" + Path.DirectorySeparatorChar, // files (iCalendar, CSV, JSON) carry their own time formats
            Path.Combine("Weeks", "WeekKey.cs"), // which ISO week an instant falls in; no text
            Path.Combine("Weeks", "WeeklySchedule.cs"), // a weekly time of day ("monday 09:00"), not an instant
            Path.Combine("Papers", "PaperCards.cs"), // the day a paper was added, a date without a time
        };
        var core = Path.Combine(FindSrc(), "ReadingBot.Core");
        var formatsATime = new System.Text.RegularExpressions.Regex(@"TimeZoneInfo\.ConvertTime|ToLocalTime\(|ToString\(\s*""[^""]*(HH|hh|ddd)|\{[^{}""]+:([^{}""]*(HH|hh)[^{}""]*|u|O|s)\}");
        var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !allowed.Any(a => Path.GetRelativePath(core, f).StartsWith(a, StringComparison.Ordinal)))
            // Log templates ({Due:u}) are for operators, not replies.
            .Where(f => File.ReadLines(f).Any(line => formatsATime.IsMatch(line) && !line.Contains("logger.Log", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(core, f))
            .ToList();

        Assert.Empty(offenders);
    }

    internal static string FindSrc()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("ReadingBot.sln not found above the test binaries"), "src");
    }
}
