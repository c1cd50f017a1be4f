using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Exports;

/// <summary>Everything stored for one group, collection by collection, as JSON arrays: the "everything" of the JSON export.</summary>
public interface IGroupDataArchive
{
    IReadOnlyDictionary<string, string> Collections(GroupId group);
}
