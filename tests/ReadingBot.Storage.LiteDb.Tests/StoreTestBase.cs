using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Storage.LiteDb.Tests;

/// <summary>A fresh in-memory database per test with the stores most tests touch, a fixed UTC instant and a group maker.</summary>
public abstract class StoreTestBase : IDisposable
{
    protected static readonly DateTimeOffset At = new(2026, 11, 26, 10, 15, 30, 123, TimeSpan.Zero);

    protected StoreTestBase()
    {
        Db = ReadingBotDatabase.OpenMemory();
        GroupStore = new LiteGroupStore(Db);
        LibraryStore = new LiteLibraryStore(Db);
        PaperStore = new LitePaperStore(Db);
    }

    protected ReadingBotDatabase Db { get; }
    protected LiteGroupStore GroupStore { get; }
    protected LiteLibraryStore LibraryStore { get; }
    protected LitePaperStore PaperStore { get; }

    public void Dispose()
    {
        Db.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Group AddGroup(string workspace, string platform = Platforms.Discord) =>
        GroupStore.GetOrAdd(new GroupAddress(platform, workspace).Id, () => new Group
        {
            Id = new GroupAddress(platform, workspace).Id,
            Platform = platform,
            Workspace = workspace,
            CreatedAt = At,
            Settings = new Dictionary<string, string> { ["timezone"] = "Europe/Berlin", ["channel"] = "" },
        });

    protected static Paper Arxiv(string id) => Paper.Pending(PaperRefParser.Parse(id).Reference!);
}
