using System.Text;
using System.Text.Json.Nodes;
using ReadingBot.Slack.Inbound;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Events API over HTTP: signatures (forged, stale, tampered → 401), url_verification, ssl_check, retries.</summary>
public sealed class HttpModeTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync()
    {
        emulator = await SlackEmulator.StartAsync(new SlackEmulatorOptions { Delivery = SlackDeliveryMode.Http, HttpRetryDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)] });
        bot = await SlackTestBot.StartAsync(emulator, mode: "Http");
        emulator.Options.HttpTarget = bot.BaseUri;
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        await emulator.DisposeAsync();
    }

    private static byte[] EventBody(string eventId = "EvHTTP1") => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["type"] = "event_callback",
        ["team_id"] = SlackEmulator.DefaultTeam,
        ["event_id"] = eventId,
        ["event"] = new JsonObject { ["type"] = "app_uninstalled" },
    }.ToJsonString());

    [Fact]
    public async Task An_export_over_http_is_acked_at_once_and_shared_as_a_file()
    {
        await (await emulator.SlashCommandAsync("paper add 1706.03762 Attention Is All You Need")).WaitForResponseAsync();

        var delivery = await emulator.SlashCommandAsync("export csv");
        var ack = await delivery.WaitForResponseAsync();
        await Eventually.TrueAsync(() => emulator.SharedFiles.Count == 1, "the export is shared");

        Assert.Contains("Preparing", ReadingBot.TestSupport.Slack.SlackJson.Strings(ack));
        var file = emulator.SharedFiles.Single();
        Assert.Equal(SlackEmulator.GeneralChannel, file.Channel);
        Assert.EndsWith(".csv", file.Name, StringComparison.Ordinal);
        Assert.Contains("Attention Is All You Need", Encoding.UTF8.GetString(file.Content!));
    }

    [Fact]
    public async Task Http_mode_opens_no_socket()
    {
        await Task.Delay(300);

        Assert.Empty(emulator.CallsTo("apps.connections.open"));
        Assert.True(bot.State.IsConnected);
    }

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await emulator.VerifyUrlAsync("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
    }

    [Fact]
    public async Task Ssl_check_is_answered_without_doing_anything()
    {
        var (status, body, response) = await emulator.PostToBotAsync("slack/commands", Encoding.UTF8.GetBytes("ssl_check=1&token=x"), "application/x-www-form-urlencoded", timestamp: "", signature: "");
        response.Dispose();

        Assert.Equal(200, status);
        Assert.Equal("", body);
        Assert.Equal(0, bot.Processor.Processed);
    }

    [Theory]
    [InlineData("slack/events", "application/json")]
    [InlineData("slack/commands", "application/x-www-form-urlencoded")]
    [InlineData("slack/interactivity", "application/x-www-form-urlencoded")]
    public async Task Forged_stale_tampered_and_unsigned_requests_are_refused(string path, string contentType)
    {
        var body = path.Contains("events", StringComparison.Ordinal) ? EventBody() : Encoding.UTF8.GetBytes("team_id=T0READING&user_id=U0ALICE&command=%2Freading&text=help");
        var now = emulator.Timestamp();
        var stale = emulator.Timestamp(DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-5));
        var future = emulator.Timestamp(DateTimeOffset.UtcNow.AddMinutes(6));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("T0READING", "T0EVIL", StringComparison.Ordinal));

        var cases = new (byte[] Body, string Timestamp, string Signature)[]
        {
            (body, now, "v0=" + new string('0', 64)),
            (body, now, emulator.Sign(now, body).ToUpperInvariant()),
            (body, stale, emulator.Sign(stale, body)),
            (body, future, emulator.Sign(future, body)),
            (tampered, now, emulator.Sign(now, body)),
            (body, "", ""),
            (body, "not-a-number", emulator.Sign("not-a-number", body)),
        };

        foreach (var (b, timestamp, signature) in cases)
        {
            var (status, _, response) = await emulator.PostToBotAsync(path, b, contentType, timestamp, signature);
            response.Dispose();
            Assert.Equal(401, status);
        }

        Assert.Equal(0, bot.Processor.Processed);
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_is_refused()
    {
        var body = EventBody();
        var real = emulator.SigningSecret;
        emulator.SigningSecret = "someone-elses-secret";
        var (status, _, response) = await emulator.PostToBotAsync("slack/events", body, "application/json");
        response.Dispose();
        emulator.SigningSecret = real;

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task A_slash_command_over_http_gets_its_reply_in_the_response()
    {
        var delivery = await emulator.SlashCommandAsync("help");

        var reply = await delivery.WaitForResponseAsync();

        Assert.Contains("ReadingBot commands", reply["text"]!.ToString());
        await AttemptRecordedAsync(delivery);
        var attempt = delivery.HttpAttempts.Single();
        Assert.Equal(200, attempt.Status);
        Assert.True(attempt.Elapsed < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_slow_slash_command_over_http_is_acked_empty_and_answered_later()
    {
        await bot.DisposeAsync();
        bot = await SlackTestBot.StartAsync(emulator, s => s["Slack:InlineReplySeconds"] = "0.3", mode: "Http");
        emulator.Options.HttpTarget = bot.BaseUri;
        bot.Metadata.Delay = TimeSpan.FromSeconds(1);

        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");
        var reply = await delivery.WaitForResponseAsync();
        await AttemptRecordedAsync(delivery);

        Assert.Equal("", delivery.HttpAttempts.Single().Body);
        Assert.Contains("Added #1", reply["text"]!.ToString());
    }

    [Fact]
    public async Task Events_are_acked_with_an_empty_200_at_once()
    {
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);

        var (_, delivery) = await emulator.UserMessageAsync("a note", parentTs);
        await delivery.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        var attempt = delivery.HttpAttempts.Single();
        Assert.Equal(200, attempt.Status);
        Assert.Equal("", attempt.Body);
        await Eventually.TrueAsync(() => emulator.CallsTo("chat.postEphemeral").Count == 1, "the thread message was answered");
    }

    [Fact]
    public async Task Slack_retries_after_a_timeout_produce_one_effect()
    {
        emulator.Options.EchoBotMessages = false;
        var (_, parentTs) = await Threads.OpenDiscussionAsync(bot);
        emulator.Options.LoseNextHttpAnswers = 3;

        var (_, delivery) = await emulator.UserMessageAsync("a note", parentTs);
        await delivery.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => bot.Logs.Lines.Count(l => l.Contains("Skipping a repeated", StringComparison.Ordinal)) == 3, "the three retries were recognised");

        Assert.Equal([0, 1, 2, 3], delivery.HttpAttempts.Select(a => a.RetryNum));
        Assert.Equal(200, delivery.HttpAttempts[^1].Status);
        Assert.Single(emulator.CallsTo("chat.postEphemeral"));
    }

    [Fact]
    public async Task A_button_press_over_http_runs_its_command()
    {
        var button = new JsonObject { ["type"] = "button", ["action_id"] = "readingbot.cmd.abc", ["value"] = "help paper", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Help" } };

        var delivery = await emulator.PressButtonAsync(button);
        var reply = await delivery.WaitForResponseAsync();
        await AttemptRecordedAsync(delivery);

        Assert.Equal(200, delivery.HttpAttempts.Single().Status);
        Assert.Contains("paper add", reply["text"]!.ToString());
    }

    [Fact]
    public async Task App_uninstalled_over_http_removes_the_workspace()
    {
        var delivery = await emulator.SlashCommandAsync("paper add 1706.03762");
        await delivery.WaitForResponseAsync();

        var uninstall = await emulator.UninstallAsync(SlackEmulator.DefaultTeam);
        await uninstall.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => bot.Get<ReadingBot.Core.Groups.IGroupStore>().Find(Threads.Group.Id) is null, "the workspace's data was removed");
    }

    [Fact]
    public async Task A_full_queue_answers_503_and_slacks_retry_gets_through()
    {
        await bot.DisposeAsync();
        bot = await SlackTestBot.StartAsync(emulator, s =>
        {
            s["Slack:Workers"] = "1";
            s["Slack:QueueCapacity"] = "1";
            s["Slack:InlineReplySeconds"] = "0.2";
        }, mode: "Http");
        emulator.Options.HttpTarget = bot.BaseUri;
        emulator.Options.EchoBotMessages = false;
        emulator.Options.HttpRetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];
        bot.Metadata.Delay = TimeSpan.FromSeconds(1);

        var busy = await emulator.SlashCommandAsync("paper add 1706.03762");
        await busy.WaitForAckAsync();
        var queued = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject { ["type"] = "app_mention", ["text"] = "one" });
        await queued.WaitForAckAsync();
        var refused = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject { ["type"] = "app_mention", ["text"] = "two" });
        await refused.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(503, refused.HttpAttempts[0].Status);
        Assert.Equal(200, refused.HttpAttempts[^1].Status);
    }

    private static byte[] CommandBody(string text, string trigger = "13345224609.738474920.8088930838d88f008e0") => Encoding.UTF8.GetBytes(
        $"team_id={SlackEmulator.DefaultTeam}&channel_id={SlackEmulator.GeneralChannel}&user_id={SlackEmulator.Alice}&user_name=alice&command=%2Freading&text={Uri.EscapeDataString(text)}&trigger_id={trigger}");

    private static int Repeats(SlackTestBot bot) => bot.Logs.Lines.Count(l => l.Contains("Skipping a repeated Slack delivery", StringComparison.Ordinal));

    [Fact]
    public async Task A_replayed_slash_command_runs_once_and_the_replays_get_an_empty_200()
    {
        var body = CommandBody("wayr post reading a long note about attention and its figures");
        var timestamp = emulator.Timestamp();
        var signature = emulator.Sign(timestamp, body);

        var answers = new List<(int Status, string Body)>();
        for (var i = 0; i < 4; i++)
        {
            var (status, text, response) = await emulator.PostToBotAsync("slack/commands", body, "application/x-www-form-urlencoded", timestamp, signature);
            response.Dispose();
            answers.Add((status, text));
        }

        await bot.WaitForProcessedAsync(1);
        Assert.Equal(200, answers[0].Status);
        Assert.Contains("Posted to WAYR #1", answers[0].Body);
        Assert.All(answers.Skip(1), a => Assert.Equal((200, ""), a));
        Assert.Equal(3, Repeats(bot));
        Assert.Equal(1, bot.Processor.Processed);
    }

    [Fact]
    public async Task A_replayed_event_without_an_event_id_has_one_effect()
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = "event_callback",
            ["team_id"] = SlackEmulator.DefaultTeam,
            ["event"] = new JsonObject { ["type"] = "app_mention", ["user"] = SlackEmulator.Alice, ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "<@U0BOT> help", ["ts"] = "1700000000.000100" },
        }.ToJsonString());
        var timestamp = emulator.Timestamp();
        var signature = emulator.Sign(timestamp, body);

        for (var i = 0; i < 3; i++)
        {
            var (status, text, response) = await emulator.PostToBotAsync("slack/events", body, "application/json", timestamp, signature);
            response.Dispose();
            Assert.Equal((200, ""), (status, text));
        }

        await bot.WaitForProcessedAsync(1);
        Assert.Equal(2, Repeats(bot));
        Assert.Equal(1, bot.Processor.Processed);
    }

    [Fact]
    public async Task A_retry_of_an_event_signed_anew_is_acked_and_not_run_twice()
    {
        var body = EventBody("EvRESIGNED");
        var first = emulator.Timestamp();
        var later = emulator.Timestamp(DateTimeOffset.UtcNow.AddSeconds(61));

        var (status1, _, r1) = await emulator.PostToBotAsync("slack/events", body, "application/json", first, emulator.Sign(first, body));
        r1.Dispose();
        await bot.WaitForProcessedAsync(1);
        var (status2, _, r2) = await emulator.PostToBotAsync("slack/events", body, "application/json", later, emulator.Sign(later, body), new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        r2.Dispose();
        await Eventually.TrueAsync(() => Repeats(bot) == 1, "the retry was recognised by its event_id");

        Assert.Equal((200, 200), (status1, status2));
        Assert.Equal(1, bot.Processor.Processed);
    }

    [Fact]
    public async Task A_replayed_button_press_has_one_effect()
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = SlackEmulator.Alice, ["team_id"] = SlackEmulator.DefaultTeam },
            ["team"] = new JsonObject { ["id"] = SlackEmulator.DefaultTeam },
            ["channel"] = new JsonObject { ["id"] = SlackEmulator.GeneralChannel },
            ["trigger_id"] = "13345224609.738474920.replayedbutton",
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "readingbot.cmd.abc", ["value"] = "help paper" }),
        };
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString()));
        var timestamp = emulator.Timestamp();
        var signature = emulator.Sign(timestamp, body);

        for (var i = 0; i < 3; i++)
        {
            var (status, _, response) = await emulator.PostToBotAsync("slack/interactivity", body, "application/x-www-form-urlencoded", timestamp, signature);
            response.Dispose();
            Assert.Equal(200, status);
        }

        await bot.WaitForProcessedAsync(1);
        await Eventually.TrueAsync(() => Repeats(bot) == 2, "both replays were recognised");
        Assert.Equal(1, bot.Processor.Processed);
    }

    [Fact]
    public async Task An_event_refused_as_busy_gets_through_when_the_same_signed_request_comes_again()
    {
        await bot.DisposeAsync();
        bot = await SlackTestBot.StartAsync(emulator, s =>
        {
            s["Slack:Workers"] = "1";
            s["Slack:QueueCapacity"] = "1";
            s["Slack:InlineReplySeconds"] = "0.2";
        }, mode: "Http");
        emulator.Options.HttpTarget = bot.BaseUri;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Metadata.Hold = hold;
        var queue = bot.Get<ReadingBot.Core.Inbound.InboundPipeline<ReadingBot.Slack.Inbound.SlackInboundItem>>();

        var busy = await emulator.SlashCommandAsync("paper add 1706.03762");
        await busy.WaitForAckAsync();
        await Eventually.TrueAsync(() => queue.Count == 0, "the one worker took the command and is held");
        var filler = Mention("EvFILLER");
        var (fillerStatus, _, r0) = await emulator.PostToBotAsync("slack/events", filler, "application/json");
        r0.Dispose();
        var body = Mention("EvBUSY");
        var timestamp = emulator.Timestamp();
        var signature = emulator.Sign(timestamp, body);
        var (refused, _, r1) = await emulator.PostToBotAsync("slack/events", body, "application/json", timestamp, signature);
        r1.Dispose();
        hold.SetResult();
        await bot.WaitForProcessedAsync(2);
        var (again, _, r2) = await emulator.PostToBotAsync("slack/events", body, "application/json", timestamp, signature);
        r2.Dispose();
        await bot.WaitForProcessedAsync(3);

        Assert.Equal((200, 503, 200), (fillerStatus, refused, again));
        Assert.Equal(0, Repeats(bot));
    }

    private static byte[] Mention(string eventId) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["type"] = "event_callback",
        ["team_id"] = SlackEmulator.DefaultTeam,
        ["event_id"] = eventId,
        ["event"] = new JsonObject { ["type"] = "app_mention", ["user"] = SlackEmulator.Alice, ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "hello", ["ts"] = "1700000000.000200" },
    }.ToJsonString());

    // A reply through response_url can reach the emulator before it has recorded the status of the request that acked it.
    private static Task AttemptRecordedAsync(SlackDelivery delivery) =>
        Eventually.TrueAsync(() => delivery.HttpAttempts.Count > 0, "the emulator recorded the acking request");
}
