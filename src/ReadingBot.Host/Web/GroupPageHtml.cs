using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ReadingBot.Core.Groups;
using Group = ReadingBot.Core.Groups.Group;
using PaperRecord = ReadingBot.Core.Papers.Paper;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Progress;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Core.Web;
using static ReadingBot.Host.Web.Html;

namespace ReadingBot.Host.Web;

/// <summary>The HTML of the home, paper and WAYR pages, from what <see cref="GroupPageQuery"/> read; every text is encoded.</summary>
public static partial class GroupPageHtml
{
    /// <summary>How much of the abstract the week's card shows.</summary>
    public const int CardAbstractLength = 320;

    public static string Home(GroupHome home, PageContext c, Group group, string readingChart)
    {
        var sb = new StringBuilder("<div class=\"grid\">");
        sb.Append(ThisWeekCard(home, c, group));
        sb.Append("<section class=\"card\" aria-labelledby=\"next-weeks\"><h2 id=\"next-weeks\">Coming weeks</h2><ul class=\"rows\">");
        foreach (var week in home.NextWeeks)
        {
            var what = week.IsBreak ? "<span class=\"tag\">a break</span>" : week.Item is { } item ? c.Paper(item) : "<span class=\"muted\">not picked yet</span>";
            var detail = week.Item is null ? "" : $"<span class=\"detail\">meeting {E(group.MomentOf(week.Meeting).PlainText)}{(week.Presenter is { } p ? ", presented by " + c.Name(p) : "")}</span>";
            sb.Append(CultureInfo.InvariantCulture, $"<li><span>{what}</span><span class=\"count\">{E(week.Week.ToString())}</span>{detail}</li>");
        }

        sb.Append("</ul></section>");

        sb.Append(ReadingNowSection(home, c));
        sb.Append("<section class=\"card wide queue\" aria-labelledby=\"queue\"><h2 id=\"queue\">Suggestion queue</h2>");
        if (home.Queue.Count == 0)
        {
            sb.Append("<p class=\"muted\">No open suggestions. Suggest a paper with /paper suggest &lt;ref&gt; [why].</p>");
        }
        else
        {
            var most = Math.Max(1, home.Queue.Max(q => q.Suggestion.Voters.Count));
            sb.Append("<ol class=\"rows\">");
            foreach (var q in home.Queue)
            {
                var votes = q.Suggestion.Voters.Count;
                var title = q.Item is { } item ? c.Paper(item) : E(PaperRecord.LabelFor(q.Suggestion.PaperKey));
                var why = string.IsNullOrWhiteSpace(q.Suggestion.Why) ? "" : ": " + E(q.Suggestion.Why);
                sb.Append(CultureInfo.InvariantCulture,
                    $"<li><span>{title}</span><span>{SvgCharts.Meter(votes, most)}<span class=\"count\">{Count(votes, "vote")}</span></span><span class=\"detail\">suggested by {c.Name(q.Suggestion.SuggestedBy)}{why}</span></li>");
            }

            sb.Append("</ol>");
            if (home.QueueTotal > home.Queue.Count)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{home.QueueTotal - home.Queue.Count} more in the queue. Ranked by votes, then by age.</p>");
            }
        }

        sb.Append("</section>");
        sb.Append(Leaderboard(home, c));
        sb.Append("<section class=\"card\" aria-labelledby=\"reading\"><h2 id=\"reading\">Papers read per week</h2>").Append(readingChart)
            .Append("<p class=\"muted\">A paper counts once per member: a WAYR post marking it read or implemented, or /read … done.</p></section>");
        sb.Append("<section class=\"card\" aria-labelledby=\"activity\"><h2 id=\"activity\">Members active per week</h2>")
            .Append(SvgCharts.WeeklyBars("Members who posted to WAYR per week", home.ActiveMembers, "members", "members", height: 160))
            .Append("</section>");
        sb.Append("<section class=\"card\" aria-labelledby=\"members\"><h2 id=\"members\">Members</h2>")
            .Append(List(c.Visible.Select(m => SiteLink(m.DisplayName, c.MemberPath(m.UserId))), "No members yet.").Replace("<ul>", "<ul class=\"inline\">", StringComparison.Ordinal))
            .Append("</section>");
        return sb.Append("</div>").ToString();
    }

    public static string Paper(PaperHistory h, PageContext c, Group group)
    {
        var item = h.Item;
        var p = item.Paper;
        var sb = new StringBuilder("<div class=\"grid\"><section class=\"card wide\" aria-label=\"The paper\">");
        if (PaperCards.Byline(p) is { } byline)
        {
            sb.Append("<p class=\"byline\">").Append(E(byline)).Append("</p>");
        }

        if (PaperCards.Excerpt(p.Abstract, PaperCards.FullAbstractLength) is { } summary)
        {
            sb.Append("<p class=\"abstract\">").Append(E(summary)).Append("</p>");
        }

        if (h.Enrichment.Count > 0)
        {
            sb.Append("<dl class=\"facts\">");
            foreach (var field in h.Enrichment)
            {
                sb.Append("<dt>").Append(E(field.Name)).Append("</dt><dd>").Append(E(field.Value)).Append("</dd>");
            }

            sb.Append("</dl>");
        }

        sb.Append("<h2>Links</h2>").Append(List(Links(p), "No links."));
        sb.Append(p.State switch
        {
            MetadataState.Pending => "<p class=\"muted\">Metadata pending: it is filled in when the source answers.</p>",
            MetadataState.NotFound => "<p class=\"muted\">The source does not know this paper; only what was given is shown.</p>",
            _ => "",
        }).Append("</section>");

        var events = new List<string> { $"Added to the library {E(Day(group, item.Entry.AddedAt))} by {c.Name(item.Entry.AddedBy)}" };
        if (h.Suggestion is { } s)
        {
            var voters = s.Voters.Count == 0 ? "no votes" : $"{Count(s.Voters.Count, "vote")} ({string.Join(", ", s.Voters.Select(c.Name))})";
            events.Add($"Suggested {E(Day(group, s.SuggestedAt))} by {c.Name(s.SuggestedBy)}{(string.IsNullOrWhiteSpace(s.Why) ? "" : ": " + E(s.Why))} — {voters}");
        }

        events.AddRange(h.Picked.Select(w => $"Paper of the week {E(w.Week.ToString())}{(w.AutoPicked ? " (picked automatically)" : w.PickedBy is { } by ? $", picked by {c.Name(by)}" : "")}{(w.Presenter is { } pr ? $", presented by {c.Name(pr)}" : "")}"));
        sb.Append("<section class=\"card wide\" aria-labelledby=\"history\"><h2 id=\"history\">The group's history with it</h2>").Append(List(events, ""));
        sb.Append("<h3>WAYR mentions</h3>").Append(List(h.Mentions.Select(m => $"{SiteLink(m.Week.ToString(), $"{c.Viewer.BasePath}/wayr?week={m.Week}")}: {c.Name(m.Author)} — {E(Status(m.Status))}{(m.Note.Length > 0 ? ": " + E(PaperCards.Excerpt(m.Note, 280)) : "")}"), "No WAYR post names it yet."));
        sb.Append("</section>");
        sb.Append("<section class=\"card\" aria-labelledby=\"discussion\"><h2 id=\"discussion\">Discussion</h2>")
            .Append(h.Notes.Count == 0 ? "<p class=\"muted\">No discussion notes yet.</p>" : "<ol>" + string.Concat(h.Notes.Select(n => $"<li>{c.Name(n.Author)} ({E(n.Week.ToString())}): {Lines(n.Text)}</li>")) + "</ol>")
            .Append("</section>");
        sb.Append("<section class=\"card\" aria-labelledby=\"readers\"><h2 id=\"readers\">Who read it</h2>")
            .Append(List(h.Passes.Select(r => $"{c.Name(r.Member)} — {E(ProgressService.PassName(r.Pass))} <span class=\"muted\">({E(Day(group, r.At))})</span>"), "Nobody has recorded a pass yet."))
            .Append("</section></div>");
        return sb.ToString();
    }

    /// <summary>The week list, the week's posts grouped by paper, and its digest as sections and lists.</summary>
    public static string Wayr(PageContext c, WeekKey week, IReadOnlyList<(WeekKey Week, string Label)> weeks, IReadOnlyList<WayrPost> posts, Func<string, LibraryItem?> item, Func<int, LibraryItem?> byNumber, Digest? digest)
    {
        var sb = new StringBuilder("<nav class=\"card\" aria-label=\"Weeks\"><h2>Weeks</h2><ul class=\"weeks\">");
        foreach (var (w, label) in weeks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{E($"{c.Viewer.BasePath}/wayr?week={w}")}\"{(w == week ? " aria-current=\"page\"" : "")}>{E(label)}</a></li>");
        }

        sb.Append("</ul></nav><section class=\"card\" aria-labelledby=\"posts\"><h2 id=\"posts\">Posts</h2>");
        if (posts.Count == 0)
        {
            sb.Append("<p class=\"muted\">No posts yet. Post with /wayr &lt;paper or note&gt;.</p>");
        }

        foreach (var group in posts.Where(p => p.PaperKey is not null).GroupBy(p => p.PaperKey!).OrderByDescending(g => g.Select(p => p.Author).Distinct().Count()).ThenBy(g => g.Min(p => p.Number)))
        {
            var paper = item(group.Key);
            sb.Append("<h3>").Append(paper is null ? E(PaperRecord.LabelFor(group.Key)) : c.Paper(paper)).Append("</h3>")
                .Append(List(group.Select(Post), ""));
        }

        var notes = posts.Where(p => p.PaperKey is null).ToList();
        if (notes.Count > 0)
        {
            sb.Append("<h3>Notes without a paper</h3>").Append(List(notes.Select(Post), ""));
        }

        sb.Append("</section>");
        if (digest is not null)
        {
            sb.Append("<section class=\"card digest\" aria-labelledby=\"digest\"><h2 id=\"digest\">").Append(E(digest.Title)).Append("</h2>");
            foreach (var section in digest.Sections)
            {
                sb.Append("<h3>").Append(E(section.Heading)).Append("</h3>").Append(List(section.Lines.Select(l => LinkPapers(l, c, byNumber)), ""));
            }

            sb.Append("</section>");
        }

        return sb.ToString();

        string Post(WayrPost p) => $"{c.Name(p.Author)} — {E(Status(p.Status))}{(p.Note.Length > 0 ? ": " + Lines(p.Note) : "")}";
    }

    /// <summary>The paper's links, each address once: abstract page, PDF, DOI.</summary>
    public static IEnumerable<string> Links(PaperRecord p)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var links = new List<(string Text, string? Url)> { ("Abstract page", p.Url), ("PDF", p.PdfUrl), (p.Doi is null ? "" : "DOI " + p.Doi, p.Doi is null ? null : "https://doi.org/" + p.Doi), ("Code", p.CodeUrl) };
        foreach (var (text, url) in links)
        {
            if (url is not null && seen.Add(url.TrimEnd('/')))
            {
                yield return Link(text, url);
            }
        }
    }

    /// <summary>A digest line with each <c>#N Title</c> it names linked to that paper's page.</summary>
    public static string LinkPapers(string line, PageContext c, Func<int, LibraryItem?> byNumber)
    {
        var sb = new StringBuilder();
        var at = 0;
        foreach (Match m in PaperNumber().Matches(line))
        {
            if (m.Index < at || !int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || byNumber(n) is not { } paper)
            {
                continue;
            }

            var label = $"{paper.Label} {paper.Title}";
            var length = string.CompareOrdinal(line, m.Index, label, 0, label.Length) == 0 ? label.Length : m.Length;
            sb.Append(E(line[at..m.Index])).Append(SiteLink(line.Substring(m.Index, length), c.PaperPath(n)));
            at = m.Index + length;
        }

        return sb.Append(E(line[at..])).ToString();
    }

    private static string ThisWeekCard(GroupHome home, PageContext c, Group group)
    {
        var week = home.ThisWeek;
        var sb = new StringBuilder("<section class=\"card wide\" aria-labelledby=\"this-week\">")
            .Append(CultureInfo.InvariantCulture, $"<h2 id=\"this-week\">The paper of the week <span class=\"count\">{E(home.Current.ToString())}</span></h2>");
        if (week.Plan.IsBreak)
        {
            return sb.Append("<p>This week is a break.</p></section>").ToString();
        }

        if (week.Plan.Item is not { } item)
        {
            return sb.Append("<p class=\"muted\">Not picked yet. A moderator picks one with /week pick &lt;ref&gt;; the most-voted suggestion is picked automatically when autopick is on.</p></section>").ToString();
        }

        sb.Append("<h3 class=\"paper-title this-week-paper\">").Append(c.Paper(item)).Append("</h3>");
        if (PaperCards.Byline(item.Paper) is { } byline)
        {
            sb.Append("<p class=\"byline\">").Append(E(byline)).Append("</p>");
        }

        if (PaperCards.Excerpt(item.Paper.Abstract, CardAbstractLength) is { } summary)
        {
            sb.Append("<p class=\"abstract\">").Append(E(summary)).Append("</p>");
        }

        sb.Append("<dl class=\"facts\">")
            .Append("<dt>Meeting</dt><dd>").Append(E(group.MomentOf(week.Plan.Meeting).PlainText)).Append("</dd>")
            .Append("<dt>Presenter</dt><dd>").Append(week.Plan.Presenter is { } p ? c.Name(p) : "<span class=\"muted\">nobody yet (/week present)</span>").Append("</dd>");
        if (week.Suggestion is { } s)
        {
            sb.Append("<dt>Suggested by</dt><dd>").Append(c.Name(s.SuggestedBy)).Append(string.IsNullOrWhiteSpace(s.Why) ? "" : ": " + E(s.Why)).Append("</dd>");
        }

        sb.Append("<dt>Going</dt><dd>").Append(E(week.Going.Line())).Append("</dd>");
        sb.Append("<dt>Discussion</dt><dd>").Append(E(Count(week.DiscussionCount, "note"))).Append(week.Plan.AutoPicked ? " <span class=\"tag\">picked automatically</span>" : "").Append("</dd></dl>");
        return sb.Append("</section>").ToString();
    }

    private static string ReadingNowSection(GroupHome home, PageContext c)
    {
        var sb = new StringBuilder("<section class=\"card\" aria-labelledby=\"reading-now\"><h2 id=\"reading-now\">Reading now</h2>");
        if (home.ReadingNow.Count == 0)
        {
            return sb.Append(home.WayrClosed ? "<p class=\"muted\">This week's WAYR has closed.</p>" : "<p class=\"muted\">No WAYR posts this week yet. Post with /wayr &lt;paper or note&gt;.</p>").Append("</section>").ToString();
        }

        sb.Append("<ul>");
        foreach (var r in home.ReadingNow)
        {
            var what = r.Item is { } item ? c.Paper(item) : r.Post.PaperKey is { } key ? E(PaperRecord.LabelFor(key)) : E(PaperCards.Excerpt(r.Post.Note, 140));
            var note = r.Post.PaperKey is not null && r.Post.Note.Length > 0 ? $"<span class=\"muted\">: {E(PaperCards.Excerpt(r.Post.Note, 140))}</span>" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<li>{c.Name(r.Post.Author)} — {what} <span class=\"tag\">{E(Status(r.Post.Status))}</span>{note}</li>");
        }

        return sb.Append("</ul></section>").ToString();
    }

    private static string Leaderboard(GroupHome home, PageContext c)
    {
        var sb = new StringBuilder("<section class=\"card\" aria-labelledby=\"leaderboard\"><h2 id=\"leaderboard\">Leaderboard")
            .Append(home.StandingsAsOf is { } asOf ? $" <span class=\"count\">as of {E(asOf.ToString())}</span>" : "").Append("</h2>");
        if (home.Leaders.Count == 0)
        {
            return sb.Append("<p class=\"muted\">No standings yet: they are frozen when a WAYR week closes.</p></section>").ToString();
        }

        var most = Math.Max(1, home.Leaders.Max(r => r.Current));
        sb.Append("<ol class=\"rows\">");
        foreach (var r in home.Leaders)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<li><span>{c.Name(r.Member)}</span><span>{SvgCharts.Meter(r.Current, most)}<span class=\"count\">streak {r.Current}</span></span><span class=\"detail\">longest {r.Longest}, {Count(r.TotalKept, "week")} in all</span></li>");
        }

        return sb.Append("</ol><p class=\"muted\">Top ten by current streak, then longest, then total weeks. Leave it with /settings leaderboard off.</p></section>").ToString();
    }

    private static string Count(int n, string word) => $"{n.ToString(CultureInfo.InvariantCulture)} {word}{(n == 1 ? "" : "s")}";

    private static string Status(ReadingStatus status) => status.ToString().ToLowerInvariant();

    private static string Day(Group group, DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, group.Zone()).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"#(\d{1,9})\b")]
    private static partial Regex PaperNumber();
}
