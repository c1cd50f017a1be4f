using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests;

public sealed class LocalChatProcessTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "readingbot-host-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static readonly string[] Session =
    [
        "/paper add 1706.03762 Attention Is All You Need",
        "/paper add https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks ImageNet Classification with Deep Convolutional Neural Networks",
        "/paper list",
        "/as bob",
        "/settings timezone Europe/Berlin",
        "/as admin",
        "/settings timezone Europe/Berlin",
        "/paper show #2",
        "/nonsense",
    ];

    [Fact]
    public async Task A_piped_session_gets_the_expected_replies_and_exits_zero()
    {
        var result = await BotProcess.RunAsync(data, Session);

        Assert.Equal(0, result.ExitCode);
        var output = result.Output;
        Assert.Contains("Added #1: Attention Is All You Need", output, StringComparison.Ordinal);
        Assert.Contains("Added #2: ImageNet Classification with Deep Convolutional Neural Networks", output, StringComparison.Ordinal);
        Assert.Contains("Library (2 papers)", output, StringComparison.Ordinal);
        Assert.Contains("You are now bob.", output, StringComparison.Ordinal);
        Assert.Contains("Error: Only moderators can change timezone.", output, StringComparison.Ordinal);
        Assert.Contains("You are now admin (moderator).", output, StringComparison.Ordinal);
        Assert.Contains("timezone is now Europe/Berlin.", output, StringComparison.Ordinal);
        Assert.Contains("#2 ImageNet Classification with Deep Convolutional Neural Networks", output, StringComparison.Ordinal);
        Assert.Contains("Error: Unknown command /nonsense.", output, StringComparison.Ordinal);
        // Piped sessions print replies only: no prompt, no banner.
        Assert.DoesNotContain("admin>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("local chat", output, StringComparison.Ordinal);
        // The refusal came before the change: the order of replies proves bob changed nothing.
        Assert.True(output.IndexOf("Only moderators", StringComparison.Ordinal) < output.IndexOf("timezone is now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Weekly_and_wayr_commands_work_in_a_piped_session()
    {
        var result = await BotProcess.RunAsync(data,
        [
            "/paper suggest 1706.03762 the transformer",
            "/as bob",
            "/paper vote #1",
            "/paper queue",
            "/wayr #1 read: the attention figure finally clicked",
            "/wayr list",
            "/read #1 pass2",
            "/progress",
            "/streak",
            "/leaderboard",
            "/as admin",
            "/week pick #1",
            "/week",
        ]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Voted for #1", result.Output, StringComparison.Ordinal);
        Assert.Contains("#1 Attention Is All You Need — 1 vote — suggested by admin: the transformer", result.Output, StringComparison.Ordinal);
        Assert.Contains("as post 1: #1 Attention Is All You Need [read]: the attention figure finally clicked", result.Output, StringComparison.Ordinal);
        Assert.Contains("1. bob — #1 Attention Is All You Need [read]", result.Output, StringComparison.Ordinal);
        Assert.Contains("#1 Attention Is All You Need — the second pass", result.Output, StringComparison.Ordinal);
        Assert.Contains("bob's streak: 0 weeks", result.Output, StringComparison.Ordinal);
        Assert.Contains("No standings yet", result.Output, StringComparison.Ordinal);
        Assert.Contains("is the paper of", result.Output, StringComparison.Ordinal);
        Assert.Contains("The paper of the week", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_on_the_same_data_still_has_both_papers()
    {
        await BotProcess.RunAsync(data, Session);

        var second = await BotProcess.RunAsync(data, ["/paper list", "/settings timezone"]);

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Library (2 papers)", second.Output, StringComparison.Ordinal);
        Assert.Contains("#2 ImageNet Classification", second.Output, StringComparison.Ordinal);
        Assert.Contains("timezone = Europe/Berlin", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_directory_also_comes_from_the_environment()
    {
        var fromEnvironment = await BotProcess.RunAsync(null, ["/paper add 1706.03762"],
            new Dictionary<string, string> { ["READINGBOT_DATA"] = data });
        var overridden = await BotProcess.RunAsync(Path.Combine(data, "cli"), ["/paper list"],
            new Dictionary<string, string> { ["READINGBOT_DATA"] = data });

        Assert.Equal(0, fromEnvironment.ExitCode);
        Assert.True(File.Exists(Path.Combine(data, "readingbot.db")));
        // The command line wins over the environment, as in every .NET host.
        Assert.Contains("The library is empty", overridden.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "cli", "readingbot.db")));
    }

    [Fact]
    public async Task A_damaged_database_is_a_clear_message_and_a_non_zero_exit()
    {
        Directory.CreateDirectory(data);
        await File.WriteAllBytesAsync(Path.Combine(data, "readingbot.db"), Enumerable.Repeat((byte)0x5A, 20000).ToArray());

        var result = await BotProcess.RunAsync(data, ["/paper list"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ReadingBot cannot start: The database", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_database_held_by_another_process_is_refused()
    {
        Directory.CreateDirectory(data);
        using var held = new FileStream(Path.Combine(data, "readingbot.db.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var result = await BotProcess.RunAsync(data, ["/paper list"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("in use by another ReadingBot process", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_setting_in_configuration_names_the_key_and_the_fix()
    {
        var result = await BotProcess.RunAsync(data, ["/help"], new Dictionary<string, string> { ["READINGBOT_Groups__DefaultTimeZone"] = "Mars/Olympus" });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Groups:DefaultTimeZone: 'Mars/Olympus' is not an IANA time zone", result.Errors, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_Groups__DefaultTimeZone", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_is_written_to_the_data_directory_and_its_path_printed()
    {
        var result = await BotProcess.RunAsync(data, ["/paper add 1706.03762 Attention Is All You Need", "/export bibtex"]);

        var file = Path.Combine(data, "exports");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Saved to {file}", result.Output, StringComparison.Ordinal);
        var written = Directory.GetFiles(file).Single();
        Assert.Contains("@", await File.ReadAllTextAsync(written), StringComparison.Ordinal);
        Assert.Contains("Attention Is All You Need", await File.ReadAllTextAsync(written), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_streak_heatmap_is_written_as_a_png_to_the_data_directory_and_its_path_printed()
    {
        var result = await BotProcess.RunAsync(data, ["/streak"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Picture: Weekly streak heatmap of", result.Output, StringComparison.Ordinal);
        var written = Assert.Single(Directory.GetFiles(Path.Combine(data, "pictures")));
        Assert.Contains($"Saved to {written}", result.Output, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(written)).Take(4));
    }

    [Fact]
    public async Task Healthz_reports_an_open_database()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        // The chat waits for a line that comes only after the health check answered.
        var run = RunWithHealthCheck(port);
        var (status, body) = await run;

        Assert.Equal(200, status);
        Assert.Contains("\"database\":\"open\"", body, StringComparison.Ordinal);
    }

    private async Task<(int Status, string Body)> RunWithHealthCheck(int port)
    {
        var lines = new HealthCheckingInput(port);
        var result = await BotProcess.RunAsync(data, lines, null, "--Web:Urls", $"http://127.0.0.1:{port}");
        Assert.Equal(0, result.ExitCode);
        return (lines.Status, lines.Body);
    }

    /// <summary>Input whose first line is written only after /healthz answered, so the check runs while the bot is up.</summary>
    private sealed class HealthCheckingInput(int port) : IEnumerable<string>
    {
        public int Status { get; private set; }
        public string Body { get; private set; } = "";

        public IEnumerator<string> GetEnumerator()
        {
            using var http = new HttpClient();
            for (var attempt = 0; attempt < 100 && Status == 0; attempt++)
            {
                try
                {
                    using var response = http.GetAsync($"http://127.0.0.1:{port}/healthz").GetAwaiter().GetResult();
                    Status = (int)response.StatusCode;
                    Body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
                catch (HttpRequestException)
                {
                    Thread.Sleep(200);
                }
            }

            yield return "/help";
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
