using System.Text.Json.Nodes;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Rendering;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Every built command, end to end: emulator envelope → Socket Mode → dispatcher → ack payload or response_url.</summary>
public sealed class SlashCommandTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private async Task<JsonObject> RunAsync(string text, string user = SlackEmulator.Alice, string teamId = SlackEmulator.DefaultTeam)
    {
        var delivery = await emulator.SlashCommandAsync(text, user, teamId: teamId);
        var response = await delivery.WaitForResponseAsync();
        var ack = Assert.Single(delivery.Acks);
        Assert.False(ack.Late, "the ack came after Slack's deadline");
        Assert.True(emulator.Violations.Count == 0, string.Join("\n", emulator.Violations));
        return response;
    }

    private static string Text(JsonObject response) => SlackJson.Strings(response);

    [Fact]
    public async Task Empty_text_answers_with_help_only_to_the_member()
    {
        var response = await RunAsync("");

        Assert.Equal("ephemeral", response["response_type"]!.ToString());
        Assert.Contains("ReadingBot commands", Text(response));
        Assert.Contains("paper add", Text(response));
    }

    [Fact]
    public async Task Help_answers_with_the_command_list()
    {
        var response = await RunAsync("help");

        Assert.Contains("ReadingBot commands", Text(response));
        Assert.Equal("ephemeral", response["response_type"]!.ToString());
    }

    [Fact]
    public async Task Help_for_one_command_explains_its_options()
    {
        var response = await RunAsync("help paper add");

        Assert.Contains("add a paper to the library", Text(response));
    }

    [Fact]
    public async Task Paper_add_answers_in_channel_and_the_ack_carries_the_reply()
    {
        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");
        var response = await delivery.WaitForResponseAsync();

        Assert.Equal("in_channel", response["response_type"]!.ToString());
        Assert.Contains("Added #1", Text(response));
        Assert.NotNull(delivery.Acks.Single().Payload);
        Assert.Contains(emulator.MessagesIn(SlackEmulator.GeneralChannel), m => m.Text.Contains("Added #1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paper_show_and_list_find_what_was_added()
    {
        var key = PaperRefParser.Parse("1706.03762").Reference!.Key;
        bot.Metadata.Answers[key] = new MetadataResult.Found(Paper.Pending(PaperRef.FromKey(key)) with { Title = "Attention Is All You Need", Authors = ["Vaswani"], Year = 2017 });
        await RunAsync("paper add 1706.03762");

        var shown = await RunAsync("paper show #1");
        var listed = await RunAsync("paper list");

        Assert.Contains("Attention Is All You Need", Text(shown));
        Assert.Contains("Vaswani", Text(shown));
        Assert.Contains("Library (1 paper)", Text(listed));
        Assert.Contains("Attention Is All You Need", Text(listed));
    }

    [Fact]
    public async Task Settings_show_lists_the_settings()
    {
        var response = await RunAsync("settings");

        Assert.Contains("timezone", Text(response));
    }

    [Fact]
    public async Task A_workspace_admin_sets_the_home_channel_from_a_channel_mention()
    {
        var response = await RunAsync("settings channel <#C0GENERAL|general>", SlackEmulator.Admin);

        Assert.DoesNotContain(":warning:", Text(response));
        var group = bot.Get<ReadingBot.Core.Groups.IGroupStore>().Find(new ReadingBot.Core.Groups.GroupAddress("slack", SlackEmulator.DefaultTeam).Id)!;
        Assert.Equal("C0GENERAL", group.Settings["channel"]);
    }

    [Fact]
    public async Task A_regular_member_may_not_change_group_settings()
    {
        var response = await RunAsync("settings channel #general", SlackEmulator.Alice);

        Assert.Equal("ephemeral", response["response_type"]!.ToString());
        Assert.Contains(":warning:", Text(response));
    }

    [Fact]
    public async Task A_configured_moderator_may_change_group_settings()
    {
        var last = emulator.Sockets[^1];
        await bot.DisposeAsync();
        bot = await SlackTestBot.StartAsync(emulator, s => s["Slack:Moderators:0"] = SlackEmulator.Alice);
        await emulator.WaitForNewSocketAsync(last);

        var response = await RunAsync("settings timezone Europe/Berlin", SlackEmulator.Alice);

        Assert.DoesNotContain(":warning:", Text(response));
    }

    [Fact]
    public async Task Dashboard_answers_only_the_member_with_a_private_link()
    {
        var response = await RunAsync("dashboard");

        Assert.Contains("/g/", Text(response));
        Assert.Equal("ephemeral", response["response_type"]!.ToString());
    }

    [Theory]
    [InlineData("week show", "The paper of the week")]
    [InlineData("wayr post reading a long note about attention and its figures", "Posted to WAYR #1")]
    [InlineData("leaderboard", "No standings yet")]
    [InlineData("paper vote #1", "There is no paper #1")]
    public async Task Weekly_and_wayr_commands_answer_through_slack(string line, string expected)
    {
        var response = await RunAsync(line);

        Assert.Contains(expected, Text(response));
    }

    [Fact]
    public async Task Unknown_commands_get_an_ephemeral_error()
    {
        var response = await RunAsync("frobnicate now");

        Assert.Equal("ephemeral", response["response_type"]!.ToString());
        Assert.Contains("Unknown command", Text(response));
    }

    [Fact]
    public async Task A_title_holding_a_broadcast_renders_escaped_everywhere()
    {
        // A member's @channel arrives from Slack as real markup; it must come back inert.
        var delivery = await emulator.SlashCommandAsync("paper add 2101.00001 \"<!channel> <!here> <@U0ADMIN> & friends\"", encode: false);
        await delivery.WaitForResponseAsync();
        await RunAsync("paper show #1");
        await RunAsync("paper list");

        var visible = emulator.AllVisibleText().ToList();
        Assert.Contains(visible, t => t.Contains("&lt;!channel&gt;", StringComparison.Ordinal));
        Assert.DoesNotContain(visible, t => t.Contains("<!channel>", StringComparison.Ordinal) || t.Contains("<!here>", StringComparison.Ordinal) || t.Contains("<@U0ADMIN>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_button_press_runs_its_command_line()
    {
        await RunAsync("paper add 1706.03762");
        var rendered = BlockKitRenderer.Render(new ListReply("Queue", [new ListItem("#1", Button: new ReplyButton("Show", "paper show #1"))]));
        var button = rendered.Blocks!.OfType<JsonObject>().Select(b => b["accessory"]).OfType<JsonObject>().Single();

        var press = await emulator.PressButtonAsync(button);
        var response = await press.WaitForResponseAsync();

        Assert.Contains("#1", Text(response));
        Assert.Contains("arXiv", Text(response));
    }

    [Fact]
    public async Task A_slow_command_is_acked_empty_in_time_and_answered_through_response_url()
    {
        var last = emulator.Sockets[^1];
        await bot.DisposeAsync();
        bot = await SlackTestBot.StartAsync(emulator, s => s["Slack:InlineReplySeconds"] = "0.3");
        await emulator.WaitForNewSocketAsync(last);
        bot.Metadata.Delay = TimeSpan.FromSeconds(1);
        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");

        var ack = await delivery.WaitForAckAsync();
        var response = await delivery.WaitForResponseAsync();

        Assert.Null(ack.Payload);
        Assert.False(ack.Late);
        Assert.Contains("Added #1", Text(response));
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task A_different_slash_command_is_refused()
    {
        var delivery = await emulator.SlashCommandAsync("help", command: "/other");
        var response = await delivery.WaitForResponseAsync();

        Assert.Contains("/reading", Text(response));
        Assert.Equal("ephemeral", response["response_type"]!.ToString());
    }
}
