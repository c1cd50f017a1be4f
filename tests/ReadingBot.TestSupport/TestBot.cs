using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.TestSupport;

/// <summary>
/// The real composition (the host's own AddXxx calls) over a real LiteDB on a memory stream, a fake clock and a
/// recording outbound port: tests drive commands through the same path as the adapters.
/// </summary>
public sealed class TestBot : IDisposable
{
    public static readonly GroupAddress LocalGroup = new(Platforms.Local, "test");

    private readonly bool ownsDatabase;

    private TestBot(ServiceProvider services, FakeTimeProvider time, RecordingOutbound outbound, ReadingBotDatabase database, bool ownsDatabase)
    {
        this.ownsDatabase = ownsDatabase;
        Services = services;
        Time = time;
        Outbound = outbound;
        Database = database;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public RecordingOutbound Outbound { get; }
    public ReadingBotDatabase Database { get; }

    public CommandDispatcher Dispatcher => Services.GetRequiredService<CommandDispatcher>();

    /// <summary>Builds a bot; <paramref name="configure"/> may replace services (a metadata source, say).</summary>
    public static TestBot Create(
        Action<IServiceCollection>? configure = null,
        IDictionary<string, string?>? settings = null,
        DateTimeOffset? start = null,
        ReadingBotDatabase? database = null)
    {
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var outbound = new RecordingOutbound();
        var options = new BotHarnessOptions
        {
            Settings = settings ?? new Dictionary<string, string?>(),
            Time = time,
            Database = database,
            After = (services, _) =>
            {
                services.AddSingleton<IChatOutbound>(outbound);
                configure?.Invoke(services);
            },
        };
        // No server and no hosted services running: commands go straight to the dispatcher.
        var configuration = BotHarness.AddSettings(new ConfigurationBuilder(), options).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var db = BotHarness.Compose(services, configuration, options);
        return new TestBot(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time, outbound, db, database is null);
    }

    public static Actor Member(string name, bool moderator = false) => new(name, name, moderator);

    public static CommandContext Context(string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        new(group ?? LocalGroup, Member(user, moderator), "home");

    /// <summary>Runs a command line as <paramref name="user"/> and returns the reply.</summary>
    public Task<Reply> SendAsync(string line, string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        Dispatcher.HandleTextAsync(Context(user, moderator, group), line, CancellationToken.None);

    /// <summary>Runs a command line and returns the reply as the local chat would print it.</summary>
    public async Task<string> TextAsync(string line, string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        PlainTextRenderer.Render(await SendAsync(line, user, moderator, group));

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public void Dispose()
    {
        Services.Dispose();
        if (ownsDatabase)
        {
            Database.Dispose();
        }
    }
}

/// <summary>An outbound port that records every post, for assertions.</summary>
public sealed class RecordingOutbound(string platform = Platforms.Local) : IChatOutbound
{
    private readonly List<OutboundPost> posts = [];
    private int next;

    public string Platform { get; } = platform;

    public IReadOnlyList<OutboundPost> Posts
    {
        get
        {
            lock (posts)
            {
                return [.. posts];
            }
        }
    }

    /// <summary>Posts for these groups fail as a deleted channel would.</summary>
    public HashSet<string> FailingGroups { get; } = [];

    /// <summary>Members whose direct messages are closed: a post to them is refused as the platforms refuse it.</summary>
    public HashSet<string> ClosedDirectMessages { get; } = [];

    /// <summary>A matching post dies before it is recorded: the process died after the claim, before the send.</summary>
    public Predicate<OutboundPost>? DieBeforeSending { get; set; }

    /// <summary>A matching post is recorded, then dies: the send landed, the process died before marking it.</summary>
    public Predicate<OutboundPost>? DieAfterSending { get; set; }

    public Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        if (FailingGroups.Contains(post.Group.Id.Value))
        {
            throw new OutboundException("the home channel does not exist any more");
        }

        if (post.DirectTo is { } member && ClosedDirectMessages.Contains(member))
        {
            throw new DirectMessagesClosedException($"{member} does not take direct messages");
        }

        if (DieBeforeSending?.Invoke(post) == true)
        {
            throw new SimulatedCrashException("before the send");
        }

        lock (posts)
        {
            posts.Add(post);
            next++;
            if (DieAfterSending?.Invoke(post) == true)
            {
                throw new SimulatedCrashException("after the send");
            }

            return Task.FromResult(new PostedMessage(post.ChannelId ?? "home", $"m{next}", post.ThreadTitle is null ? post.InThreadId : $"t{next}"));
        }
    }
}

/// <summary>
/// Stands for the process dying mid-post: not an <see cref="OutboundException"/>, so nothing marks the claim; the test
/// then drops the bot and starts a new one on the same database, as a restart would.
/// </summary>
public sealed class SimulatedCrashException(string when) : Exception($"simulated process death {when}");

/// <summary>An outbound port around a real adapter that dies before or after a matching send, for crash tests on the emulators.</summary>
public sealed class CrashingOutbound(IChatOutbound inner) : IChatOutbound
{
    /// <summary>Puts a crashing port around the adapter <typeparamref name="TAdapter"/> as the one outbound port the jobs use.</summary>
    public static void Install<TAdapter>(IServiceCollection services) where TAdapter : class, IChatOutbound
    {
        services.RemoveAll<IChatOutbound>();
        services.AddSingleton(sp => new CrashingOutbound(sp.GetRequiredService<TAdapter>()));
        services.AddSingleton<IChatOutbound>(sp => sp.GetRequiredService<CrashingOutbound>());
    }

    public string Platform => inner.Platform;

    /// <summary>A matching post dies before it reaches the platform.</summary>
    public Predicate<OutboundPost>? DieBeforeSending { get; set; }

    /// <summary>A matching post reaches the platform, then dies before the scheduler can mark it.</summary>
    public Predicate<OutboundPost>? DieAfterSending { get; set; }

    /// <summary>Every post handed to the port, including the ones that died.</summary>
    public List<OutboundPost> Attempts { get; } = [];

    public async Task<PostedMessage> PostAsync(OutboundPost post, CancellationToken cancellationToken)
    {
        lock (Attempts)
        {
            Attempts.Add(post);
        }

        if (DieBeforeSending?.Invoke(post) == true)
        {
            throw new SimulatedCrashException("before the send");
        }

        var posted = await inner.PostAsync(post, cancellationToken);
        return DieAfterSending?.Invoke(post) == true ? throw new SimulatedCrashException("after the send") : posted;
    }
}

/// <summary>A metadata source that answers from a dictionary, for tests that need known papers.</summary>
public sealed class FixedMetadataSource : IPaperMetadataSource
{
    public Dictionary<string, MetadataResult> Answers { get; } = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(Answers.TryGetValue(reference.Key, out var answer) ? answer : new MetadataResult.Unavailable("offline in this test"));
    }
}
