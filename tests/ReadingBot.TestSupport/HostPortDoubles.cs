using ReadingBot.Core.Groups;
using ReadingBot.Core.Web;

namespace ReadingBot.TestSupport;

/// <summary>
/// Stands in for the host's signed links (Host/Web implements <see cref="IDashboardLinks"/>), which the harness
/// cannot reference: links of the same shape, unsigned. Tests of the real links run in Host.Tests/Web.
/// </summary>
public sealed class UnsignedDashboardLinks(TimeProvider time) : IDashboardLinks
{
    private const string BaseUrl = "http://127.0.0.1:5080";

    public DashboardLink MemberLink(GroupId group, string memberId)
    {
        var expires = time.GetUtcNow().AddHours(24);
        return new DashboardLink($"{BaseUrl}/g/{Uri.EscapeDataString(group.Value)}.{Uri.EscapeDataString(memberId)}/", expires);
    }

    public string PublicLink(Group group) => $"{BaseUrl}/p/{Uri.EscapeDataString(group.Id.Value)}/";

    public FeedLinks Feeds(Group group)
    {
        var root = $"{BaseUrl}/f/{Uri.EscapeDataString(group.Id.Value)}/";
        return new FeedLinks(root + "feed.atom", root + "calendar.ics", root + "library.json");
    }
}

/// <summary>Stands in for the host's reader of its own feed links: without the host's signer no link is the bot's own.</summary>
public sealed class NoOwnFeedLinks : IOwnFeedLinks
{
    public OwnFeedLink? Resolve(string url) => null;
}

