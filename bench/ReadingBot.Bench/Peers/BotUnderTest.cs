using System.Diagnostics;
using System.Globalization;

namespace ReadingBot.Bench.Peers;

/// <summary>
/// A bot in a process of its own (the ReadingBot host or a node peer): its output is drained here (so a full pipe
/// never stalls it, and log lines can be counted) and its CPU and peak resident set are read from /proc.
/// </summary>
internal sealed class BotUnderTest : IDisposable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on Linux
    private readonly Process process;
    private readonly Queue<string> tail = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> waits = [];
    private long errorLines;

    private BotUnderTest(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Received(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => process.Id;

    /// <summary>Lines written to standard error so far (the host's console log).</summary>
    public long ErrorLines => Interlocked.Read(ref errorLines);

    public static BotUnderTest Start(ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return new BotUnderTest(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
    }

    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (tail)
        {
            if (tail.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            waits.Add((text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' did not appear within {timeout}; last output:\n{Tail()}");
        }
    }

    /// <summary>User plus system CPU time of the process so far, in seconds (/proc/&lt;pid&gt;/stat fields 14 and 15).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>The peak resident set (VmHWM) in MB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public string Tail()
    {
        lock (tail)
        {
            return string.Join('\n', tail);
        }
    }

    private void Received(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        if (error)
        {
            Interlocked.Increment(ref errorLines);
        }

        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > 40)
            {
                tail.Dequeue();
            }

            foreach (var wait in waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                wait.Seen.TrySetResult();
                waits.Remove(wait);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }
}

/// <summary>
/// dotnet-trace (the sampled thread-time profile, ~100 Hz, plus a speedscope copy; `cpu-sampling` is for
/// `collect-linux` in dotnet-trace 10) and dotnet-counters (System.Runtime, CSV) attached to the bot for the measured
/// commands only; stopped with SIGINT so both write their files. Traced runs are for the profile, not the table.
/// </summary>
internal sealed class Tracing
{
    private readonly Process[] tools;

    private Tracing(Process[] tools) => this.tools = tools;

    public static async Task<Tracing> StartAsync(string directory, string platform, int pid)
    {
        Directory.CreateDirectory(directory);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Tool(string name) => File.Exists(Path.Combine(home, ".dotnet", "tools", name)) ? Path.Combine(home, ".dotnet", "tools", name) : name;
        var pidText = pid.ToString(CultureInfo.InvariantCulture);
        var trace = Start(Tool("dotnet-trace"), "collect", "-p", pidText, "--profile", "dotnet-common,dotnet-sampled-thread-time", "--format", "Speedscope", "-o", Path.Combine(directory, $"{platform}.nettrace"));
        var counters = Start(Tool("dotnet-counters"), "collect", "-p", pidText, "--counters", "System.Runtime", "--refresh-interval", "1", "--format", "csv", "-o", Path.Combine(directory, $"{platform}.counters.csv"));
        // Give both sessions time to attach before the measured commands start.
        await Task.Delay(TimeSpan.FromSeconds(3));
        return new Tracing([trace, counters]);
    }

    public async Task StopAsync()
    {
        foreach (var tool in tools.Where(t => !t.HasExited))
        {
            using var signal = Process.Start("kill", ["-INT", tool.Id.ToString(CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
        }

        foreach (var tool in tools)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await tool.WaitForExitAsync(timeout.Token);
            tool.Dispose();
        }
    }

    private static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
    }
}
