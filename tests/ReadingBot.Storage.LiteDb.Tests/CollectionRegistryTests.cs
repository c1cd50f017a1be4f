using LiteDB;
using ReadingBot.Core.Groups;
using ReadingBot.TestSupport;

namespace ReadingBot.Storage.LiteDb.Tests;

public sealed class CollectionRegistryTests
{
    [Fact]
    public async Task Every_collection_a_busy_group_writes_is_declared()
    {
        using var bot = TestBot.Create();
        foreach (var line in new[]
        {
            "/paper add 1706.03762 Attention Is All You Need", "/paper suggest #1 a classic", "/paper vote #1", "/week pick #1",
            "/discuss a note", "/wayr post #1 reading a note", "/read #1 pass1", "/like #1", "/roadmap show", "/roadmap next",
            "/streak", "/leaderboard", "/settings timezone Europe/Berlin",
        })
        {
            await bot.SendAsync(line, moderator: true);
        }

        var declared = bot.Database.Registry.All.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var database = bot.Database.Database;
        var written = database.GetCollectionNames().Where(n => !n.StartsWith('$') && database.GetCollection(n).Count() > 0).ToList();

        Assert.True(written.Count >= 10, "the commands wrote to only " + string.Join(", ", written));
        Assert.All(written, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void A_new_database_holds_every_declared_collection_before_the_first_command()
    {
        // LiteDB 5 fails (and then closes) the engine when a collection is read while another transaction creates it
        // (litedb-org/LiteDB#2792): two first commands of a fresh bot did exactly that on "groups".
        var directory = Directory.CreateTempSubdirectory("readingbot-collections-");
        try
        {
            using (var database = ReadingBotDatabase.OpenFile(directory.FullName))
            {
                var names = database.Database.GetCollectionNames().ToHashSet(StringComparer.Ordinal);
                Assert.All(database.Registry.All, c => Assert.Contains(c.Name, names));
            }

            // A second start finds them and creates nothing twice.
            using (var again = ReadingBotDatabase.OpenFile(directory.FullName))
            {
                Assert.Equal(again.Registry.All.Count, again.Database.GetCollectionNames().Count(n => again.Registry.All.Any(c => c.Name == n)));
                Assert.All(again.Registry.All, c => Assert.Equal(0, again.Database.GetCollection(c.Name).Count()));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Removing_a_workspace_empties_every_group_owned_collection_and_keeps_other_groups()
    {
        using var database = ReadingBotDatabase.OpenMemory();
        var owned = database.Registry.GroupOwned;
        foreach (var name in owned)
        {
            database.Database.GetCollection(name).Insert(new BsonDocument { ["_id"] = "gone", ["group"] = "slack:T1:C1", ["groupPaper"] = "slack:T1:C1|p" });
            database.Database.GetCollection(name).Insert(new BsonDocument { ["_id"] = "kept", ["group"] = "slack:T2", ["groupPaper"] = "slack:T2|p" });
        }

        new LiteTenantDataStore(database).RemoveWorkspace("slack", "T1");

        Assert.All(owned, name => Assert.Equal(["kept"], database.Database.GetCollection(name).FindAll().Select(d => d["_id"].AsString)));
    }

    [Fact]
    public void A_collection_declared_twice_is_refused()
    {
        var twice = new[] { new CollectionDeclaration("a", GroupOwned: true), new CollectionDeclaration("a", GroupOwned: false) };

        Assert.Throws<InvalidOperationException>(() => new CollectionRegistry(twice));
    }

    [Fact]
    public void Stores_declare_collections_in_one_place_with_no_module_initializer()
    {
        var src = Path.Combine(FindRoot(), "src", "ReadingBot.Storage.LiteDb");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("ModuleInitializer", StringComparison.Ordinal) || text.Contains("CA2255", StringComparison.Ordinal)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(offenders);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ReadingBot.sln not found above the test's folder");
    }
}
