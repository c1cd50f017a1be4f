using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Ports;

/// <summary>
/// Which groups of its platform this process serves, for work nobody asked for (the scheduler's posts). An adapter
/// that splits its platform over processes registers one: Discord serves the servers of its own shards, the only
/// ones whose events it receives. A platform with none registered is served by every process, and the durable claim
/// in the shared store decides which one posts.
/// </summary>
public interface IGroupOwnership
{
    /// <summary>The platform whose groups this answers for (see <see cref="Platforms"/>).</summary>
    string Platform { get; }

    /// <summary>True when this process should run <paramref name="group"/>'s scheduled work.</summary>
    bool Serves(GroupAddress group);
}
