using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;
using ReadingBot.Discord.Rendering;
using ReadingBot.Slack.Rendering;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Replies;

public sealed class TimesInRepliesTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    /// <summary>
    /// Every reply and scheduled post that states a time, made by driving one Berlin group through a week: each with
    /// the instant it must carry.
    /// </summary>
    private static async Task<List<(string What, Reply Reply, DateTimeOffset Expected)>> EveryReplyWithATime()
    {
        using var bot = TestBot.Create(start: Utc(2026, 11, 20, 12));
        var found = new List<(string, Reply, DateTimeOffset)>();
        var meeting = Utc(2026, 11, 26, 17);
        var wayrCloses = Utc(2026, 11, 29, 19);
        await bot.SendAsync("/settings timezone Europe/Berlin", "mod", moderator: true);
        await bot.SendAsync("/settings meeting thursday 18:00", "mod", moderator: true);
        await bot.SendAsync("/settings reminders 1d", "mod", moderator: true);
        found.Add(("/week schedule", await bot.SendAsync("/week schedule monday 09:00 Europe/Berlin", "mod", moderator: true), Utc(2026, 11, 23, 8)));
        found.Add(("/week pick", await bot.SendAsync("/week pick 1706.03762", "mod", moderator: true), Utc(2026, 11, 23, 8)));
        found.Add(("/week", await bot.SendAsync("/week"), meeting));

        bot.Time.SetUtcNow(Utc(2026, 11, 23, 8));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        found.Add(("the announcement", bot.Outbound.Posts.Select(p => p.Content).OfType<CardReply>().Single(c => c.Card.Title.StartsWith("Paper of the week", StringComparison.Ordinal)), meeting));
        found.Add(("the WAYR thread opening", bot.Outbound.Posts.Select(p => p.Content).OfType<CardReply>().Single(c => c.Card.Title.StartsWith("What Are You Reading", StringComparison.Ordinal)), wayrCloses));
        found.Add(("/streak", await bot.SendAsync("/streak", "alice"), wayrCloses));

        bot.Time.SetUtcNow(Utc(2026, 11, 25, 17));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        found.Add(("the reminder", bot.Outbound.Posts.Select(p => p.Content).OfType<TextReply>().Single(t => t.Text.StartsWith("Reminder", StringComparison.Ordinal)), meeting));

        bot.Time.SetUtcNow(Utc(2026, 11, 29, 19));
        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
        bot.Time.SetUtcNow(Utc(2026, 11, 29, 19, 30));
        found.Add(("/wayr after the close", await bot.SendAsync("/wayr a late note that is long enough to count anyway"), Utc(2026, 11, 30, 7)));
        await bot.SendAsync("/streak correct alice 2026-W48 kept she was travelling", "mod", moderator: true);
        found.Add(("/streak audit", await bot.SendAsync("/streak audit", "mod", moderator: true), Utc(2026, 11, 29, 19, 30)));
        return found;
    }

    private static IEnumerable<string?> Texts(Reply reply) => reply switch
    {
        TextReply t => [t.Text],
        ErrorReply e => [e.Message],
        CardReply { Card: var c } => [c.Title, c.Subtitle, c.Body, c.Footer, .. c.Fields.Select(f => f.Value)],
        ListReply l => [l.Title, l.Footer, .. l.Items.Select(i => i.Text)],
        _ => [],
    };

    [Fact]
    public async Task Every_reply_with_a_time_shows_it_in_each_readers_zone_on_discord_and_slack_and_names_the_zone_elsewhere()
    {
        var replies = await EveryReplyWithATime();

        Assert.Equal(9, replies.Count);
        foreach (var (what, reply, expected) in replies)
        {
            var moments = Texts(reply).SelectMany(Moment.In).ToList();
            var unix = expected.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var discord = MessageRenderer.Render(reply).Body.ToJsonString(Readable);
            var slack = BlockKitRenderer.Render(reply).Blocks!.ToJsonString(Readable);
            var plain = PlainTextRenderer.Render(reply);

            Assert.True(moments.Any(m => m.Instant == expected), $"{what} carries no moment for {expected:O}: {plain}");
            Assert.True(discord.Contains($"<t:{unix}:F>", StringComparison.Ordinal), $"{what} on Discord: {discord}");
            Assert.True(slack.Contains($"<!date^{unix}^{{date_short_pretty}} at {{time}}|", StringComparison.Ordinal), $"{what} on Slack: {slack}");
            Assert.True(plain.Contains(new Moment(expected, moments[0].Zone).PlainText, StringComparison.Ordinal), $"{what} as plain text: {plain}");
            Assert.Contains("(Europe/Berlin)", plain, StringComparison.Ordinal);
            Assert.DoesNotContain('\uE000', plain + discord + slack + BlockKitRenderer.Render(reply).Text);
        }
    }

    [Fact]
    public void A_time_still_ahead_also_says_how_far_away_on_discord()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var reply = new TextReply($"We meet {new Moment(Utc(2026, 12, 10, 17), berlin, WithRelative: true)}.");

        var content = MessageRenderer.Render(reply).Body["content"]!.GetValue<string>();

        Assert.Equal("We meet <t:1796922000:F> (<t:1796922000:R>).", content);
    }

    [Fact]
    public void The_slack_fallback_is_the_groups_zone_and_named()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal("<!date^1796922000^{date_short_pretty} at {time}|Thu 10 Dec 2026 18:00 (Europe/Berlin)>", SlackText.Mrkdwn(new Moment(Utc(2026, 12, 10, 17), berlin).ToString()));
        Assert.Equal("Thu 10 Dec 2026 18:00 (Europe/Berlin)", PlainTextRenderer.Render(new TextReply(new Moment(Utc(2026, 12, 10, 17), berlin).ToString())));
    }

    [Fact]
    public void Markup_only_goes_where_the_platform_renders_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var at = new Moment(Utc(2026, 12, 10, 17), berlin).ToString();
        var card = new CardReply(new Card($"Meeting {at}") { Footer = $"Closes {at}", Buttons = [new ReplyButton($"At {at}", "week")] });

        var discord = MessageRenderer.Render(card).Body;
        var slack = BlockKitRenderer.Render(card);

        Assert.Equal("Meeting Thu 10 Dec 2026 18:00 (Europe/Berlin)", discord["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("Closes Thu 10 Dec 2026 18:00 (Europe/Berlin)", discord["embeds"]![0]!["footer"]!["text"]!.GetValue<string>());
        Assert.Equal("At Thu 10 Dec 2026 18:00 (Europe/Berlin)", discord["components"]![0]!["components"]![0]!["label"]!.GetValue<string>());
        Assert.Contains("At Thu 10 Dec 2026 18:00 (Europe/Berlin)", slack.Blocks!.ToJsonString(Readable), StringComparison.Ordinal);
        Assert.Equal("Meeting Thu 10 Dec 2026 18:00 (Europe/Berlin)\n[At Thu 10 Dec 2026 18:00 (Europe/Berlin)] /week\nCloses Thu 10 Dec 2026 18:00 (Europe/Berlin)", PlainTextRenderer.Render(card));
    }

    [Fact]
    public void Escaping_never_touches_a_zone_name_and_a_malformed_token_is_dropped()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var reply = new TextReply($"a_b {new Moment(Utc(2026, 12, 10, 17), newYork)} \uE000junk\uE001 end");

        Assert.Equal("a\\_b <t:1796922000:F>  end", MessageRenderer.Render(reply).Body["content"]!.GetValue<string>());
        Assert.Equal("a_b Thu 10 Dec 2026 12:00 (America/New_York)  end", PlainTextRenderer.Render(reply));
    }
}
