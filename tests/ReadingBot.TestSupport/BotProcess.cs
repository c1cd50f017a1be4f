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
    public static async Task<ProcessResult> RunAsync(string? dataDirectory, IEnumerable<string> inputLines, IDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ReadingBot.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
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
