using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// <c>/paper import</c> end to end: one group's <c>library.json</c> feed link, at the address the bot's own web server
/// bound, read by another group's import from the store after its signature is checked. The paper sources point at a
/// closed loopback port, so nothing leaves the machine.
/// </summary>
public sealed class FeedImportTests
{
    private const string Closed = "http://127.0.0.1:9";

    [Fact]
    public async Task A_group_imports_another_groups_library_from_its_feed_link_and_a_revoked_link_imports_nothing()
    {
        await using var web = await WebHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Papers:Enabled"] = "true",
            ["Papers:AllowPrivateAddresses"] = "false",
            ["Papers:Arxiv:BaseUrl"] = Closed,
            ["Papers:SemanticScholar:BaseUrl"] = Closed,
            ["Papers:Crossref:BaseUrl"] = Closed,
            ["Papers:OpenReview:BaseUrl"] = Closed,
        });
        await web.SendAsync($"/paper add {Closed}/notes/attention Reading notes on attention", group: WebHarness.GroupA);
        await web.SendAsync($"/paper add {Closed}/notes/resnet Residual networks explained", group: WebHarness.GroupA);
        var feed = WebHarness.PathIn(await web.TextAsync("/dashboard feeds", group: WebHarness.GroupA), "f", "library.json");
        var link = new Uri(web.Client.BaseAddress!, feed).ToString();

        var reply = await web.TextAsync($"/paper import {link}", "zed", moderator: true, group: WebHarness.GroupB);
        var list = await web.TextAsync("/paper list", "zed", group: WebHarness.GroupB);
        await web.SendAsync("/dashboard feeds reset", "alice", moderator: true, group: WebHarness.GroupA);
        web.Time.Advance(TimeSpan.FromMinutes(2));
        var revoked = await web.TextAsync($"/paper import {link}", "yan", moderator: true, group: new Core.Groups.GroupAddress(Core.Groups.Platforms.Local, "team-c"));

        Assert.Contains("Imported 2 papers as #1–#2; 0 papers were already in the library.", reply, StringComparison.Ordinal);
        Assert.Contains("#1 Reading notes on attention", list, StringComparison.Ordinal);
        Assert.Contains("#2 Residual networks explained", list, StringComparison.Ordinal);
        Assert.Equal("zed", web.Services.GetRequiredService<ILibraryStore>().FindByNumber(WebHarness.GroupB.Id, 1)!.AddedBy);
        Assert.Contains("That library.json link of this bot does not work: it is mistyped, or its group reset its feed links.", revoked, StringComparison.Ordinal);
    }
}
