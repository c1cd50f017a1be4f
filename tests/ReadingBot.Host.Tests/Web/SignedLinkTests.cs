using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Groups;
using ReadingBot.Host.Web;

namespace ReadingBot.Host.Tests.Web;

public sealed class SignedLinkTests : IAsyncLifetime
{
    private WebHarness web = null!;

    public async Task InitializeAsync()
    {
        web = await WebHarness.StartAsync();
        await web.SendAsync("/paper add https://example.org/a Secret Paper Of Team A");
        await web.SendAsync("/paper add https://example.org/b Paper Of Team B", "zed", group: WebHarness.GroupB);
        await web.SendAsync("/help", "bob");
    }

    public async Task DisposeAsync() => await web.DisposeAsync();

    private static string Token(string path) => path.Split('/')[2];

    [Fact]
    public async Task The_dashboard_says_until_when_a_link_works_in_each_readers_zone()
    {
        await web.SendAsync("/settings timezone Europe/Berlin", "alice", moderator: true);
        var expires = web.Time.GetUtcNow().AddHours(24).ToUnixTimeSeconds();

        var reply = await web.SendAsync("/dashboard", "bob");

        Assert.Contains($"works until <t:{expires}:F>", ReadingBot.Discord.Rendering.MessageRenderer.Render(reply).Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"works until \w{3} \d+ \w{3} \d{4} \d{2}:\d{2} \(Europe/Berlin\); do not share it", ReadingBot.Core.Replies.PlainTextRenderer.Render(reply));
    }

    [Fact]
    public async Task A_link_works_until_its_lifetime_and_then_answers_a_plain_404()
    {
        var path = await web.DashboardPathAsync();

        web.Time.Advance(TimeSpan.FromHours(23.9));
        var before = await web.GetAsync(path);
        web.Time.Advance(TimeSpan.FromHours(0.2));
        var after = await web.GetAsync(path);

        Assert.Equal(200, before.Status);
        Assert.Equal(404, after.Status);
        Assert.Equal("Not found", after.Body);
    }

    [Fact]
    public async Task An_altered_signature_or_payload_answers_404()
    {
        var path = await web.DashboardPathAsync();
        var token = Token(path);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var flippedMac = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        var flippedPayload = (token[0] == 'b' ? 'c' : 'b') + token[1..];

        Assert.Equal(404, (await web.GetAsync($"/g/{flippedMac}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/g/{flippedPayload}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/g/{token[..dot]}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/p/{token}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/f/{token}/feed.atom")).Status);
    }

    [Fact]
    public async Task A_link_rewritten_to_another_member_or_group_answers_404()
    {
        var token = Token(await web.DashboardPathAsync());
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
        string Rewrite(string from, string to) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace(from, to, StringComparison.Ordinal))) + token[dot..];

        Assert.Equal(404, (await web.GetAsync($"/g/{Rewrite("\nalice\n", "\nbob\n")}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/g/{Rewrite(WebHarness.GroupA.Id.Value, WebHarness.GroupB.Id.Value)}/")).Status);
    }

    [Fact]
    public async Task A_correctly_signed_link_for_someone_who_is_not_a_member_answers_404()
    {
        var signer = web.Services.GetRequiredService<LinkSigner>();
        var stranger = signer.Sign(WebLinkKind.Member, WebHarness.GroupA.Id, "zed", web.Time.GetUtcNow().AddHours(1));
        var noGroup = signer.Sign(WebLinkKind.Member, new GroupId("local:nowhere"), "alice", web.Time.GetUtcNow().AddHours(1));

        Assert.Equal(404, (await web.GetAsync($"/g/{stranger}/")).Status);
        Assert.Equal(404, (await web.GetAsync($"/g/{noGroup}/")).Status);
    }

    [Fact]
    public async Task Each_group_link_shows_only_that_group()
    {
        var a = await web.DashboardPathAsync();
        var b = await web.DashboardPathAsync("zed", group: WebHarness.GroupB);

        var (_, libraryA, _) = await web.GetAsync(a + "library");
        var (_, libraryB, _) = await web.GetAsync(b + "library");
        var (_, searchB, _) = await web.GetAsync(b + "library?q=secret");

        Assert.Contains("Secret Paper Of Team A", libraryA, StringComparison.Ordinal);
        Assert.DoesNotContain("Paper Of Team B", libraryA, StringComparison.Ordinal);
        Assert.Contains("Paper Of Team B", libraryB, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret Paper", libraryB, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret Paper", searchB, StringComparison.Ordinal);
        Assert.Equal(404, (await web.GetAsync(b + "members/alice")).Status);
    }

    [Fact]
    public async Task A_moderator_turns_the_public_page_on_and_off_and_members_cannot()
    {
        var off = await web.TextAsync("/dashboard", "alice", moderator: true);
        Assert.Contains("/settings public-page on", off, StringComparison.Ordinal);
        Assert.Contains("Only moderators", await web.TextAsync("/settings public-page on", "bob"), StringComparison.Ordinal);

        await web.SendAsync("/settings public-page on", "alice", moderator: true);
        var publicPath = WebHarness.PathIn(await web.TextAsync("/dashboard", "bob"), "p");
        var open = await web.GetAsync(publicPath + "library");
        var again = WebHarness.PathIn(await web.TextAsync("/dashboard", "alice", moderator: true), "p");
        await web.SendAsync("/settings public-page off", "alice", moderator: true);
        var closed = await web.GetAsync(publicPath + "library");

        Assert.Equal(publicPath, again);
        Assert.Equal(200, open.Status);
        Assert.Contains("Secret Paper Of Team A", open.Body, StringComparison.Ordinal);
        Assert.Equal(404, closed.Status);
        Assert.Equal(404, (await web.GetAsync(publicPath.Replace("/p/", "/g/", StringComparison.Ordinal))).Status);
    }

    [Fact]
    public async Task Resetting_the_public_link_revokes_the_old_one_and_only_a_moderator_can()
    {
        Assert.Contains("A moderator can make it public", await web.TextAsync("/dashboard public", "bob"), StringComparison.Ordinal);
        await web.SendAsync("/settings public-page on", "alice", moderator: true);
        var first = WebHarness.PathIn(await web.TextAsync("/dashboard public", "bob"), "p");
        Assert.Equal(first, WebHarness.PathIn(await web.TextAsync("/dashboard", "bob"), "p"));
        Assert.Contains("Only moderators can reset the public page link", await web.TextAsync("/dashboard public reset", "bob"), StringComparison.Ordinal);
        Assert.Equal(200, (await web.GetAsync(first)).Status);

        var reset = await web.TextAsync("/dashboard public reset", "alice", moderator: true);
        var second = WebHarness.PathIn(reset, "p");
        var shown = WebHarness.PathIn(await web.TextAsync("/dashboard", "bob"), "p");
        var feed = WebHarness.PathIn(await web.TextAsync("/dashboard feeds", "bob"), "f", "feed.atom");

        Assert.Contains("The old public link no longer works", reset, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal(second, shown);
        Assert.Equal(404, (await web.GetAsync(first)).Status);
        Assert.Equal(404, (await web.GetAsync(first + "library")).Status);
        Assert.Equal(200, (await web.GetAsync(second + "library")).Status);
        Assert.Equal(200, (await web.GetAsync(feed)).Status);

        // Off and on again, the new link stays the one that works; a reset while off revokes it before it reopens.
        await web.SendAsync("/settings public-page off", "alice", moderator: true);
        var whileOff = await web.TextAsync("/dashboard public reset", "alice", moderator: true);
        await web.SendAsync("/settings public-page on", "alice", moderator: true);
        var third = WebHarness.PathIn(whileOff, "p");
        Assert.Contains("The page is off", whileOff, StringComparison.Ordinal);
        Assert.Equal(404, (await web.GetAsync(second)).Status);
        Assert.Equal(200, (await web.GetAsync(third)).Status);
    }

    [Fact]
    public async Task Resetting_the_feed_token_revokes_the_old_feed_links()
    {
        var first = WebHarness.PathIn(await web.TextAsync("/dashboard feeds", "bob"), "f", "feed.atom");
        Assert.Contains("Only moderators", await web.TextAsync("/dashboard feeds reset", "bob"), StringComparison.Ordinal);
        Assert.Equal(200, (await web.GetAsync(first)).Status);

        var reset = await web.TextAsync("/dashboard feeds reset", "alice", moderator: true);
        var second = WebHarness.PathIn(reset, "f", "feed.atom");

        Assert.NotEqual(first, second);
        Assert.Equal(404, (await web.GetAsync(first)).Status);
        Assert.Equal(404, (await web.GetAsync(first.Replace("feed.atom", "calendar.ics", StringComparison.Ordinal))).Status);
        Assert.Equal(200, (await web.GetAsync(second)).Status);
    }
}

public sealed class WebSecretTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("readingbot-web-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task The_secret_is_made_at_first_start_kept_owner_only_and_links_survive_a_restart()
    {
        string path;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using (var first = await WebHarness.StartAsync(directory, time))
        {
            Assert.Equal(32, new FileInfo(Path.Combine(directory, WebSecret.FileName)).Length);
            path = await first.DashboardPathAsync();
        }

        await using var second = await WebHarness.StartAsync(directory, time);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, WebSecret.FileName)));
        }

        Assert.Equal(200, (await second.GetAsync(path)).Status);
    }

    [Fact]
    public void On_a_shared_store_every_process_gets_the_secret_the_first_one_made()
    {
        using var database = ReadingBot.Storage.LiteDb.ReadingBotDatabase.OpenMemory();
        var state = new ReadingBot.Storage.LiteDb.LiteAdapterStateStore(database);

        var first = WebSecret.Shared(state).Key.ToArray();
        var second = WebSecret.Shared(state).Key.ToArray();

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(Convert.ToBase64String(first), state.Get(WebSecret.StateKey));
    }

    [Fact]
    public void A_damaged_shared_secret_is_refused_with_what_to_delete()
    {
        using var database = ReadingBot.Storage.LiteDb.ReadingBotDatabase.OpenMemory();
        var state = new ReadingBot.Storage.LiteDb.LiteAdapterStateStore(database);
        state.Set(WebSecret.StateKey, "c2hvcnQ=");

        var refused = Assert.Throws<InvalidOperationException>(() => WebSecret.Shared(state).Key.Length);

        Assert.Contains("web:link-secret", refused.Message, StringComparison.Ordinal);
    }
}
