using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Papers;

/// <summary>Stores the shared paper records (metadata cache).</summary>
public interface IPaperStore
{
    Paper? Find(string key);

    /// <summary>The stored papers among <paramref name="keys"/>, by key, in one read (a library page's papers); keys without a record are absent.</summary>
    IReadOnlyDictionary<string, Paper> FindMany(IReadOnlyCollection<string> keys);

    void Save(Paper paper);

    /// <summary>Papers whose metadata is pending and due for another attempt at <paramref name="now"/>.</summary>
    IReadOnlyList<Paper> FindDue(DateTimeOffset now, int limit);
}

/// <summary>Stores each group's library: entries with group-local numbers.</summary>
public interface ILibraryStore
{
    LibraryEntry? FindByNumber(GroupId group, int number);

    LibraryEntry? FindByPaper(GroupId group, string paperKey);

    IReadOnlyList<LibraryEntry> List(GroupId group, int skip, int take);

    int Count(GroupId group);

    /// <summary>
    /// In one transaction: stores <paramref name="paper"/> if no record has its key yet, gives the group's next
    /// number to a new entry and advances the group's counter. If the group already has the paper, returns its
    /// entry with <c>Created = false</c> and changes nothing.
    /// </summary>
    (LibraryEntry Entry, bool Created) Add(GroupId group, Paper paper, string addedBy, string? givenTitle, string? version, DateTimeOffset at);
}
