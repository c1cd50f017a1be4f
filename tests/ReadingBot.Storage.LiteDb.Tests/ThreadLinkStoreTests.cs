using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class ThreadLinkStoreTests : StoreTestBase
{
    [Fact]
    public void Thread_links_are_found_only_in_their_group()
    {
        var threads = new LiteThreadLinkStore(Db);
        threads.Save(new ThreadLink(new GroupId("discord:1"), "t1", ThreadPurpose.Wayr, "2026-W48", At));

        Assert.Equal(ThreadPurpose.Wayr, threads.Find(new GroupId("discord:1"), "t1")!.Purpose);
        Assert.Null(threads.Find(new GroupId("discord:2"), "t1"));
    }
}
