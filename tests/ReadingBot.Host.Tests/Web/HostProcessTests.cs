using System.Text.RegularExpressions;
using ReadingBot.Host.Web;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests.Web;

/// <summary>The built host as its own process: /dashboard in the local chat, then the link it printed, over real HTTP.</summary>
public sealed partial class HostProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("readingbot-web-host-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/g/[A-Za-z0-9_\-.]+/")]
    private static partial Regex MemberLink();

    [Fact]
    public async Task The_running_bot_prints_a_dashboard_link_that_opens_the_group_page()
    {
        await using var bot = LiveBot.Start(directory);
        await bot.SendAsync("/paper add https://example.org/p Attention Is All You Need");
        await bot.SendAsync("/dashboard");
        await bot.WaitForAsync("/g/", TimeSpan.FromSeconds(60));
        var link = MemberLink().Match(bot.Output);
        Assert.True(link.Success, bot.Output);

        using var client = new HttpClient();
        var response = await client.GetAsync(new Uri(link.Value + "library"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Attention Is All You Need", body, StringComparison.Ordinal);
        Assert.Equal(Html.ContentSecurityPolicy, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(32, new FileInfo(Path.Combine(directory, WebSecret.FileName)).Length);
        Assert.Equal(0, await bot.StopAsync());
    }
}
