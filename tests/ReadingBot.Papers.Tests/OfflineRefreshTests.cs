using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

public sealed class OfflineRefreshTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private static async Task<Paper> WaitForAsync(TestBot bot, string key, Func<Paper, bool> condition, TimeSpan? advanceEachTime = null)
    {
        for (var i = 0; i < 200; i++)
        {
            if (advanceEachTime is { } step)
            {
                // The hosted service creates its timer on its own task: keep the fake clock moving until it has ticked.
                bot.Time.Advance(step);
            }

            if (bot.Get<IPaperStore>().Find(key) is { } p && condition(p))
            {
                return p;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{key} did not reach the expected state");
    }

    [Fact]
    public async Task A_paper_added_while_arxiv_is_down_is_stored_pending_and_filled_in_by_the_background_job()
    {
        emulator.Down = true;
        using var bot = PaperTesting.Bot(emulator, new() { ["Papers:Arxiv:MaxRetries"] = "0" });

        var added = PlainTextRenderer.Render(await bot.SendAsync("paper add 1512.03385"));
        Assert.Contains("Added #1", added, StringComparison.Ordinal);
        Assert.Contains("Metadata pending", added, StringComparison.Ordinal);
        // A starter-roadmap classic keeps its known title while the source is down.
        Assert.Contains("Deep Residual Learning for Image Recognition", added, StringComparison.Ordinal);
        Assert.Equal(MetadataState.Pending, bot.Get<IPaperStore>().Find("arxiv:1512.03385")!.State);

        emulator.Down = false;
        var job = bot.Services.GetServices<IHostedService>().OfType<PaperRefreshService>().Single();
        await job.StartAsync(CancellationToken.None);
        try
        {
            var paper = await WaitForAsync(bot, "arxiv:1512.03385", p => p.State == MetadataState.Resolved, TimeSpan.FromSeconds(61));

            Assert.StartsWith("A placeholder summary about residual networks", paper.Abstract, StringComparison.Ordinal);
            Assert.Contains("residual networks", await bot.TextAsync("paper show #1"), StringComparison.Ordinal);
            Assert.Contains("#1 Deep Residual", await bot.TextAsync("paper search residual image recognition"), StringComparison.Ordinal);
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Pending_papers_back_off_exponentially_while_the_source_stays_down()
    {
        emulator.Down = true;
        using var bot = PaperTesting.Bot(emulator, new() { ["Papers:Arxiv:MaxRetries"] = "0" });
        await bot.SendAsync("paper add 1409.1556");
        var refresher = bot.Get<PendingPaperRefresher>();
        var store = bot.Get<IPaperStore>();
        var first = store.Find("arxiv:1409.1556")!;
        Assert.Equal(bot.Time.GetUtcNow() + TimeSpan.FromMinutes(1), first.NextAttemptAt);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            bot.Time.SetUtcNow(store.Find("arxiv:1409.1556")!.NextAttemptAt!.Value);
            await refresher.RefreshDueAsync(20, CancellationToken.None);
            waits.Add(store.Find("arxiv:1409.1556")!.NextAttemptAt!.Value - bot.Time.GetUtcNow());
        }

        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(16)], waits);
        Assert.Equal(0, await refresher.RefreshDueAsync(20, CancellationToken.None));
        Assert.Equal(5, store.Find("arxiv:1409.1556")!.Attempts);
    }

    [Fact]
    public async Task The_background_job_asks_arxiv_once_for_all_due_papers()
    {
        emulator.Down = true;
        using var bot = PaperTesting.Bot(emulator, new() { ["Papers:Arxiv:MaxRetries"] = "0" });
        await bot.SendAsync("paper add 1706.03762");
        await bot.SendAsync("paper add 1406.2661");
        await bot.SendAsync("paper add hep-th/9901001");
        emulator.Down = false;
        var before = emulator.ArxivRequests.Count;

        bot.Time.Advance(TimeSpan.FromMinutes(2));
        var resolved = await bot.Get<PendingPaperRefresher>().RefreshDueAsync(20, CancellationToken.None);

        Assert.Equal(3, resolved);
        Assert.Equal(before + 1, emulator.ArxivRequests.Count);
    }

    [Fact]
    public async Task A_pending_id_that_arxiv_then_denies_becomes_not_found_and_stops_retrying()
    {
        emulator.Down = true;
        using var bot = PaperTesting.Bot(emulator, new() { ["Papers:Arxiv:MaxRetries"] = "0" });
        await bot.SendAsync("paper add 2312.99999", user: "alice");
        emulator.Down = false;

        bot.Time.Advance(TimeSpan.FromMinutes(2));
        await bot.Get<PendingPaperRefresher>().RefreshDueAsync(20, CancellationToken.None);

        Assert.Equal(MetadataState.NotFound, bot.Get<IPaperStore>().Find("arxiv:2312.99999")!.State);
        Assert.Contains("does not know this paper", await bot.TextAsync("paper show #1"), StringComparison.Ordinal);
        bot.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(bot.Get<IPaperStore>().FindDue(bot.Time.GetUtcNow(), 10));
    }
}
