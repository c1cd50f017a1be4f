using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReadingBot.Host.Hosting;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

/// <summary>How the bot starts and stops: where its data goes, and one line (never a stack trace) for each way it fails.</summary>
public sealed class StartAndStopTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "readingbot-start-" + Guid.NewGuid().ToString("N"));

    public StartAndStopTests() => Directory.CreateDirectory(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_line_that_is_only_a_slash_is_an_error_and_the_session_goes_on()
    {
        var result = await BotProcess.RunAsync(Path.Combine(root, "data"), ["/", "/   ", "/paper list"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Lines.Count(l => l == "Error: type a command after the slash, such as /help."));
        Assert.Contains("Library (0 papers)", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hosted_service_that_fails_ends_the_bot_with_one_line_and_a_non_zero_exit_code()
    {
        using var errors = new StringWriter();

        var exitCode = await ReadingBotHost.RunAsync(
            ["--data", Path.Combine(root, "data"), "--Local:Enabled", "false", "--Web:Urls", "http://127.0.0.1:0", "--Papers:Enabled", "false", "--Recommendations:Enabled", "false"],
            errors,
            services => services.AddHostedService<FailingService>());

        var said = errors.ToString();
        Assert.True(exitCode == ReadingBotHost.ExitFailed, said);
        Assert.True(said.Contains("ReadingBot stopped: FailingService failed (InvalidOperationException: the disk is on fire).", StringComparison.Ordinal), said);
        Assert.Single(said.Split('\n'), l => l.StartsWith("ReadingBot stopped", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_the_key_and_the_command_line_form()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await BotProcess.RunAsync(Path.Combine(root, "data"), ["/help"], null, "--Web:Urls", $"http://127.0.0.1:{port}");

        Assert.Equal(ReadingBotHost.ExitCannotListen, result.ExitCode);
        var lines = ErrorLines(result);
        var line = Assert.Single(lines, l => l.StartsWith("ReadingBot cannot start", StringComparison.Ordinal));
        Assert.Contains($"Web:Urls: http://127.0.0.1:{port} is in use", line, StringComparison.Ordinal);
        Assert.Contains("--Web:Urls http://127.0.0.1:0", line, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_Web__Urls", line, StringComparison.Ordinal);
        // Nothing else: no host report, no Kestrel stack trace, no service failing on the closed database.
        Assert.DoesNotContain(lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_bad_setting_is_said_once_with_every_way_to_set_it()
    {
        var result = await BotProcess.RunAsync(Path.Combine(root, "data"), ["/help"], new Dictionary<string, string> { ["READINGBOT_Groups__DefaultTimeZone"] = "Mars/Olympus" });

        Assert.Equal(ReadingBotHost.ExitBadConfiguration, result.ExitCode);
        var line = Assert.Single(ErrorLines(result), l => l.Contains("Mars/Olympus", StringComparison.Ordinal));
        Assert.StartsWith("ReadingBot cannot start: Groups:DefaultTimeZone: 'Mars/Olympus' is not an IANA time zone.", line, StringComparison.Ordinal);
        Assert.Contains("--Groups:DefaultTimeZone", line, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_Groups__DefaultTimeZone", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_data_directory_is_data_under_the_working_directory_and_is_printed_at_start()
    {
        var result = await BotProcess.RunInAsync(root, null, ["/paper list"]);

        Assert.Equal(0, result.ExitCode);
        var expected = Path.Combine(root, "data");
        Assert.True(File.Exists(Path.Combine(expected, "readingbot.db")));
        Assert.Contains($"ReadingBot: data in {expected} ", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotnet_run_starts_the_bot_in_the_directory_it_was_typed_in()
    {
        // dotnet run starts a program in the folder its RunWorkingDirectory names, by default the project's own;
        // the host project sets it to where the command was typed, which is what puts data/ there.
        var project = Path.Combine(RepositoryRoot(), "src", "ReadingBot.Host", "ReadingBot.Host.csproj");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "msbuild", project, "-getProperty:RunWorkingDirectory", "-nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Path.TrimEndingDirectorySeparator(root), Path.TrimEndingDirectorySeparator(output.Trim()));
    }

    private static string[] ErrorLines(ProcessResult result) =>
        result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReadingBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ReadingBot.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the disk is on fire");
        }
    }
}

public sealed class LocalFilesTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-files-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void An_export_with_the_name_of_an_earlier_one_gets_a_file_of_its_own()
    {
        var files = new ReadingBot.Host.Local.LocalFiles(data);
        var export = new ReadingBot.Core.Replies.FileReply("library-20261202-101500.md", "text/markdown", "first"u8.ToArray(), "The library");

        files.Save(export);
        files.Save(export with { Content = "second"u8.ToArray() });

        var written = Directory.GetFiles(files.Directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["library-20261202-101500-2.md", "library-20261202-101500.md"], written);
        Assert.Equal("first", File.ReadAllText(Path.Combine(files.Directory, "library-20261202-101500.md")));
    }
}
