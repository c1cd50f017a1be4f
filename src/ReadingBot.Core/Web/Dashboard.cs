using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Web;

/// <summary><c>/dashboard</c>: a private, expiring link to the group's web page.</summary>
public sealed record ShowDashboard : Command;

/// <summary><c>/dashboard feeds [reset]</c>: the group's feed links; <c>reset</c> (moderators) revokes the old ones.</summary>
public sealed record DashboardFeeds(bool Reset) : Command;

/// <summary>A signed link and when it stops working.</summary>
public sealed record DashboardLink(string Url, DateTimeOffset ExpiresAt);

/// <summary>The group's feed addresses, all carrying the same revocable feed token.</summary>
public sealed record FeedLinks(string Atom, string Calendar, string Json);

/// <summary>
/// Makes the web page's links. The host implements it: it holds the server secret and knows its public address,
/// so Core never sees the key.
/// </summary>
public interface IDashboardLinks
{
    /// <summary>A link that shows <paramref name="group"/>'s page to <paramref name="memberId"/> until it expires.</summary>
    DashboardLink MemberLink(GroupId group, string memberId);

    /// <summary>The stable link of the group's public read-only page (it answers only while <c>public-page</c> is on).</summary>
    string PublicLink(GroupId group);

    /// <summary>The feed links for the group's current feed generation.</summary>
    FeedLinks Feeds(Group group);
}

/// <summary>The group's feed generation: raising it revokes every feed link made before.</summary>
public static class FeedGeneration
{
    /// <summary>Kept in the group's settings map but not in the catalogue, so <c>/settings</c> neither shows nor changes it.</summary>
    public const string Key = "feed-generation";

    public static int Of(Group group) =>
        group.Settings.TryGetValue(Key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

/// <summary>Answers <c>/dashboard</c> and <c>/dashboard feeds</c>.</summary>
public sealed class DashboardService(IDashboardLinks links, IGroupStore groups)
{
    public Reply Show(Invocation invocation)
    {
        var link = links.MemberLink(invocation.GroupId, invocation.Member.UserId);
        var zone = TimeZones.FindOrUtc(invocation.Group.Setting(SettingCatalogue.TimeZone));
        var until = TimeZoneInfo.ConvertTime(link.ExpiresAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var lines = new List<string> { $"Your private link to the group's page (works until {until}, {zone.Id}; do not share it): {link.Url}" };
        if (invocation.Group.Setting(SettingCatalogue.PublicPage) == "on")
        {
            lines.Add($"The group's public page: {links.PublicLink(invocation.GroupId)}");
        }
        else if (invocation.IsModerator)
        {
            lines.Add("Make a public read-only page with /settings public-page on.");
        }

        return new TextReply(string.Join('\n', lines)) { Ephemeral = true };
    }

    public Reply Feeds(Invocation invocation, bool reset)
    {
        var group = groups.Find(invocation.GroupId) ?? invocation.Group;
        if (reset)
        {
            if (!invocation.IsModerator)
            {
                return new ErrorReply("Only moderators can reset the feed links. Ask a moderator of this group.");
            }

            var next = (FeedGeneration.Of(group) + 1).ToString(CultureInfo.InvariantCulture);
            var settings = new Dictionary<string, string>(group.Settings, StringComparer.Ordinal) { [FeedGeneration.Key] = next };
            group = group with { Settings = settings };
            groups.Save(group);
        }

        var feeds = links.Feeds(group);
        var head = reset ? "The old feed links no longer work. The new ones:" : "The group's feeds (anyone with these links can read them; a moderator revokes them with /dashboard feeds reset):";
        return new TextReply($"{head}\nAtom: {feeds.Atom}\nCalendar: {feeds.Calendar}\nJSON: {feeds.Json}") { Ephemeral = true };
    }
}
