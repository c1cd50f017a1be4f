using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Settings;
using static ReadingBot.Host.Web.Html;

namespace ReadingBot.Host.Web;

/// <summary>
/// What every part of a page needs to link: the viewer's base path and the group's members, read once per request.
/// On the public page a member who left the leaderboard shows as a plain name, without a link to their page.
/// </summary>
public sealed class PageContext(WebViewer viewer, IReadOnlyList<Member> members)
{
    private readonly Dictionary<string, Member> byId = members.ToDictionary(m => m.UserId, StringComparer.Ordinal);

    public WebViewer Viewer => viewer;

    /// <summary>The members the viewer may open, by name.</summary>
    public IEnumerable<Member> Visible =>
        members.Where(Listed).OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase);

    public string DisplayName(string userId) => byId.TryGetValue(userId, out var m) ? m.DisplayName : userId;

    /// <summary>The member's name, linked to their page when the viewer may open it; encoded.</summary>
    public string Name(string userId) =>
        byId.TryGetValue(userId, out var m) && Listed(m) ? SiteLink(m.DisplayName, MemberPath(userId)) : E(DisplayName(userId));

    public string MemberPath(string userId) => $"{viewer.BasePath}/members/{Uri.EscapeDataString(userId)}";

    public string PaperPath(int number) => $"{viewer.BasePath}/papers/{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The paper's label and title linked to its page here; encoded.</summary>
    public string Paper(LibraryItem item) => SiteLink($"{item.Label} {item.Title}", PaperPath(item.Entry.Number));

    private bool Listed(Member m) => !viewer.IsPublic || m.Setting(SettingCatalogue.Leaderboard) != "off";
}
