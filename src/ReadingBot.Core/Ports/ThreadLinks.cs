using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Ports;

/// <summary>What a chat thread opened by the bot is for.</summary>
public enum ThreadPurpose
{
    /// <summary>The discussion of a week's paper: messages become discussion notes.</summary>
    Discussion,

    /// <summary>A week's "What Are You Reading" thread: messages become WAYR posts.</summary>
    Wayr,
}

/// <summary>Ties a platform thread id to what it collects, within one group.</summary>
public sealed record ThreadLink(GroupId Group, string ThreadId, ThreadPurpose Purpose, string Subject, DateTimeOffset CreatedAt);

/// <summary>Stores the threads the bot opened.</summary>
public interface IThreadLinkStore
{
    void Save(ThreadLink link);

    ThreadLink? Find(GroupId group, string threadId);
}
