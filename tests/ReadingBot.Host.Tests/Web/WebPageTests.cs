using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;
using ReadingBot.Host.Web;

namespace ReadingBot.Host.Tests.Web;

public sealed class WebPageTests : IAsyncLifetime
{
    private const string Evil = "<script>alert(1)</script>";
    private WebHarness web = null!;

    public async Task InitializeAsync()
    {
        web = await WebHarness.StartAsync();
        await web.SendAsync("/paper add https://example.org/attention Attention Is All You Need");
        await web.SendAsync("/paper add https://example.org/evil " + Evil, "bob");
        await web.SendAsync("/paper suggest #2 because it is tricky", "bob");
    }

    public async Task DisposeAsync() => await web.DisposeAsync();

    [Fact]
    public async Task A_dashboard_link_opens_the_group_home_with_the_week_the_queue_the_leaderboard_and_members()
    {
        var reply = await web.SendAsync("/dashboard");
        var (status, body, _) = await web.GetAsync(WebHarness.PathIn(ReadingBot.Core.Replies.PlainTextRenderer.Render(reply), "g"));

        Assert.True(reply.Ephemeral);
        Assert.Equal(200, status);
        Assert.Contains("The paper of the week", body, StringComparison.Ordinal);
        Assert.Contains("Suggestion queue", body, StringComparison.Ordinal);
        Assert.Contains("because it is tricky", body, StringComparison.Ordinal);
        Assert.Contains("Leaderboard", body, StringComparison.Ordinal);
        Assert.Contains("/members/bob\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggestions_on_the_home_page_and_a_members_reading_link_each_papers_page_here()
    {
        await web.SendAsync("/read #2 pass1", "bob");
        var home = await web.DashboardPathAsync();

        var (_, page, _) = await web.GetAsync(home);
        var (_, member, _) = await web.GetAsync(home + "members/bob");

        // The suggestion and bob's reading are both about #2, whose own link is https://example.org/evil.
        Assert.Contains($"<a href=\"{home}papers/2\">#2 ", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{home}papers/2\">#2 ", member, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://example.org/evil\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paper_title_with_markup_is_encoded_on_every_page()
    {
        var home = await web.DashboardPathAsync();

        foreach (var path in new[] { home, home + "library", home + "papers/2", home + "library?q=alert" })
        {
            var (status, body, _) = await web.GetAsync(path);
            Assert.Equal(200, status);
            Assert.DoesNotContain(Evil, body, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pages_and_refusals_carry_the_strict_policy_nosniff_and_no_cookie()
    {
        var home = await web.DashboardPathAsync();

        foreach (var path in new[] { home, home + "wayr", "/g/nonsense/", "/web/site.css" })
        {
            var (_, _, response) = await web.GetAsync(path);
            Assert.Equal(Html.ContentSecurityPolicy, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        var (_, page, _) = await web.GetAsync(home);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/web/site.css\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Library_search_shows_only_matching_papers_and_links_each_paper_page()
    {
        var home = await web.DashboardPathAsync();

        var (_, body, _) = await web.GetAsync(home + "library?q=attention");

        Assert.Contains("Attention Is All You Need", body, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", body, StringComparison.Ordinal);
        Assert.Contains("/papers/1\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paper_page_shows_its_links_discussion_and_who_read_it_how_far()
    {
        Assert.Contains("2026-W49", await web.TextAsync("/week pick #1 2026-W49", "alice", moderator: true), StringComparison.Ordinal);
        web.Time.Advance(TimeSpan.FromDays(7));
        Assert.StartsWith("Noted", await web.TextAsync("/discuss the scaled dot product is the key idea", "carol"), StringComparison.Ordinal);
        await web.SendAsync("/read #1 pass2", "carol");

        var (status, body, _) = await web.GetAsync(await web.DashboardPathAsync() + "papers/1");

        Assert.Equal(200, status);
        Assert.Contains("https://example.org/attention", body, StringComparison.Ordinal);
        Assert.Contains("the scaled dot product is the key idea", body, StringComparison.Ordinal);
        Assert.Contains("carol</a> — the second pass", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_home_page_charts_the_papers_read_per_week()
    {
        await web.SendAsync("/wayr 1706.03762 read: the attention figure", "alice");
        await web.SendAsync("/read 1706.03762 done", "alice");
        await web.SendAsync("/read 1512.03385 done", "bob");
        await web.SendAsync("/wayr 1409.0473 skimmed", "bob");

        var (status, body, _) = await web.GetAsync(await web.DashboardPathAsync());

        Assert.Equal(200, status);
        Assert.Contains("aria-label=\"Papers read per week, last 26 weeks\"", body, StringComparison.Ordinal);
        // alice's post and /read for one paper count once; bob's finished paper counts; a skimmed one does not.
        Assert.Contains("<title>2026-W48: 2 read</title>", body, StringComparison.Ordinal);
        Assert.Contains("<title>2026-W47: 0 read</title>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_page_shows_the_streak_heatmap_and_reading_progress()
    {
        var group = web.Services.GetRequiredService<IGroupStore>().Find(WebHarness.GroupA.Id)!;
        var zone = group.Zone();
        Assert.StartsWith("Posted", await web.TextAsync("/wayr reading a long enough note about the paper I read"), StringComparison.Ordinal);
        web.Time.SetUtcNow(WeeklySchedule.ToInstant(new WeekKey(2026, 48).Monday.AddDays(6), new TimeOnly(20, 0), zone));
        await web.Services.GetRequiredService<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        await web.SendAsync("/read #1 done");

        var home = await web.DashboardPathAsync();
        var (status, body, _) = await web.GetAsync(home + "members/alice");
        var (_, archive, _) = await web.GetAsync(home + "wayr?week=2026-W48");

        Assert.Equal(200, status);
        Assert.Contains("<svg", body, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"week kept\"", body, StringComparison.Ordinal);
        Assert.Contains("<title>2026-W48: kept</title>", body, StringComparison.Ordinal);
        Assert.Contains("Attention Is All You Need", body, StringComparison.Ordinal);
        Assert.Contains("a long enough note", archive, StringComparison.Ordinal);
        Assert.Contains("2026-W48", archive, StringComparison.Ordinal);
        Assert.Equal(404, (await web.GetAsync(home + "members/nobody")).Status);
    }

    [Fact]
    public async Task Atom_feed_parses_with_the_atom_namespace_and_lists_the_library()
    {
        var feeds = await web.TextAsync("/dashboard feeds");

        var (status, body, response) = await web.GetAsync(WebHarness.PathIn(feeds, "f", "feed.atom"));

        Assert.Equal(200, status);
        Assert.StartsWith("application/atom+xml", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var feed = XDocument.Parse(body).Root!;
        Assert.Equal(XName.Get("feed", "http://www.w3.org/2005/Atom"), feed.Name);
        Assert.Contains(feed.Elements(XName.Get("entry", "http://www.w3.org/2005/Atom")), e => e.ToString().Contains("Attention Is All You Need", StringComparison.Ordinal));
        var (jsonStatus, json, _) = await web.GetAsync(WebHarness.PathIn(feeds, "f", "library.json"));
        Assert.Equal(200, jsonStatus);
        Assert.Contains("\"format\": \"readingbot-library\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calendar_has_a_vtimezone_and_sessions_at_the_same_local_time_across_the_spring_change()
    {
        await web.SendAsync("/settings timezone Europe/Berlin", "alice", moderator: true);
        await web.SendAsync("/week pick #1 2027-W12", "alice", moderator: true);
        await web.SendAsync("/week pick #2 2027-W13", "alice", moderator: true);

        var (status, ics, _) = await web.GetAsync(WebHarness.PathIn(await web.TextAsync("/dashboard feeds"), "f", "calendar.ics"));

        Assert.Equal(200, status);
        Assert.Contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("BEGIN:DAYLIGHT", ics, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETTO:+0200", ics, StringComparison.Ordinal);
        // Thursday 18:00 in Berlin both weeks: 17:00 UTC before 28 March 2027, 16:00 UTC after.
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20270325T180000", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20270401T180000", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_title_and_heading_carry_the_name_a_moderator_set_and_Reading_group_until_then()
    {
        var home = await web.DashboardPathAsync();
        var (_, before, _) = await web.GetAsync(home);

        var refused = await web.TextAsync("/settings name Not Ours", "bob");
        var set = await web.TextAsync("/settings name   Transformers <Reading> Club ", "alice", moderator: true);
        var (_, after, _) = await web.GetAsync(home);
        var (_, paper, _) = await web.GetAsync(home + "papers/1");

        Assert.Contains("<title>Reading group</title>", before, StringComparison.Ordinal);
        Assert.StartsWith("Only moderators", refused.Replace("Error: ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("name is now Transformers <Reading> Club.", set);
        Assert.Contains("<title>Transformers &lt;Reading&gt; Club</title>", after, StringComparison.Ordinal);
        Assert.Contains("<h1>Transformers &lt;Reading&gt; Club</h1>", after, StringComparison.Ordinal);
        Assert.Contains("<title>#1 Attention Is All You Need — Transformers &lt;Reading&gt; Club</title>", paper, StringComparison.Ordinal);
        Assert.StartsWith("Error:", await web.TextAsync("/settings name " + new string('x', 81), "alice", moderator: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task This_weeks_paper_on_the_home_page_links_its_page_here_with_who_suggested_it_and_why()
    {
        await web.SendAsync("/week pick #2 2026-W48", "alice", moderator: true);
        var home = await web.DashboardPathAsync();

        var (_, body, _) = await web.GetAsync(home);

        Assert.Contains($"<h3 class=\"paper-title this-week-paper\"><a href=\"{home}papers/2\">#2 &lt;script&gt;", body, StringComparison.Ordinal);
        Assert.Contains("<dt>Suggested by</dt>", body, StringComparison.Ordinal);
        Assert.Contains("because it is tricky", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_week_is_never_labelled_this_week_and_its_digest_is_sections_with_paper_links()
    {
        var zone = web.Services.GetRequiredService<IGroupStore>().Find(WebHarness.GroupA.Id)!.Zone();
        await web.SendAsync("/wayr #1 read: the attention figure", "alice");
        web.Time.SetUtcNow(WeeklySchedule.ToInstant(new WeekKey(2026, 48).Monday.AddDays(6), new TimeOnly(20, 0), zone));
        await web.Services.GetRequiredService<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        var home = await web.DashboardPathAsync();

        // Still Sunday of week 48 in the group's zone: the calendar week is this one, but its WAYR has closed.
        var (_, current, _) = await web.GetAsync(home + "wayr");
        var (_, closed, _) = await web.GetAsync(home + "wayr?week=2026-W48");

        Assert.DoesNotContain("(this week)", current, StringComparison.Ordinal);
        Assert.Contains("2026-W48 (#1, closed)", current, StringComparison.Ordinal);
        Assert.Contains("<section class=\"card digest\"", closed, StringComparison.Ordinal);
        Assert.Contains("<h3>What we read</h3><ul><li>", closed, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{home}papers/1\">#1 Attention Is All You Need</a> — 1 reader", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("•", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paper_page_shows_its_title_each_link_and_each_discussion_note_once()
    {
        await web.SendAsync("/week pick #1 2026-W48", "alice", moderator: true);
        await web.SendAsync("/discuss the scaled dot product is the key idea", "carol");
        await web.SendAsync("/wayr #1 reading: the attention figure", "bob");

        var (_, body, _) = await web.GetAsync(await web.DashboardPathAsync() + "papers/1");

        Assert.Equal(1, Count(body, "href=\"https://example.org/attention\""));
        Assert.Equal(1, Count(body, "the scaled dot product is the key idea"));
        Assert.Equal(1, Count(body, "<h1>"));
        Assert.Equal(2, Count(body, "Attention Is All You Need"));
        Assert.Contains("Paper of the week 2026-W48, picked by", body, StringComparison.Ordinal);
        Assert.Contains("bob</a> — reading: the attention figure", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reading_chart_has_axes_week_labels_a_moving_average_and_a_table_for_screen_readers()
    {
        await web.SendAsync("/read #1 done", "alice");

        var (_, body, _) = await web.GetAsync(await web.DashboardPathAsync());

        Assert.Equal(4, Count(body, "<line class=\"axis\""));
        Assert.Contains("<text class=\"y-label\"", body, StringComparison.Ordinal);
        Assert.Contains(">23 Nov</text>", body, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"trend\"", body, StringComparison.Ordinal);
        Assert.Contains("<div class=\"sr-only\"><table><caption>Papers read per week</caption>", body, StringComparison.Ordinal);
        Assert.Contains("<tr><td>2026-W48</td><td>23 Nov</td><td>1</td><td>", body, StringComparison.Ordinal);
    }

    private static int Count(string text, string part)
    {
        var n = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
