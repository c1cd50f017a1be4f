using Microsoft.Playwright;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// A real browser (Debian's headless Chromium, driven by Playwright) opens a member's page on a phone-sized screen.
/// CI installs Chromium (.ci/install), so a missing browser fails the test rather than skipping it.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private WebHarness web = null!;

    public async Task InitializeAsync()
    {
        web = await WebHarness.StartAsync();
        await web.SendAsync("/paper add https://example.org/a Attention Is All You Need");
        await web.SendAsync("/paper add https://example.org/b <script>alert(1)</script> <img src=x onerror=alert(2)>");
        await web.SendAsync("/paper suggest #2 see <b>this</b>");
    }

    public async Task DisposeAsync() => await web.DisposeAsync();

    [Fact]
    public async Task Chromium_shows_the_page_styled_on_a_phone_screen_and_runs_no_injected_markup()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it with apt-get install -y chromium (.ci/install does).");
        var path = await web.DashboardPathAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true });
        var messages = new List<string>();
        var dialogs = 0;
        page.Console += (_, m) => messages.Add(m.Text);
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);

        var home = await page.GotoAsync(new Uri(web.Client.BaseAddress!, path).ToString());
        var library = await page.GotoAsync(new Uri(web.Client.BaseAddress!, path + "library").ToString());
        var header = await page.EvalOnSelectorAsync<string>("header", "e => getComputedStyle(e).backgroundColor");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        var text = await page.InnerTextAsync("main");

        Assert.Equal(200, home!.Status);
        Assert.Equal(200, library!.Status);
        Assert.Equal("rgb(36, 41, 47)", header);
        Assert.False(overflow, "the page is wider than a phone screen");
        Assert.Contains("<script>alert(1)</script>", text, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
        Assert.Equal(0, dialogs);
        Assert.DoesNotContain(messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.All(requests, r => Assert.StartsWith(web.Client.BaseAddress!.ToString(), r, StringComparison.Ordinal));
    }
}
