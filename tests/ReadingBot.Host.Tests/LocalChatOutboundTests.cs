using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Host.Local;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Tests;

public sealed class LocalChatOutboundTests
{
    [Fact]
    public async Task Thread_ids_keep_counting_across_restarts()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var state = new LiteAdapterStateStore(db);
        var output = new StringWriter();
        var terminal = new LocalTerminal(TextReader.Null, output, interactive: false);
        var files = new LocalFiles(Path.GetTempPath());
        var post = new OutboundPost(new GroupAddress(Platforms.Local, "local"), null, new TextReply("Paper of the week"), ThreadTitle: "2026-W48: a paper");

        var first = await new LocalChatOutbound(terminal, files, state).PostAsync(post, CancellationToken.None);
        var afterRestart = await new LocalChatOutbound(terminal, files, state).PostAsync(post, CancellationToken.None);

        Assert.Equal(("t1", "t2"), (first.ThreadId, afterRestart.ThreadId));
        Assert.Contains("[bot in #home] Paper of the week", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("reply in it with /thread t2 <text>", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resent_scheduled_post_is_printed_once_across_a_restart_and_returns_the_first_message()
    {
        using var db = ReadingBotDatabase.OpenMemory();
        var state = new LiteAdapterStateStore(db);
        var output = new StringWriter();
        var terminal = new LocalTerminal(TextReader.Null, output, interactive: false);
        var files = new LocalFiles(Path.GetTempPath());
        var post = new OutboundPost(new GroupAddress(Platforms.Local, "local"), null, new TextReply("Paper of the week"), ThreadTitle: "2026-W48: a paper") { Key = "local:local|2026-W48|announce" };

        var first = await new LocalChatOutbound(terminal, files, state).PostAsync(post, CancellationToken.None);
        var resent = await new LocalChatOutbound(terminal, files, state).PostAsync(post with { EarlierAttemptAt = DateTimeOffset.UnixEpoch }, CancellationToken.None);
        var other = await new LocalChatOutbound(terminal, files, state).PostAsync(post with { Key = "local:local|2026-W49|announce" }, CancellationToken.None);

        Assert.Equal(first, resent);
        Assert.NotEqual(first.MessageId, other.MessageId);
        Assert.Equal(2, output.ToString().Split("[bot in #home] Paper of the week").Length - 1);
    }

    private static readonly ReadingBot.Core.Settings.SettingsValidator<ReadingBot.Core.Weeks.SchedulerOptions> Scheduler = new("Scheduler", new ReadingBot.Core.Weeks.SchedulerOptionsAnnotations());

    [Theory]
    [InlineData(0.5)]
    [InlineData(5)]
    public void A_claim_lease_outside_one_to_four_minutes_is_refused_at_start(double minutes)
    {
        var result = Scheduler.Validate(null, new ReadingBot.Core.Weeks.SchedulerOptions { ClaimLeaseMinutes = minutes });

        Assert.True(result.Failed);
        Assert.Contains("Scheduler:ClaimLeaseMinutes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("READINGBOT_Scheduler__ClaimLeaseMinutes", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(Scheduler.Validate(null, new ReadingBot.Core.Weeks.SchedulerOptions()).Succeeded);
    }
}
