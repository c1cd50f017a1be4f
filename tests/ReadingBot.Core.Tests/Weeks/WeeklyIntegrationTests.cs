using System.Text;
using System.Xml.Linq;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class WeeklyIntegrationTests : IDisposable
{
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task Discussion_notes_make_their_paper_searchable()
    {
        await bot.SendAsync("/paper add 1512.03385 Deep Residual Learning");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);
        Assert.DoesNotContain("#2", await bot.TextAsync("/paper search zebrafish"), StringComparison.Ordinal);

        await bot.SendAsync("/discuss reminds me of zebrafish retina wiring");
        var found = await bot.TextAsync("/paper search zebrafish");

        Assert.Contains("#2", found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_library_index_loaded_from_the_store_has_the_notes_of_each_paper_and_only_of_it()
    {
        await bot.SendAsync("/paper add 1512.03385 Deep Residual Learning");
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);
        await bot.SendAsync("/discuss reminds me of zebrafish retina wiring");
        await bot.SendAsync("/wayr 1512.03385 read: the okapi of architectures", "alice");

        // As after a restart: the index is built from the store in one pass over the library.
        bot.Get<PaperSearchIndex>().Forget(TestBot.LocalGroup.Id);

        var zebrafish = await bot.TextAsync("/paper search zebrafish");
        var okapi = await bot.TextAsync("/paper search okapi");
        Assert.Contains("#2", zebrafish, StringComparison.Ordinal);
        Assert.DoesNotContain("#1 ", zebrafish, StringComparison.Ordinal);
        Assert.Contains("#1", okapi, StringComparison.Ordinal);
        Assert.DoesNotContain("#2", okapi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_paper_card_shows_wayr_mentions_and_who_read_it_how_far()
    {
        await bot.SendAsync("/wayr 1706.03762 read: clear", "alice");
        await bot.SendAsync("/read #1 pass2", "bob");
        await bot.SendAsync("/read #1 done", "alice");

        var card = Assert.IsType<CardReply>(await bot.SendAsync("/paper show #1")).Card;

        Assert.Contains(card.Fields, f => f.Name == "WAYR mentions" && f.Value == "1 post (alice: read)");
        Assert.Contains(card.Fields, f => f.Name == "Reading" && f.Value == "alice: done, bob: the second pass");
    }

    [Fact]
    public async Task The_calendar_export_has_the_weekly_session_at_local_time_with_its_zone()
    {
        await bot.SendAsync("/settings timezone Europe/Berlin", "mod", moderator: true);
        await bot.SendAsync("/week pick 1706.03762 2027-W13", "mod", moderator: true);
        await bot.SendAsync("/week pick 1512.03385 2027-W12", "mod", moderator: true);

        var ics = Encoding.UTF8.GetString(Assert.IsType<FileReply>(await bot.SendAsync("/export ics")).Content);

        // Thursday 18:00 in Berlin: CET on 2027-03-25, CEST (after the 2027-03-28 change) on 2027-04-01.
        Assert.Contains("BEGIN:VTIMEZONE", ics, StringComparison.Ordinal);
        Assert.Contains("20270325T180000", ics, StringComparison.Ordinal);
        Assert.Contains("20270401T180000", ics, StringComparison.Ordinal);
        Assert.Contains("Reading group: #1 Attention Is All You Need", ics, StringComparison.Ordinal);
        // One UID a session, with the bot's domain once: "…/2027-W13@readingbot", not "…@readingbot@readingbot".
        var uids = ics.Split("\r\n").Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, uids.Length);
        Assert.All(uids, uid => Assert.Single(uid, '@'));
        Assert.Contains(uids, uid => uid.EndsWith("/2027-W13@readingbot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_exports_on_one_day_get_two_file_names()
    {
        var first = Assert.IsType<FileReply>(await bot.SendAsync("/export markdown"));
        bot.Time.Advance(TimeSpan.FromMinutes(3));
        var second = Assert.IsType<FileReply>(await bot.SendAsync("/export markdown"));

        Assert.NotEqual(first.FileName, second.FileName);
        Assert.Matches("^library-[0-9]{8}-[0-9]{6}\\.md$", first.FileName);
    }

    [Fact]
    public async Task The_json_export_holds_everything_the_group_stored_and_only_that_group()
    {
        await bot.SendAsync("/paper suggest 1706.03762 the transformer", "alice");
        await bot.SendAsync("/paper vote #1", "bob");
        await bot.SendAsync("/wayr #1 read: clear", "bob");
        await bot.SendAsync("/read #1 done", "bob");
        await bot.SendAsync("/settings timezone Europe/Berlin", "mod", moderator: true);
        await bot.SendAsync("/paper add 1512.03385 Other group's paper", group: new Groups.GroupAddress(Groups.Platforms.Discord, "other"));

        var json = Encoding.UTF8.GetString(Assert.IsType<FileReply>(await bot.SendAsync("/export json")).Content);
        var archive = System.Text.Json.Nodes.JsonNode.Parse(json)!["archive"]!;

        Assert.Equal("Europe/Berlin", archive["groups"]![0]!["settings"]!["timezone"]!.GetValue<string>());
        Assert.Equal("bob", archive["suggestions"]![0]!["voters"]![0]!.GetValue<string>());
        Assert.Equal("clear", archive["wayrPosts"]![0]!["note"]!.GetValue<string>());
        Assert.Equal("Done", archive["progress"]![0]!["pass"]!.GetValue<string>());
        Assert.Equal(3, archive["members"]!.AsArray().Count);
        Assert.DoesNotContain("Other group's paper", json, StringComparison.Ordinal);
        Assert.Single(ReadingBot.Core.Exports.JsonExport.ReadJson(json));
    }

    [Fact]
    public async Task The_feed_export_has_announced_picks_and_digests()
    {
        await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true);
        await bot.SendAsync("/wayr a long enough note about what I read this week", "alice");
        bot.Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        var atom = XDocument.Parse(Encoding.UTF8.GetString(Assert.IsType<FileReply>(await bot.SendAsync("/export rss")).Content));
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var titles = atom.Root!.Elements(ns + "entry").Select(e => e.Element(ns + "title")!.Value).ToList();

        Assert.Contains("Paper of the week 2026-W48: Attention Is All You Need", titles);
        Assert.Contains("WAYR #1 digest — 2026-W48", titles);
    }
}
