using System.Globalization;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Web;

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

    /// <summary>
    /// The link of the group's public read-only page for its current public generation (it answers only while
    /// <c>public-page</c> is on).
    /// </summary>
    string PublicLink(Group group);

    /// <summary>The feed links for the group's current feed generation.</summary>
    FeedLinks Feeds(Group group);
}

/// <summary>
/// A generation of the group's long-lived links (feeds, public page): a link carries the generation it was made in, and
/// raising the generation revokes every link made before. Kept in the group's settings map but not in the catalogue,
/// so <c>/settings</c> neither shows nor changes it.
/// </summary>
public sealed record LinkGeneration(string Key)
{
    /// <summary>The feed links' generation.</summary>
    public static readonly LinkGeneration Feed = new("feed-generation");

    /// <summary>The public page link's generation.</summary>
    public static readonly LinkGeneration PublicPage = new("public-generation");

    public int Of(Group group) =>
        group.Settings.TryGetValue(Key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The group with its generation one higher.</summary>
    public Group Raise(Group group) => group with
    {
        Settings = new Dictionary<string, string>(group.Settings, StringComparer.Ordinal) { [Key] = (Of(group) + 1).ToString(CultureInfo.InvariantCulture) },
    };
}

/// <summary>Answers <c>/dashboard</c>, <c>/dashboard feeds</c> and <c>/dashboard public</c>.</summary>
public sealed class DashboardService(IDashboardLinks links, IGroupStore groups)
{
    public Reply Show(Invocation invocation)
    {
        var link = links.MemberLink(invocation.GroupId, invocation.Member.UserId);
        var until = invocation.Group.MomentOf(link.ExpiresAt, withRelative: true);
        var lines = new List<string> { $"Your private link to the group's page (works until {until}; do not share it): {link.Url}" };
        if (invocation.Group.Setting(SettingCatalogue.PublicPage) == "on")
        {
            lines.Add($"The group's public page: {links.PublicLink(invocation.Group)}");
        }
        else if (invocation.IsModerator)
        {
            lines.Add("Make a public read-only page with /settings public-page on.");
        }

        return new TextReply(string.Join('\n', lines)) { Ephemeral = true };
    }

    public Reply Feeds(Invocation invocation, bool reset)
    {
        if (Reset(invocation, reset, LinkGeneration.Feed, "the feed links") is { } refused)
        {
            return refused;
        }

        var feeds = links.Feeds(groups.Find(invocation.GroupId) ?? invocation.Group);
        var head = reset ? "The old feed links no longer work. The new ones:" : "The group's feeds (anyone with these links can read them; a moderator revokes them with /dashboard feeds reset):";
        return new TextReply($"{head}\nAtom: {feeds.Atom}\nCalendar: {feeds.Calendar}\nJSON: {feeds.Json}") { Ephemeral = true };
    }

    public Reply Public(Invocation invocation, bool reset)
    {
        if (Reset(invocation, reset, LinkGeneration.PublicPage, "the public page link") is { } refused)
        {
            return refused;
        }

        var group = groups.Find(invocation.GroupId) ?? invocation.Group;
        var link = links.PublicLink(group);
        var on = group.Setting(SettingCatalogue.PublicPage) == "on";
        var text = (reset, on) switch
        {
            (true, true) => $"The old public link no longer works. The new one: {link}",
            (true, false) => $"The old public link is revoked. The page is off; /settings public-page on opens it at: {link}",
            (false, true) => $"The group's public page (anyone with the link can read it; a moderator revokes it with /dashboard public reset): {link}",
            _ => invocation.IsModerator
                ? "The group's page is not public. Make a public read-only page with /settings public-page on."
                : "The group's page is not public. A moderator can make it public with /settings public-page on.",
        };
        return new TextReply(text) { Ephemeral = true };
    }

    /// <summary>Raises a link generation for a moderator; an error for anyone else; nothing without <paramref name="reset"/>.</summary>
    private ErrorReply? Reset(Invocation invocation, bool reset, LinkGeneration generation, string what)
    {
        if (!reset)
        {
            return null;
        }

        if (!invocation.IsModerator)
        {
            return new ErrorReply($"Only moderators can reset {what}. Ask a moderator of this group.");
        }

        groups.Save(generation.Raise(groups.Find(invocation.GroupId) ?? invocation.Group));
        return null;
    }
}
