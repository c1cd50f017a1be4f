using System.Text.Json;
using Microsoft.Playwright;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// What a person sees of the group's pages in a real browser (Debian's headless Chromium through Playwright): the
/// week's card and its link, readable charts, dark mode, a phone's width, an automated accessibility pass (axe-core,
/// injected by the test only) and a screenshot of every page at 375 and 1280 px, kept under the test output.
/// </summary>
public sealed class GroupPageBrowserTests(GroupSite site) : IClassFixture<GroupSite>
{
    private static readonly int[] Widths = [375, 1280];

    [Fact]
    public async Task The_home_shows_the_group_name_and_this_weeks_card_whose_title_opens_the_papers_page()
    {
        var page = await site.OpenAsync(1280);

        await page.GotoAsync(site.Url(site.Home));
        var title = await page.TitleAsync();
        var heading = await page.InnerTextAsync("h1");
        var card = page.Locator("section[aria-labelledby=this-week]");
        var link = card.Locator(".this-week-paper a");
        var cardText = await card.InnerTextAsync();
        await link.ClickAsync();
        await page.WaitForURLAsync("**/papers/2");
        var paperHeading = await page.InnerTextAsync("h1");

        Assert.Equal(GroupSite.Name, title);
        Assert.Equal(GroupSite.Name, heading);
        Assert.Contains("2026-W49", cardText, StringComparison.Ordinal);
        Assert.Contains("Meeting", cardText, StringComparison.Ordinal);
        Assert.Contains("Suggested by", cardText, StringComparison.Ordinal);
        Assert.Contains("the classic on skip connections", cardText, StringComparison.Ordinal);
        Assert.Contains("1 note", cardText, StringComparison.Ordinal);
        Assert.Equal($"#2 {GroupSite.ThisWeeksTitle}", paperHeading);
    }

    [Fact]
    public async Task Charts_have_both_axes_and_week_labels_that_never_overlap_on_a_phone_or_a_wide_screen()
    {
        foreach (var width in Widths)
        {
            var page = await site.OpenAsync(width);
            await page.GotoAsync(site.Url(site.Home));

            foreach (var chart in await page.Locator("svg.weekly-bars").AllAsync())
            {
                var labels = await Boxes(chart.Locator("text.x-label"));
                var values = await Boxes(chart.Locator("text.y-label"));

                Assert.True(labels.Count >= 3, $"{width}px: only {labels.Count} week labels are visible");
                Assert.True(values.Count >= 2, $"{width}px: the y axis has {values.Count} labels");
                Assert.Equal(2, await chart.Locator("line.axis").CountAsync());
                Assert.Equal(2, await chart.Locator("text.axis-title").CountAsync());
                AssertApart(labels, $"{width}px week labels");
                AssertApart(values, $"{width}px value labels");
                Assert.All(labels, l => Assert.True(l.Height >= 9, $"{width}px: a week label is {l.Height:0.0}px tall, too small to read"));
            }

            var heatmapPage = await site.OpenAsync(width);
            await heatmapPage.GotoAsync(site.Url(site.Home + "members/alice"));
            AssertApart(await Boxes(heatmapPage.Locator("svg.heatmap text.x-label")), $"{width}px month labels");
            Assert.Equal(5, await heatmapPage.Locator("figcaption.legend .swatch").CountAsync());
        }
    }

    [Fact]
    public async Task Under_prefers_color_scheme_dark_the_pages_turn_dark()
    {
        var dark = await site.OpenAsync(1280, ColorScheme.Dark);
        var light = await site.OpenAsync(1280);

        await dark.GotoAsync(site.Url(site.Home));
        await light.GotoAsync(site.Url(site.Home));
        await dark.ScreenshotAsync(new() { Path = Path.Combine(GroupSite.Artefacts, "home-dark-1280.png"), FullPage = true });

        Assert.Equal("rgb(13, 17, 23)", await dark.EvalOnSelectorAsync<string>("body", "e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("rgb(230, 237, 243)", await dark.EvalOnSelectorAsync<string>("body", "e => getComputedStyle(e).color"));
        Assert.Equal("rgb(255, 255, 255)", await light.EvalOnSelectorAsync<string>("body", "e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("rgb(68, 147, 248)", await dark.EvalOnSelectorAsync<string>("svg.weekly-bars rect.bar:not(.empty)", "e => getComputedStyle(e).fill"));
    }

    [Fact]
    public async Task Every_page_fits_a_375px_phone_without_sideways_scrolling_and_is_saved_as_screenshots()
    {
        foreach (var width in Widths)
        {
            var page = await site.OpenAsync(width);
            foreach (var (name, path) in site.Pages)
            {
                var response = await page.GotoAsync(site.Url(path));
                // Against the device's width, not innerWidth: a phone's layout viewport widens to fit content that overflows.
                var wider = await page.EvaluateAsync<string[]>(
                    "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.tagName + '.' + e.className.baseVal + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5)", width);
                var overflow = await page.EvaluateAsync<bool>("w => document.documentElement.scrollWidth > w", width);
                var file = Path.Combine(GroupSite.Artefacts, $"{name}-{width}.png");
                await page.ScreenshotAsync(new() { Path = file, FullPage = true });

                Assert.Equal(200, response!.Status);
                Assert.False(overflow, $"{name} is wider than {width}px: {string.Join(", ", wider)}");
                Assert.True(new FileInfo(file).Length > 0, $"no screenshot of {name} at {width}px");
            }
        }
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_problem_on_any_page_in_either_scheme()
    {
        var axe = Path.Combine(Solution(), "tests", "ReadingBot.Host.Tests", "js", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"axe-core is not installed: run `npm ci` in {Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(axe)))} (CI does this in .ci/install).");
        var problems = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var width in Widths)
            {
                // Only the test injects axe, so only its context lifts the page's script ban.
                var page = await site.OpenAsync(width, scheme, bypassCsp: true);
                foreach (var (name, path) in site.Pages)
                {
                    await page.GotoAsync(site.Url(path));
                    await page.AddScriptTagAsync(new() { Path = axe });
                    var result = await page.EvaluateAsync<JsonElement>(
                        "async () => { const r = await axe.run(document); return { passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) })) }; }");
                    // Rules that passed prove axe ran on the page rather than on nothing.
                    Assert.True(result.GetProperty("passes").GetInt32() > 10, $"axe checked almost nothing on {name}");
                    problems.AddRange(result.GetProperty("violations").EnumerateArray()
                        .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
                        .Select(v => $"{name} {width}px {scheme}: {v.GetProperty("id").GetString()} ({v.GetProperty("help").GetString()}) at {v.GetProperty("nodes")}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static async Task<List<LocatorBoundingBoxResult>> Boxes(ILocator locator)
    {
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var element in await locator.AllAsync())
        {
            if (await element.IsVisibleAsync() && await element.BoundingBoxAsync() is { Width: > 0 } box)
            {
                boxes.Add(box);
            }
        }

        return boxes;
    }

    private static void AssertApart(List<LocatorBoundingBoxResult> boxes, string what)
    {
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
                Assert.False(overlap, $"{what} {i} and {j} overlap: ({a.X:0.0},{a.Y:0.0} {a.Width:0.0}×{a.Height:0.0}) and ({b.X:0.0},{b.Y:0.0} {b.Width:0.0}×{b.Height:0.0})");
            }
        }
    }

    private static string Solution()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReadingBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ReadingBot.sln not found above the test binaries");
    }
}
