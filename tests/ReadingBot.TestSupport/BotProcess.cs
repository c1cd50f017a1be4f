using System.Diagnostics;

namespace ReadingBot.TestSupport;

/// <summary>What a whole bot process printed and how it ended.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Errors)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>Runs the built host (ReadingBot.Host.dll beside the test binaries) as a separate process with piped input.</summary>
public static class BotProcess
{
    public static Task<ProcessResult> RunAsync(string? dataDirectory, IEnumerable<string> inputLines, IDictionary<string, string>? environment = null, params string[] extraArgs) =>
        RunInAsync(Path.GetTempPath(), dataDirectory, inputLines, environment, extraArgs);

    /// <summary>The same, started in <paramref name="workingDirectory"/> (where a relative data directory lands).</summary>
    public static async Task<ProcessResult> RunInAsync(string workingDirectory, string? dataDirectory, IEnumerable<string> inputLines, IDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--data");
            start.ArgumentList.Add(dataDirectory);
        }
        // Tests run in parallel: each bot listens on a free port of its own.
        start.ArgumentList.Add("--Web:Urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        // Tests never reach the real arXiv, Crossref or OpenReview.
        start.ArgumentList.Add("--Papers:Enabled");
        start.ArgumentList.Add("false");
        foreach (var arg in extraArgs)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("READINGBOT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in inputLines)
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the bot did not exit within 90 s; output so far: {await stdout}\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A running bot whose input stays open, for tests that wait for what the bot says on its own.</summary>
public sealed class LiveBot : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder output = new();
    private readonly System.Text.StringBuilder errors = new();

    private LiveBot(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (output) { return output.ToString(); } } }

    public string Errors { get { lock (errors) { return errors.ToString(); } } }

    public static LiveBot Start(string dataDirectory, params string[] extraArgs) => Start(dataDirectory, new Dictionary<string, string>(), extraArgs);

    /// <summary>The same, with <c>READINGBOT_*</c> variables (secrets such as a token or a connection string).</summary>
    public static LiveBot Start(string dataDirectory, IDictionary<string, string> environment, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll"), "--data", dataDirectory, "--Web:Urls", "http://127.0.0.1:0", "--Papers:Enabled", "false" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("READINGBOT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new LiveBot(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    public async Task SendAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output so far after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout || process.HasExited)
            {
                throw new TimeoutException($"'{text}' did not appear within {timeout}. Output:\n{Output}\nErrors:\n{Errors}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Closes the input (the local chat then stops) and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary><c>kill -9</c>: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
