using System.Text.Json.Nodes;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Rendering;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

public sealed class BlockKitRendererTests
{
    private static readonly Reply[] Samples =
    [
        new TextReply("plain & simple <!channel>"),
        new ErrorReply("no <@U1> & no <!here>"),
        new CardReply(new Card("<!channel> Attention", "https://arxiv.org/abs/1706.03762|<!here>")
        {
            Subtitle = "Vaswani <b>",
            Fields = Enumerable.Range(0, 23).Select(i => new CardField($"k{i} <x>", new string('v', 2500))).ToList(),
            Body = string.Join("\n", Enumerable.Range(0, 400).Select(i => $"line {i} & more")),
            Buttons = Enumerable.Range(0, 40).Select(i => new ReplyButton(new string('L', 90) + "<", "paper vote #1")).ToList(),
            Footer = "footer <!everyone>",
        }),
        new ListReply("Leaderboard <!channel>", Enumerable.Range(1, 300).Select(i => new ListItem($"member {i} <!here>", i % 2 == 0 ? $"https://example.org/{i}" : null, new ReplyButton("Show", $"streak {i}"))).ToList(), Footer: "page 1"),
        new ListReply("Queue", []),
        new FileReply("export.csv", "text/csv", [1, 2, 3], "Your export"),
    ];

    public static TheoryData<int> SampleIndexes() => new(Enumerable.Range(0, Samples.Length));

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Every_reply_fits_slacks_block_limits(int index)
    {
        var message = BlockKitRenderer.Render(Samples[index]);

        Assert.Null(SlackEmulator.ValidateBlocks(message.Blocks!, 50));
        Assert.InRange(message.Text.Length, 1, 3000);
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void No_user_text_can_become_a_mention(int index)
    {
        var strings = SlackJson.Strings(BlockKitRenderer.Render(Samples[index], heading: "<!channel> heading").ToJson());
        Assert.Contains("&lt;!channel&gt;", strings, StringComparison.Ordinal);

        foreach (var markup in new[] { "<!channel>", "<!here>", "<!everyone>", "<@U1>", "<b>", "<x>" })
        {
            Assert.DoesNotContain(markup, strings, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Escaping_covers_exactly_the_three_control_characters()
    {
        Assert.Equal("a &amp; b &lt;!here&gt; \"c\" 'd'", SlackText.Escape("a & b <!here> \"c\" 'd'"));
        Assert.Equal("a & b <x>", SlackText.Unescape("a &amp; b &lt;x&gt;"));
    }

    [Fact]
    public void A_link_cannot_be_broken_out_of()
    {
        Assert.Equal("<https://e.org/a%7C&lt;!here&gt;|title &amp; co>", SlackText.Link("https://e.org/a|<!here>", "title & co"));
    }

    [Fact]
    public void Buttons_carry_their_command_line_under_unique_action_ids()
    {
        var card = new Card("t") { Buttons = [new ReplyButton("Vote", "paper vote #1"), new ReplyButton("Vote again", "paper vote #1")] };

        var actions = BlockKitRenderer.Render(new CardReply(card)).Blocks!.OfType<JsonObject>().Single(b => b["type"]!.ToString() == "actions");
        var buttons = actions["elements"]!.AsArray().OfType<JsonObject>().ToList();

        Assert.All(buttons, b => Assert.Equal("paper vote #1", b["value"]!.ToString()));
        Assert.All(buttons, b => Assert.StartsWith(BlockKitRenderer.CommandActionPrefix, b["action_id"]!.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, buttons.Select(b => b["action_id"]!.ToString()).Distinct().Count());
    }

    [Fact]
    public void Errors_and_ephemeral_replies_go_only_to_the_member_and_the_rest_in_channel()
    {
        Assert.Equal("ephemeral", SlackInboundProcessor.ResponseMessage(new ErrorReply("no"))["response_type"]!.ToString());
        Assert.Equal("ephemeral", SlackInboundProcessor.ResponseMessage(new TextReply("mine") { Ephemeral = true })["response_type"]!.ToString());
        Assert.Equal("in_channel", SlackInboundProcessor.ResponseMessage(new TextReply("ours"))["response_type"]!.ToString());
    }
}
