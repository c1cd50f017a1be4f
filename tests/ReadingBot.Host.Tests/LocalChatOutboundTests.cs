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
}
