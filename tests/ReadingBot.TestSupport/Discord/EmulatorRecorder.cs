using System.Text.Json.Nodes;

namespace ReadingBot.TestSupport.Discord;

/// <summary>One REST request the emulator received and how it answered.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Route,
    string Bucket,
    int Status,
    int Code,
    string? UserAgent,
    bool ExemptFromGlobal,
    bool HitExhaustedBucket,
    bool Injected,
    JsonObject? Message);

/// <summary>One Gateway frame, in (from the client) or out (to it).</summary>
public sealed record RecordedFrame(DateTimeOffset At, int Connection, bool FromClient, int Op, string? Type, string Text);

/// <summary>
/// Everything the emulator saw, and the compliance rules a well-behaved bot keeps: no request to an exhausted
/// bucket before its reset, at most the global limit per second, few invalid (401/403/429) responses, and every
/// message with safe allowed_mentions.
/// </summary>
public sealed class EmulatorRecorder
{
    private readonly List<RecordedRequest> requests = [];
    private readonly List<RecordedFrame> frames = [];
    private int nonceHits;

    /// <summary>Message creates answered with an earlier message of the same nonce (enforce_nonce).</summary>
    public int NonceHits => Volatile.Read(ref nonceHits);

    internal void CountNonceHit() => Interlocked.Increment(ref nonceHits);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<RecordedFrame> Frames
    {
        get
        {
            lock (frames)
            {
                return [.. frames];
            }
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (requests)
        {
            requests.Add(request);
        }
    }

    internal void Add(RecordedFrame frame)
    {
        lock (frames)
        {
            frames.Add(frame);
        }
    }

    /// <summary>Requests sent to a bucket with no requests left before its reset.</summary>
    public int ExhaustedBucketHits => Requests.Count(r => r.HitExhaustedBucket);

    /// <summary>401, 403 and 429 answers the emulator did not inject (Discord bans at 10,000 in 10 minutes).</summary>
    public int InvalidResponses => Requests.Count(r => !r.Injected && r.Status is 401 or 403 or 429);

    /// <summary>The most non-exempt requests seen within any one second.</summary>
    public int MaxRequestsInAnySecond
    {
        get
        {
            var times = Requests.Where(r => !r.ExemptFromGlobal).Select(r => r.At).OrderBy(t => t).ToList();
            var max = 0;
            var start = 0;
            for (var end = 0; end < times.Count; end++)
            {
                while (times[end] - times[start] >= TimeSpan.FromSeconds(1))
                {
                    start++;
                }

                max = Math.Max(max, end - start + 1);
            }

            return max;
        }
    }

    /// <summary>Message bodies (posts, edits, interaction responses, follow-ups) that could ping someone.</summary>
    public IReadOnlyList<RecordedRequest> UnsafeMessages => [.. Requests.Where(r => r.Message is not null && !DiscordRules.HasSafeMentions(r.Message))];

    public int MessageCount => Requests.Count(r => r.Message is not null);

    public IReadOnlyList<RecordedRequest> To(string method, string routePrefix) =>
        [.. Requests.Where(r => r.Method == method && r.Route.StartsWith(routePrefix, StringComparison.Ordinal))];
}
