using Microsoft.Extensions.Options;

namespace ReadingBot.Host.Tests.Web;

public sealed class WebSettingsTests
{
    [Fact]
    public async Task Link_lifetime_and_public_base_url_come_from_configuration()
    {
        await using var web = await WebHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Web:LinkLifetimeHours"] = "2",
            ["Web:PublicBaseUrl"] = "https://reading.example.org/",
        });
        await web.SendAsync("/help");

        var reply = await web.TextAsync("/dashboard");
        var path = WebHarness.PathIn(reply, "g");
        web.Time.Advance(TimeSpan.FromHours(1.9));
        var before = (await web.GetAsync(path)).Status;
        web.Time.Advance(TimeSpan.FromHours(0.2));

        Assert.Contains("https://reading.example.org/g/", reply, StringComparison.Ordinal);
        Assert.Equal(200, before);
        Assert.Equal(404, (await web.GetAsync(path)).Status);
    }

    [Theory]
    [InlineData("Web:LinkLifetimeHours", "0", "Web:LinkLifetimeHours")]
    [InlineData("Web:PublicBaseUrl", "ftp://example.org", "Web:PublicBaseUrl")]
    public async Task Bad_web_settings_stop_the_start_with_the_key_named(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => WebHarness.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_page_leaves_out_members_who_left_the_leaderboard()
    {
        await using var web = await WebHarness.StartAsync();
        await web.SendAsync("/settings leaderboard off", "shy");
        await web.SendAsync("/settings public-page on", "alice", moderator: true);
        var publicPath = WebHarness.PathIn(await web.TextAsync("/dashboard"), "p");

        var (_, home, _) = await web.GetAsync(publicPath);
        var (_, memberHome, _) = await web.GetAsync(await web.DashboardPathAsync());

        Assert.Contains("/members/alice\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("/members/shy\"", home, StringComparison.Ordinal);
        Assert.Equal(404, (await web.GetAsync(publicPath + "members/shy")).Status);
        Assert.Contains("/members/shy\"", memberHome, StringComparison.Ordinal);
    }
}
