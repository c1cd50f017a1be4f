using ReadingBot.Core.Groups;

namespace ReadingBot.Core.Web;

/// <summary>A link that points at this bot's own <c>library.json</c> feed: the group it is for, or null when its signature does not check out or it was revoked.</summary>
public sealed record OwnFeedLink(GroupId? Group);

/// <summary>
/// Recognises this bot's own signed feed links, so that <c>/paper import</c> reads them from the store instead of
/// fetching them over HTTP (a bot served at 127.0.0.1 would refuse its own address as private). The host implements
/// it: it holds the signing secret and knows its public address.
/// </summary>
public interface IOwnFeedLinks
{
    /// <summary>
    /// Null when <paramref name="url"/> is not a <c>library.json</c> feed link of this bot (another site, another
    /// path); otherwise the link, with the group it grants after checking its signature as the web endpoint does.
    /// </summary>
    OwnFeedLink? Resolve(string url);
}
