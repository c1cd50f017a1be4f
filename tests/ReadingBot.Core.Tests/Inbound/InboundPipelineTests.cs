using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;

namespace ReadingBot.Core.Tests.Inbound;

/// <summary>The shared inbound pipeline on its own: claims, repeats, failures, removals, back-pressure, the first answer.</summary>
public sealed class InboundPipelineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_deliveries_with_one_key_run_once_and_the_repeat_is_told_to_its_handler()
    {
        await using var rig = Rig.Start(workers: 2);

        Assert.True(rig.Pipeline.TryEnqueue(new Item(["slack:event:Ev1"])));
        Assert.True(rig.Pipeline.TryEnqueue(new Item(["slack:envelope:E2", "slack:event:Ev1"])));
        await rig.UntilAsync(() => rig.Handler.Handled.Count + rig.Handler.Repeats.Count == 2);

        Assert.Single(rig.Handler.Handled);
        Assert.Single(rig.Handler.Repeats);
        Assert.Equal(1, rig.Pipeline.Repeated);
    }

    [Fact]
    public async Task A_socket_reader_hands_its_delivery_on_and_an_http_request_runs_its_own()
    {
        await using var rig = Rig.Start(workers: 2);
        var fromReader = new Item(["slack:envelope:1"]);
        var fromRequest = new Item(["discord:interaction:2"]);
        // Threads of their own, as a reader's loop and a request are: the pool never runs work on them.
        var reader = RunOnOwnThread(() => rig.Pipeline.TryEnqueue(fromReader));
        await rig.UntilAsync(() => rig.Handler.Handled.Count == 1);
        var request = RunOnOwnThread(() => rig.Pipeline.TryEnqueue(fromRequest, runHere: true));
        await rig.UntilAsync(() => rig.Handler.Handled.Count == 2);

        Assert.Equal(request, fromRequest.RanOnThread);
        Assert.NotEqual(reader, fromReader.RanOnThread);
    }

    [Fact]
    public async Task A_key_claimed_by_an_earlier_process_is_not_run_again()
    {
        var log = new MemoryDeliveryLog();
        await using (var before = Rig.Start(log: log))
        {
            before.Pipeline.TryEnqueue(new Item(["discord:interaction:1"]));
            await before.UntilAsync(() => before.Handler.Handled.Count == 1);
        }

        await using var after = Rig.Start(log: log);
        after.Pipeline.TryEnqueue(new Item(["discord:interaction:1"]));
        await after.UntilAsync(() => after.Handler.Repeats.Count == 1);

        Assert.Empty(after.Handler.Handled);
    }

    [Fact]
    public async Task Claims_waiting_together_share_one_store_commit()
    {
        var log = new MemoryDeliveryLog { Gate = new SemaphoreSlim(0) };
        await using var claims = new DeliveryClaims(log, TimeProvider.System, NullLogger<DeliveryClaims>.Instance);

        // The first claimer writes on its own thread and is held inside the store; the others queue behind it.
        var first = Task.Run(() => claims.TryClaimAsync(["a"], TimeSpan.FromMinutes(1)));
        await Rig.EventuallyAsync(() => log.Waiting == 1);
        var rest = Enumerable.Range(0, 20).Select(i => claims.TryClaimAsync([$"k{i}"], TimeSpan.FromMinutes(1))).ToList();
        log.Gate.Release(2);

        Assert.True(await first);
        Assert.All(await Task.WhenAll(rest), Assert.True);
        Assert.Equal(2, log.Commits);
    }

    [Fact]
    public async Task A_store_that_fails_the_claim_runs_nothing_and_sends_the_stand_in()
    {
        var log = new MemoryDeliveryLog { Fail = true };
        await using var rig = Rig.Start(log: log);
        var standIns = 0;
        var answer = new FirstAnswer(() => Task.FromResult(Interlocked.Increment(ref standIns) > 0), TimeSpan.FromHours(1), TimeProvider.System.GetTimestamp(), TimeProvider.System);

        rig.Pipeline.TryEnqueue(new Item(["slack:event:Ev9"]) { Answer = answer });
        await answer.StandInSent.WaitAsync(Wait);

        Assert.Empty(rig.Handler.Handled);
        Assert.Equal(1, standIns);
    }

    [Fact]
    public async Task A_removal_deletes_the_tenant_and_tells_the_handler_instead_of_running_it()
    {
        await using var rig = Rig.Start();

        rig.Pipeline.TryEnqueue(new Item([]) { Removal = new TenantRemoval(Platforms.Slack, "T1", "uninstalled") });
        await rig.UntilAsync(() => rig.Handler.Removed.Count == 1);

        Assert.Equal([(Platforms.Slack, "T1")], rig.Tenants.Removed);
        Assert.Empty(rig.Handler.Handled);
    }

    [Fact]
    public async Task A_full_queue_refuses_without_waiting_and_frees_a_slot_when_a_worker_takes_an_item()
    {
        await using var rig = Rig.Start(capacity: 1, workers: 1);
        rig.Handler.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(rig.Pipeline.TryEnqueue(new Item([])));
        await rig.UntilAsync(() => rig.Handler.Started == 1);
        Assert.True(rig.Pipeline.TryEnqueue(new Item([])));
        var refused = !rig.Pipeline.TryEnqueue(new Item([]));
        rig.Handler.Hold.SetResult();
        await rig.UntilAsync(() => rig.Handler.Handled.Count == 2);

        Assert.True(refused);
        Assert.Equal(0, rig.Pipeline.Count);
    }

    [Fact]
    public void The_reserve_keeps_a_pool_thread_ready_for_each_worker_that_may_block_one_and_never_lowers_it()
    {
        ThreadPoolReserve.Ensure(40);
        ThreadPool.GetMinThreads(out var ready, out _);
        ThreadPoolReserve.Ensure(1);
        ThreadPool.GetMinThreads(out var after, out _);

        Assert.True(ready >= 48, $"{ready} pool threads kept ready for 40 workers");
        Assert.Equal(ready, after);
    }

    [Fact]
    public async Task The_first_answer_is_the_reply_when_ready_in_time_and_the_stand_in_once_the_budget_ran_out()
    {
        var time = new FakeTimeProvider();
        var sent = new List<string>();
        var inTime = new FirstAnswer(() => Add(sent, "stand-in 1"), TimeSpan.FromSeconds(2), time.GetTimestamp(), time);
        var late = new FirstAnswer(() => Add(sent, "stand-in 2"), TimeSpan.FromSeconds(2), time.GetTimestamp(), time);

        var first = await inTime.TrySendReplyAsync(() => Add(sent, "reply 1"));
        time.Advance(TimeSpan.FromSeconds(2));
        await late.StandInSent.WaitAsync(Wait);
        var second = await late.TrySendReplyAsync(() => Add(sent, "reply 2"));

        Assert.Equal((AnswerOutcome.SentWithReply, AnswerOutcome.AlreadyAnswered), (first, second));
        Assert.Equal(["reply 1", "stand-in 2"], sent);
    }

    private static Task<bool> Add(List<string> sent, string what)
    {
        lock (sent)
        {
            sent.Add(what);
        }

        return Task.FromResult(true);
    }

    private sealed record Item(IReadOnlyList<string> DedupeKeys) : IInboundItem
    {
        public TimeSpan DedupeFor => TimeSpan.FromMinutes(15);

        public FirstAnswer? Answer { get; init; }

        /// <summary>The managed thread the handler started on.</summary>
        public int? RanOnThread { get; set; }

        public TenantRemoval? Removal { get; init; }
    }

    private sealed class Handler : IInboundHandler<Item>
    {
        private int started;

        public List<Item> Handled { get; } = [];

        public List<Item> Repeats { get; } = [];

        public List<string> Removed { get; } = [];

        public TaskCompletionSource? Hold { get; set; }

        public int Started => Volatile.Read(ref started);

        public async Task HandleAsync(Item item, CancellationToken cancellationToken)
        {
            item.RanOnThread = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref started);
            if (Hold is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            lock (Handled)
            {
                Handled.Add(item);
            }
        }

        public Task OnRepeatedAsync(Item item)
        {
            lock (Repeats)
            {
                Repeats.Add(item);
            }

            return Task.CompletedTask;
        }

        public void OnTenantRemoved(string workspace)
        {
            lock (Removed)
            {
                Removed.Add(workspace);
            }
        }
    }

    private sealed class Tenants : ITenantDataStore
    {
        public List<(string, string)> Removed { get; } = [];

        public int RemoveWorkspace(string platform, string workspace)
        {
            Removed.Add((platform, workspace));
            return 1;
        }
    }

    /// <summary>A delivery log in memory: durable for as long as the test holds it, like a file across two processes.</summary>
    private sealed class MemoryDeliveryLog : IDeliveryLog
    {
        private readonly Dictionary<string, DateTimeOffset> keys = [];
        private int waiting;

        public SemaphoreSlim? Gate { get; init; }

        public bool Fail { get; init; }

        public int Commits { get; private set; }

        public int Waiting => Volatile.Read(ref waiting);

        public bool TryRecord(string key, DateTimeOffset now, DateTimeOffset expiresAt) => TryRecordAll([new DeliveryKey(key, expiresAt)], now)[0];

        public IReadOnlyList<bool> TryRecordAll(IReadOnlyList<DeliveryKey> batch, DateTimeOffset now)
        {
            Interlocked.Increment(ref waiting);
            Gate?.Wait();
            if (Fail)
            {
                throw new IOException("the disk is full");
            }

            lock (keys)
            {
                Commits++;
                return [.. batch.Select(k => keys.TryGetValue(k.Key, out var until) && until > now ? false : (keys[k.Key] = k.ExpiresAt) == k.ExpiresAt)];
            }
        }

        public int Purge(DateTimeOffset now) => 0;
    }

    private static int RunOnOwnThread(Action work)
    {
        var id = 0;
        var thread = new Thread(() =>
        {
            id = Environment.CurrentManagedThreadId;
            work();
        });
        thread.Start();
        thread.Join();
        return id;
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly ServiceProvider services;

        private Rig(ServiceProvider services)
        {
            this.services = services;
        }

        public InboundPipeline<Item> Pipeline => services.GetRequiredService<InboundPipeline<Item>>();

        public Handler Handler => services.GetRequiredService<Handler>();

        public Tenants Tenants => services.GetRequiredService<Tenants>();

        public static Rig Start(int capacity = 8, int workers = 1, MemoryDeliveryLog? log = null)
        {
            var collection = new ServiceCollection();
            collection.AddLogging();
            collection.AddSingleton(TimeProvider.System);
            collection.AddSingleton<IDeliveryLog>(log ?? new MemoryDeliveryLog());
            collection.AddSingleton<Tenants>();
            collection.AddSingleton<ITenantDataStore>(sp => sp.GetRequiredService<Tenants>());
            collection.AddInboundPipeline<Item, Handler>(_ => new InboundPipelineOptions("Test", capacity, workers));
            return new Rig(collection.BuildServiceProvider());
        }

        public static async Task EventuallyAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("the condition did not hold in time");
                }

                await Task.Delay(10);
            }
        }

        public Task UntilAsync(Func<bool> condition) => EventuallyAsync(condition);

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
