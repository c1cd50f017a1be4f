using System.Globalization;
using System.Text;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Web;
using static ReadingBot.Host.Web.Html;

namespace ReadingBot.Host.Web;

/// <summary>Who is looking (a member, or a visitor of the public page) at which group; every query below is keyed by this group.</summary>
public sealed record WebViewer(Invocation Invocation, string BasePath, bool IsPublic)
{
    public GroupId Group => Invocation.GroupId;
}

/// <summary>
/// The group's pages, rendered on the server from the same Core services the chat commands use. A link is checked
/// first; anything that does not check out is a plain 404.
/// </summary>
public sealed class WebPages(
    LinkSigner signer,
    IGroupStore groups,
    IMemberStore members,
    GroupPageQuery pages,
    StreakService streakService,
    ReadingBot.Core.Progress.ProgressService progressService,
    IWayrStore wayr,
    IDigestStore digests,
    ILibraryStore entries,
    LibraryService library,
    PaperSearchIndex index,
    ExportService export,
    ReadingCharts charts,
    TimeProvider time)
{
    public const int LibraryPageSize = 50;

    /// <summary>The home page shows the top of the queue; a group with hundreds of open suggestions keeps a light page.</summary>
    public const int QueueOnHome = 20;

    public WebViewer? Resolve(WebLinkKind kind, string token)
    {
        if (signer.Verify(token, kind) is not { } link || groups.Find(link.Group) is not { } group)
        {
            return null;
        }

        Member viewer;
        if (kind == WebLinkKind.Member)
        {
            if (members.Find(group.Id, link.Subject) is not { } member)
            {
                return null;
            }

            viewer = member;
        }
        else if (kind == WebLinkKind.Public && group.Setting(SettingCatalogue.PublicPage) == "on" && link.Subject == DashboardLinks.Subject(kind, group))
        {
            viewer = new Member { Group = group.Id, UserId = "", DisplayName = "visitor", JoinedAt = group.CreatedAt };
        }
        else
        {
            return null;
        }

        var invocation = new Invocation(new CommandContext(group.Address, new Actor(viewer.UserId, viewer.DisplayName, false)), group, viewer, IsModerator: false);
        return new WebViewer(invocation, $"/{(kind == WebLinkKind.Member ? "g" : "p")}/{token}", kind == WebLinkKind.Public);
    }

    public IResult Home(WebViewer v)
    {
        var c = Context(v);
        var home = pages.Home(v.Invocation.Group, QueueOnHome);
        return Page(v, home.Name, GroupPageHtml.Home(home, c, v.Invocation.Group, ReadingChart(v)));
    }

    public IResult Wayr(WebViewer v, string? weekText)
    {
        var zone = v.Invocation.Group.Zone();
        var current = WeekKey.Of(time.GetUtcNow(), zone);
        var week = current;
        if (weekText is not null && !WeekKey.TryParse(weekText, out week))
        {
            return WebResult.NotFound();
        }

        // The calendar week is "this week" only while its WAYR is open: once it closes it is listed as closed.
        var closed = wayr.ClosedWeeks(v.Group, 52);
        var currentClosed = closed.Any(w => w.Week == current);
        var weeks = closed.Select(w => (w.Week, Label: $"{w.Week} (#{w.Number.ToString(CultureInfo.InvariantCulture)}, closed)")).ToList();
        if (!currentClosed)
        {
            weeks.Add((current, $"{current} (this week)"));
        }

        weeks = weeks.OrderByDescending(w => w.Week).ToList();
        var number = wayr.FindWeek(v.Group, week)?.Number;
        var state = week == current && !currentClosed ? "this week, open" : week > current ? "not open yet" : "closed";
        var heading = number is null ? $"What Are You Reading — {week}" : $"What Are You Reading #{number.Value.ToString(CultureInfo.InvariantCulture)} — {week}";
        var body = $"<p class=\"muted\">{E(week.ToString())}: {E(state)}.</p>" + GroupPageHtml.Wayr(
            Context(v), week, weeks, wayr.Posts(v.Group, week), key => library.FindByKey(v.Group, key),
            n => entries.FindByNumber(v.Group, n) is { } e ? library.Item(e) : null, digests.Find(v.Group, week));
        return Page(v, heading, body);
    }

    public IResult Library(WebViewer v, string? query, string? pageText)
    {
        var body = new StringBuilder();
        body.Append($"<form method=\"get\" action=\"{E(v.BasePath)}/library\" role=\"search\"><input type=\"search\" name=\"q\" value=\"{E(query)}\" aria-label=\"Search the library\"> <button type=\"submit\">Search</button></form>");
        List<LibraryItem> items;
        string heading;
        if (!string.IsNullOrWhiteSpace(query))
        {
            items = index.Search(v.Group, query, LibraryPageSize)
                .Select(h => entries.FindByNumber(v.Group, h.Number))
                .OfType<LibraryEntry>()
                .Select(library.Item)
                .ToList();
            heading = $"Search: {query}";
        }
        else
        {
            var page = int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
            var total = entries.Count(v.Group);
            items = entries.List(v.Group, (page - 1) * LibraryPageSize, LibraryPageSize).Select(library.Item).ToList();
            heading = $"Library ({total} paper{(total == 1 ? "" : "s")})";
            if (page * LibraryPageSize < total)
            {
                body.Append(CultureInfo.InvariantCulture, $"<p>{SiteLink("Next page", $"{v.BasePath}/library?page={page + 1}")}</p>");
            }
        }

        body.Append("<section class=\"card\"><h2>").Append(E(heading)).Append("</h2>")
            .Append(List(items.Select(i => SiteLink(PaperCards.Line(i), PaperPath(v, i.Entry.Number))), string.IsNullOrWhiteSpace(query) ? "The library is empty." : "No paper matches."))
            .Append("</section>");
        return Page(v, "Library", body.ToString());
    }

    public IResult Paper(WebViewer v, int number)
    {
        if (entries.FindByNumber(v.Group, number) is not { } entry)
        {
            return WebResult.NotFound();
        }

        var item = library.Item(entry);
        return Page(v, $"{item.Label} {item.Title}", GroupPageHtml.Paper(pages.Paper(v.Invocation.Group, item), Context(v), v.Invocation.Group));
    }

    public IResult Member(WebViewer v, string memberId)
    {
        if (VisibleMembers(v).FirstOrDefault(m => m.UserId == memberId) is not { } member)
        {
            return WebResult.NotFound();
        }

        var body = new StringBuilder(Html.Reply(streakService.ShowStreak(v.Invocation, member.UserId, picture: false)));
        body.Append("<section class=\"card\"><h2>Weekly streak</h2>").Append(Heatmap(v, member)).Append("</section>");
        body.Append(Html.Reply(progressService.ShowProgress(v.Invocation, member.UserId), n => PaperPath(v, n)));
        return Page(v, member.DisplayName, body.ToString());
    }

    /// <summary>The feeds: the export service's own Atom, iCalendar and JSON writers, behind the revocable feed token.</summary>
    public IResult Feed(string token, string format)
    {
        if (FeedTokens.GroupOf(signer, groups, token) is not { } group)
        {
            return WebResult.NotFound();
        }

        var reader = new Member { Group = group.Id, UserId = "", DisplayName = "feed", JoinedAt = group.CreatedAt };
        var invocation = new Invocation(new CommandContext(group.Address, new Actor("", "feed", false)), group, reader, IsModerator: false);
        return export.Export(invocation, format) is FileReply file
            ? new WebResult(200, file.ContentType + "; charset=utf-8", file.Content)
            : WebResult.NotFound();
    }

    /// <summary>The group's papers read per week as SVG bars with a four-week moving average, oldest first (see <see cref="ReadingCharts.Reading"/>).</summary>
    public string ReadingChart(WebViewer v) =>
        SvgCharts.WeeklyBars("Papers read per week", charts.Reading(v.Invocation.Group).Weeks, "read", "papers read", averageWeeks: 4);

    /// <summary>The member's weeks as a contribution-graph row, oldest first, coloured by the ledger.</summary>
    public string Heatmap(WebViewer v, Member member) =>
        SvgCharts.Heatmap(charts.Heatmap(v.Invocation.Group, member.UserId, member.DisplayName).Weeks);

    private IEnumerable<Member> VisibleMembers(WebViewer v) => Context(v).Visible;

    private static string PaperPath(WebViewer v, int number) => $"{v.BasePath}/papers/{number.ToString(CultureInfo.InvariantCulture)}";

    private PageContext Context(WebViewer v) => new(v, members.List(v.Group));

    private static WebResult Page(WebViewer v, string heading, string body)
    {
        var nav = SiteLink("Home", v.BasePath + "/") + SiteLink("WAYR", v.BasePath + "/wayr") + SiteLink("Library", v.BasePath + "/library");
        return WebResult.Page(Document(heading, GroupNames.Of(v.Invocation.Group), nav, body));
    }
}
