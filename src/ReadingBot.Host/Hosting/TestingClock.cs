using System.Globalization;

namespace ReadingBot.Host.Hosting;

/// <summary>
/// For tests only (<c>Testing:Clock:File</c>): the process's wall clock read from a file that a test writes, so that
/// several bot processes live through weeks of schedules in seconds. The file holds one ISO 8601 instant; from the
/// moment the process sees it, the clock runs on from that instant at the real rate, until the test writes the next.
/// A test moves time forward in steps and waits for what each step owes, instead of running a clock many times faster
/// than real: at such a rate every duration the bot measures on the wall clock (a claim's two-minute lease, a dedupe
/// TTL, a rate-limit reset) would shrink to milliseconds, and whether a post is taken over twice would depend on the
/// machine's speed. Timers and timestamps stay real (heartbeats, timeouts and the scheduler's tick are not sped up).
/// </summary>
internal sealed class TestingClock : TimeProvider, IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly string path;
    private readonly ITimer poller;
    private DateTime seenWrite;
    private long offsetTicks;

    private TestingClock(string path)
    {
        this.path = path;
        Read(starting: true);
        poller = System.CreateTimer(static c => ((TestingClock)c!).Read(starting: false), this, Poll, Poll);
    }

    public const string Key = "Testing:Clock:File";

    public string FilePath => path;

    /// <summary>The clock the file names, or null when the setting is absent; an unreadable file stops the start with the key named.</summary>
    public static TestingClock? FromConfiguration(IConfiguration configuration) =>
        configuration[Key] is { Length: > 0 } file ? new TestingClock(Path.GetFullPath(file)) : null;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Dispose() => poller.Dispose();

    /// <summary>
    /// Takes the file's instant when it changed. At the start a file without one stops the process with the key named;
    /// later (on the poller's thread, where a throw would end the process) a bad read keeps the last instant.
    /// </summary>
    private void Read(bool starting)
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(path);
            if (written == seenWrite && seenWrite != default)
            {
                return;
            }

            var text = File.ReadAllText(path).Trim();
            if (text.Length == 0)
            {
                // Caught between the test's truncate and its write: the next poll reads it.
                if (starting)
                {
                    throw new FormatException("the file is empty");
                }

                return;
            }

            var instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Interlocked.Exchange(ref offsetTicks, (instant - System.GetUtcNow()).Ticks);
            seenWrite = written;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException && starting)
        {
            throw new InvalidOperationException(SettingProblemLine(ex), ex);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            // The test is rewriting the file; keep the last instant and read again at the next poll.
        }
    }

    private string SettingProblemLine(Exception ex) =>
        $"{Key} names {path}, which does not hold an ISO 8601 instant ({(ex is FormatException ? "not an instant" : ex.Message)}).";
}
