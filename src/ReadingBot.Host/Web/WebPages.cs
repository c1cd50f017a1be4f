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
    WeeklyPaperService weekly,
    WayrService wayrService,
    StreakService streakService,
    ReadingBot.Core.Progress.ProgressService progressService,
    IWayrStore wayr,
    IDigestStore digests,
    IProgressStore progress,
    IDiscussionStore discussions,
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
        var body = new StringBuilder();
        body.Append(Reply(weekly.Show(v.Invocation)));
        body.Append(Reply(weekly.Queue(v.Invocation, QueueOnHome), n => PaperPath(v, n)));
        body.Append(Reply(streakService.Leaderboard(v.Invocation)));
        body.Append("<section><h2>Papers read per week</h2>").Append(ReadingChart(v)).Append("</section>");
        body.Append("<section><h2>Members</h2>")
            .Append(List(VisibleMembers(v).Select(m => SiteLink(m.DisplayName, MemberPath(v, m.UserId))), "No members yet."))
            .Append("</section>");
        return Page(v, "Reading group", body.ToString());
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

        var weeks = new[] { current }.Concat(wayr.ClosedWeeks(v.Group, 52).Select(w => w.Week)).Distinct().OrderByDescending(w => w).ToList();
        var body = new StringBuilder("<section><h2>Weeks</h2>")
            .Append(List(weeks.Select(w => SiteLink(w == current ? $"{w} (this week)" : w.ToString(), $"{v.BasePath}/wayr?week={Uri.EscapeDataString(w.ToString())}")), "No weeks yet."))
            .Append("</section>");
        body.Append(Reply(wayrService.List(v.Invocation, week.ToString())));
        if (digests.Find(v.Group, week) is { } digest)
        {
            body.Append(Reply(new CardReply(DigestBuilder.Render(digest))));
        }

        return Page(v, $"What Are You Reading — {week}", body.ToString());
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

        body.Append("<section><h2>").Append(E(heading)).Append("</h2>")
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
        var body = new StringBuilder(Html.Reply(library.Show(v.Invocation, "#" + number.ToString(CultureInfo.InvariantCulture))));
        var links = new List<string> { Link("Paper page", item.Paper.Url) };
        if (item.Paper.PdfUrl is not null)
        {
            links.Add(Link("PDF", item.Paper.PdfUrl));
        }

        if (item.Paper.Doi is not null)
        {
            links.Add(Link("doi:" + item.Paper.Doi, "https://doi.org/" + item.Paper.Doi));
        }

        body.Append("<section><h2>Links</h2>").Append(List(links, "")).Append("</section>");
        body.Append("<section><h2>Discussion</h2>")
            .Append(List(discussions.ForPaper(v.Group, item.Paper.Key).OrderBy(n => n.At).Select(n => $"{Name(v, n.Author)} ({E(n.Week.ToString())}): {Lines(n.Text)}"), "No discussion notes yet."))
            .Append("</section>");
        body.Append("<section><h2>Who read it</h2>")
            .Append(List(progress.ForPaper(v.Group, item.Paper.Key).OrderByDescending(p => p.Pass).Select(p => $"{Name(v, p.Member)} — {E(ReadingBot.Core.Progress.ProgressService.PassName(p.Pass))}"), "Nobody has recorded a pass yet."))
            .Append("</section>");
        return Page(v, $"{item.Label} {item.Title}", body.ToString());
    }

    public IResult Member(WebViewer v, string memberId)
    {
        if (VisibleMembers(v).FirstOrDefault(m => m.UserId == memberId) is not { } member)
        {
            return WebResult.NotFound();
        }

        var body = new StringBuilder(Html.Reply(streakService.ShowStreak(v.Invocation, member.UserId, picture: false)));
        body.Append("<section><h2>Weekly streak</h2>").Append(Heatmap(v, member)).Append("</section>");
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

    /// <summary>The group's papers read per week as SVG bars, oldest first (see <see cref="ReadingCharts.Reading"/>).</summary>
    public string ReadingChart(WebViewer v)
    {
        var weeks = charts.Reading(v.Invocation.Group).Weeks;
        const int bar = 14;
        const int gap = 4;
        const int height = 80;
        var most = Math.Max(1, weeks.Max(w => w.Count));
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{weeks.Count * (bar + gap)}\" height=\"{height}\" viewBox=\"0 0 {weeks.Count * (bar + gap)} {height}\" role=\"img\" aria-label=\"Papers read per week, last {weeks.Count} weeks\">");
        for (var i = 0; i < weeks.Count; i++)
        {
            var count = weeks[i].Count;
            var h = count == 0 ? 2 : Math.Max(4, count * (height - 4) / most);
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"read-week\" x=\"{i * (bar + gap)}\" y=\"{height - h}\" width=\"{bar}\" height=\"{h}\" rx=\"2\" fill=\"{(count == 0 ? "#d0d7de" : "#0969da")}\"><title>{E(weeks[i].Week.ToString())}: {count.ToString(CultureInfo.InvariantCulture)} read</title></rect>");
        }

        sb.Append("</svg><p class=\"muted\">Oldest first, this week last; a paper counts once per member.</p>");
        return sb.ToString();
    }

    /// <summary>Weeks as cells, oldest first, coloured by the ledger: kept, frozen, missed, or not counted.</summary>
    public string Heatmap(WebViewer v, Member member)
    {
        var weeks = charts.Heatmap(v.Invocation.Group, member.UserId, member.DisplayName).Weeks;
        const int columns = 13;
        const int cell = 16;
        const int gap = 4;
        var rows = (weeks.Count + columns - 1) / columns;
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{columns * (cell + gap)}\" height=\"{rows * (cell + gap)}\" viewBox=\"0 0 {columns * (cell + gap)} {rows * (cell + gap)}\" role=\"img\" aria-label=\"Weekly streak, last {weeks.Count} weeks\">");
        for (var i = 0; i < weeks.Count; i++)
        {
            var (colour, label) = weeks[i].Cell switch
            {
                StreakCell.Kept => ("#2da44e", "kept"),
                StreakCell.Frozen => ("#54aeff", "frozen"),
                StreakCell.Missed => ("#cf222e", "missed"),
                StreakCell.Open => ("#d0d7de", "open"),
                _ => ("#d0d7de", "not counted"),
            };
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"week {label.Replace(' ', '-')}\" x=\"{(i % columns) * (cell + gap)}\" y=\"{(i / columns) * (cell + gap)}\" width=\"{cell}\" height=\"{cell}\" rx=\"3\" fill=\"{colour}\"><title>{E(weeks[i].Week.ToString())}: {label}</title></rect>");
        }

        sb.Append("</svg><p class=\"muted\">Green kept, blue frozen, red missed, grey not counted; oldest first, this week last.</p>");
        return sb.ToString();
    }

    private IEnumerable<Member> VisibleMembers(WebViewer v) =>
        members.List(v.Group).Where(m => !v.IsPublic || m.Setting(SettingCatalogue.Leaderboard) != "off").OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase);

    private string Name(WebViewer v, string userId)
    {
        var member = members.Find(v.Group, userId);
        return member is null ? E(userId) : !v.IsPublic || member.Setting(SettingCatalogue.Leaderboard) != "off"
            ? SiteLink(member.DisplayName, MemberPath(v, member.UserId))
            : E(member.DisplayName);
    }

    private static string MemberPath(WebViewer v, string userId) => $"{v.BasePath}/members/{Uri.EscapeDataString(userId)}";

    private static string PaperPath(WebViewer v, int number) => $"{v.BasePath}/papers/{number.ToString(CultureInfo.InvariantCulture)}";

    private static WebResult Page(WebViewer v, string title, string body)
    {
        var nav = SiteLink("Home", v.BasePath + "/") + SiteLink("WAYR", v.BasePath + "/wayr") + SiteLink("Library", v.BasePath + "/library");
        return WebResult.Page(Document(title, nav, body));
    }
}
