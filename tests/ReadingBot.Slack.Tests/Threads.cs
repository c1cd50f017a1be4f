using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Opens a bot thread through the real outbound port and links it as a discussion thread.</summary>
public static class Threads
{
    public static readonly GroupAddress Group = new(Platforms.Slack, SlackEmulator.DefaultTeam);

    public static async Task<(PostedMessage Posted, string ParentTs)> OpenDiscussionAsync(SlackTestBot bot, string channel = SlackEmulator.GeneralChannel)
    {
        var outbound = bot.Get<SlackOutbound>();
        var posted = await outbound.PostAsync(new OutboundPost(Group, channel, new TextReply("This week: Attention Is All You Need"), ThreadTitle: "Discussion: week 48"), CancellationToken.None);
        bot.Get<GroupDirectory>().EnsureGroup(Group);
        bot.Get<IThreadLinkStore>().Save(new ThreadLink(Group.Id, posted.ThreadId!, ThreadPurpose.Discussion, "week 48", DateTimeOffset.UnixEpoch));
        return (posted, posted.MessageId);
    }
}
