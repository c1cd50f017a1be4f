using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// A group with a closed WAYR week (digest, standings) and a new week under way, built through the command dispatcher
/// and the weekly scheduler, and Debian's Chromium (through Playwright) to look at its pages. Shared by the browser
/// tests of one class: they only read the pages.
/// </summary>
public sealed class GroupSite : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Name = "Transformers Reading Club";
    public const string ThisWeeksTitle = "Deep Residual Learning for Image Recognition";

    private IPlaywright? playwright;

    public WebHarness Web { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The member link's base path, ending in <c>/</c>.</summary>
    public string Home { get; private set; } = "";

    /// <summary>Each page a member opens, by a short name for its screenshot.</summary>
    public IReadOnlyList<(string Name, string Path)> Pages { get; private set; } = [];

    /// <summary>Where the screenshots go: a folder of the test output, kept as the run's artefacts.</summary>
    public static string Artefacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "web");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install it with apt-get install -y chromium (.ci/install does).");
        Web = await WebHarness.StartAsync();
        var zone = TimeZoneInfo.Utc;
        await Web.SendAsync($"/settings name {Name}", "alice", moderator: true);
        await Web.SendAsync("/paper add https://example.org/attention Attention Is All You Need");
        await Web.SendAsync($"/paper add https://example.org/resnet {ThisWeeksTitle}", "bob");
        await Web.SendAsync("/paper add https://example.org/bert BERT: Pre-training of Deep Bidirectional Transformers", "carol");
        await Web.SendAsync("/paper add https://example.org/evil <script>alert(1)</script> <img src=x onerror=alert(2)>", "bob");
        await Web.SendAsync("/paper suggest #2 the classic on skip connections", "bob");
        await Web.SendAsync("/paper suggest #3 because everyone uses it", "carol");
        await Web.SendAsync("/paper suggest #4 see <b>this</b>", "bob");
        await Web.SendAsync("/paper vote #3", "alice");
        await Web.SendAsync("/paper vote #3", "bob");
        await Web.SendAsync("/paper vote #2", "alice");

        // Week 48: the group reads #1, posts to WAYR and the week closes with its digest and standings.
        await Web.SendAsync("/week pick #1 2026-W48", "alice", moderator: true);
        await Web.SendAsync("/discuss the scaled dot product is the key idea", "carol");
        await Web.SendAsync("/wayr #1 read: loved the attention figure", "alice");
        await Web.SendAsync("/wayr #1 skimmed the decoder part", "carol");
        await Web.SendAsync("/wayr a long enough note about the papers I read on the train", "bob");
        await Web.SendAsync("/read #1 done", "alice");
        await Web.SendAsync("/read #1 pass2", "carol");
        await Web.SendAsync("/week pick #2 2026-W49", "alice", moderator: true);
        Web.Time.SetUtcNow(WeeklySchedule.ToInstant(new WeekKey(2026, 48).Monday.AddDays(6), new TimeOnly(20, 0), zone));
        await Web.Services.GetRequiredService<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        // Week 49 under way: #2 is this week's paper and members are reading.
        Web.Time.SetUtcNow(WeeklySchedule.ToInstant(new WeekKey(2026, 49).Monday.AddDays(1), new TimeOnly(10, 0), zone));
        await Web.Services.GetRequiredService<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        await Web.SendAsync("/wayr #2 reading: the first half", "bob");
        await Web.SendAsync("/wayr #3 reading", "alice");
        await Web.SendAsync("/discuss skip connections make depth trainable", "alice");

        Home = await Web.DashboardPathAsync();
        Pages =
        [
            ("home", Home), ("wayr-this-week", Home + "wayr"), ("wayr-closed-week", Home + "wayr?week=2026-W48"),
            ("paper", Home + "papers/1"), ("member", Home + "members/alice"), ("library", Home + "library"),
        ];
        Directory.CreateDirectory(Artefacts);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
    }

    public string Url(string path) => new Uri(Web.Client.BaseAddress!, path).ToString();

    /// <summary>A fresh page of the given width (a phone below 600 px), in the given colour scheme.</summary>
    public async Task<IPage> OpenAsync(int width, ColorScheme scheme = ColorScheme.Light, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = 900 },
            IsMobile = width < 600,
            ColorScheme = scheme,
            BypassCSP = bypassCsp,
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Web.DisposeAsync();
    }
}
