using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;
using ReadingBot.Discord.Gateway;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>The Gateway session against the emulator: real WebSocket frames, heartbeats, resume and close codes.</summary>
public sealed class GatewayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Identifies_with_guilds_and_guild_messages_and_adds_message_content_only_when_configured()
    {
        await using (var plain = await StartAsync())
        {
            Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMessages, Assert.Single(plain.Emulator.IdentifyIntents));
        }

        await using var content = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:MessageContent"] = "true" });
        Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.MessageContent, Assert.Single(content.Emulator.IdentifyIntents));
        await DiscordEmulator.WaitUntilAsync(() => content.State.IsConnected, Wait, "the client to see READY");
    }

    [Fact]
    public async Task Op7_reconnects_to_the_resume_url_and_resumes_instead_of_identifying()
    {
        await using var bot = await StartAsync();

        for (var i = 1; i <= 5; i++)
        {
            await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.FirstHeartbeatDelays.Count >= i, Wait, $"heartbeat on connection {i}");
            await bot.Emulator.SendReconnectAsync();
            await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= i && bot.Emulator.IsSessionLive, Wait, $"resume {i}");
        }

        Assert.Equal(1, bot.Emulator.Identifies);
        Assert.Equal(0, bot.Emulator.ResumesOnGatewayPath);
        Assert.DoesNotContain(1000, bot.Emulator.ClientCloseCodes);
        Assert.DoesNotContain(1001, bot.Emulator.ClientCloseCodes);
        // The first heartbeat is jittered: a random fraction of the interval, not always at once.
        Assert.All(bot.Emulator.FirstHeartbeatDelays, d => Assert.True(d < bot.Emulator.Options.HeartbeatInterval + TimeSpan.FromSeconds(1), $"first heartbeat after {d}"));
        Assert.Contains(bot.Emulator.FirstHeartbeatDelays, d => d > TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task A_session_left_by_a_crash_is_resumed_at_start_without_an_identify()
    {
        await using var bot = await StartAsync(prepare: async (emulator, database) =>
        {
            // An earlier run of the bot identified, then died without a close frame; its session was saved.
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri(emulator.GatewayUrl + "/?v=10&encoding=json"), CancellationToken.None);
            var identify = new System.Text.Json.Nodes.JsonObject
            {
                ["op"] = 2,
                ["d"] = new System.Text.Json.Nodes.JsonObject { ["token"] = emulator.Token, ["intents"] = 513, ["properties"] = new System.Text.Json.Nodes.JsonObject { ["os"] = "linux", ["browser"] = "x", ["device"] = "x" } },
            };
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(identify.ToJsonString()), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            await DiscordEmulator.WaitUntilAsync(() => emulator.IsSessionLive, Wait, "the earlier session");
            var ready = emulator.Recorder.Frames.First(f => f.Type == "READY");
            var d = System.Text.Json.Nodes.JsonNode.Parse(ready.Text)!["d"]!;
            socket.Abort();
            new ReadingBot.Storage.LiteDb.LiteAdapterStateStore(database).Set("discord:session", new System.Text.Json.Nodes.JsonObject
            {
                ["session_id"] = d["session_id"]!.GetValue<string>(),
                ["resume_gateway_url"] = d["resume_gateway_url"]!.GetValue<string>(),
                ["seq"] = 1,
            }.ToJsonString());
        });

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes == 1, Wait, "the saved session to be resumed");
        Assert.Equal(1, bot.Emulator.Identifies);
        Assert.Equal(0, bot.Emulator.ResumesOnGatewayPath);

        var help = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");
        Assert.Contains("ReadingBot commands", await help.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task A_saved_session_discord_no_longer_knows_falls_back_to_identify()
    {
        await using var bot = await StartAsync(prepare: (emulator, database) =>
        {
            new ReadingBot.Storage.LiteDb.LiteAdapterStateStore(database).Set("discord:session", """{"session_id":"gone","resume_gateway_url":"{{url}}","seq":7}""".Replace("{{url}}", emulator.ResumeUrl, StringComparison.Ordinal));
            return Task.CompletedTask;
        });

        Assert.Equal(1, bot.Emulator.Resumes);
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task Op7_before_hello_still_ends_in_a_resumed_session()
    {
        await using var bot = await StartAsync();

        bot.Emulator.ReconnectBeforeHello = true;
        bot.Emulator.AbortConnections();

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive && !bot.Emulator.ReconnectBeforeHello, Wait, "resume after op 7 before Hello");
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task A_missing_heartbeat_ack_is_a_zombie_closed_with_a_non_1000_code_and_resumed()
    {
        await using var bot = await StartAsync();

        bot.Emulator.WithholdAcks = true;
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.ClientCloseCodes.Count > 0, Wait, "the client to close the zombie connection");
        bot.Emulator.WithholdAcks = false;
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive, Wait, "resume after the zombie");

        Assert.Equal(4000, bot.Emulator.ClientCloseCodes[0]);
        Assert.Equal(1, bot.Emulator.Identifies);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("zombie", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_half_open_socket_is_detected_and_resumed()
    {
        await using var bot = await StartAsync();

        bot.Emulator.HalfOpenConnections();

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive, Wait, "resume after a half-open socket");
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task A_hello_that_never_comes_times_out_and_the_client_tries_again()
    {
        await using var bot = await StartAsync(o => o.SlowHello = TimeSpan.FromSeconds(4), new Dictionary<string, string?> { ["Discord:ConnectTimeoutSeconds"] = "1" }, waitForSession: false);

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Connections >= 2, Wait, "a second attempt after the Hello timeout");
        bot.Emulator.SlowHello = TimeSpan.Zero;

        await bot.Emulator.WaitForSessionAsync(Wait);
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task A_dropped_connection_without_close_frame_is_resumed()
    {
        await using var bot = await StartAsync();

        bot.Emulator.AbortConnections();

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive, Wait, "resume after an abort");
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Fact]
    public async Task Invalid_session_true_resumes_and_false_identifies()
    {
        await using var bot = await StartAsync();

        await bot.Emulator.InvalidateSessionAsync(resumable: true);
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive, Wait, "resume after op 9 true");
        Assert.Equal(1, bot.Emulator.Identifies);

        await bot.Emulator.InvalidateSessionAsync(resumable: false);
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Identifies == 2 && bot.Emulator.IsSessionLive, Wait, "identify after op 9 false");
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4005)]
    [InlineData(4008)]
    public async Task Resumable_close_codes_resume(int code)
    {
        await using var bot = await StartAsync();

        await bot.Emulator.CloseConnectionsAsync(code);

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.SuccessfulResumes >= 1 && bot.Emulator.IsSessionLive, Wait, $"resume after {code}");
        Assert.Equal(1, bot.Emulator.Identifies);
    }

    [Theory]
    [InlineData(4003)]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Session_ending_close_codes_start_a_new_session(int code)
    {
        await using var bot = await StartAsync();

        await bot.Emulator.CloseConnectionsAsync(code);

        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Identifies == 2 && bot.Emulator.IsSessionLive, Wait, $"a new session after {code}");
        Assert.Equal(0, bot.Emulator.SuccessfulResumes);
    }

    [Theory]
    [InlineData(4004, "Discord:Token")]
    [InlineData(4010, "shard")]
    [InlineData(4011, "sharding")]
    [InlineData(4012, "API version")]
    [InlineData(4013, "intents")]
    [InlineData(4014, "Message Content Intent")]
    public async Task Fatal_close_codes_stop_the_adapter_with_a_clear_log_line(int code, string hint)
    {
        await using var bot = await StartAsync();

        await bot.Emulator.CloseConnectionsAsync(code);
        await DiscordEmulator.WaitUntilAsync(() => bot.State.StopReason is not null, Wait, "the adapter to stop");
        await Task.Delay(1000);

        Assert.Equal(1, bot.Emulator.Identifies);
        Assert.Equal(0, bot.Emulator.LiveConnections);
        Assert.False(bot.State.IsConnected);
        Assert.Contains(hint, bot.State.StopReason);
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Emulator.Token, bot.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_message_content_without_the_portal_toggle_stops_on_4014()
    {
        await using var bot = await StartAsync(o => o.EnabledPrivilegedIntents = 0, new Dictionary<string, string?> { ["Discord:MessageContent"] = "true" }, waitForSession: false);

        await DiscordEmulator.WaitUntilAsync(() => bot.State.StopReason is not null, Wait, "the adapter to stop");

        Assert.Contains("Message Content Intent", bot.State.StopReason);
        Assert.Equal(1, bot.Emulator.Identifies);
        Assert.Equal([4014], bot.Emulator.ServerCloseCodes);
    }

    [Fact]
    public async Task A_rejected_token_stops_before_any_identify_and_is_never_logged()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:Token"] = "not-the-token.abc" }, waitForSession: false);

        await DiscordEmulator.WaitUntilAsync(() => bot.State.StopReason is not null, Wait, "the adapter to stop");

        Assert.Contains("401", bot.State.StopReason);
        Assert.Equal(0, bot.Emulator.Identifies);
        Assert.DoesNotContain("not-the-token", bot.Logs.Text, StringComparison.Ordinal);
        Assert.Single(bot.Emulator.Recorder.Requests, r => r.Status == 401);
    }

    [Fact]
    public async Task An_identify_storm_stops_at_the_budget_discord_reports_and_never_resets_the_token()
    {
        await using var bot = await StartAsync(o => o.IdentifyBudget = 4);

        while (bot.Emulator.IdentifyRemaining > 0)
        {
            await bot.Emulator.WaitForSessionAsync(Wait);
            await bot.Emulator.InvalidateSessionAsync(resumable: false);
        }

        await DiscordEmulator.WaitUntilAsync(() => bot.Logs.Lines.Any(l => l.Contains("identify budget is spent", StringComparison.Ordinal)), Wait, "the budget log line");
        await Task.Delay(1000);
        Assert.Equal(4, bot.Emulator.Identifies);
        Assert.Equal(0, bot.Emulator.TokenResets);
        Assert.False(bot.Emulator.IsSessionLive);
    }

    [Fact]
    public async Task The_persisted_daily_cap_holds_even_when_discord_reports_budget_left()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:IdentifyDailyCap"] = "2" });

        for (var i = 0; i < 2; i++)
        {
            await bot.Emulator.WaitForSessionAsync(Wait);
            await bot.Emulator.InvalidateSessionAsync(resumable: false);
        }

        await DiscordEmulator.WaitUntilAsync(() => bot.Logs.Lines.Any(l => l.Contains("identify budget is spent", StringComparison.Ordinal)), Wait, "the budget log line");
        await Task.Delay(1000);
        Assert.Equal(2, bot.Emulator.Identifies);
        Assert.Equal(2, bot.Get<IdentifyLedger>().Recent().Count);
        Assert.True(bot.Emulator.IdentifyRemaining > 900);
    }

    [Fact]
    public async Task Across_a_run_of_random_faults_resume_is_preferred_and_identifies_stay_within_budget()
    {
        await using var bot = await StartAsync(o => o.IdentifyBudget = 50);
        var random = new Random(1234);
        var mustIdentify = 0;
        for (var i = 0; i < 40; i++)
        {
            var fault = random.Next(8);
            var connectionsBefore = bot.Emulator.Connections;
            switch (fault)
            {
                case 0:
                    await bot.Emulator.SendReconnectAsync();
                    break;
                case 1:
                    bot.Emulator.AbortConnections();
                    break;
                case 2:
                    await bot.Emulator.CloseConnectionsAsync(4000);
                    break;
                case 3:
                    await bot.Emulator.InvalidateSessionAsync(resumable: true);
                    break;
                case 4:
                    await bot.Emulator.InvalidateSessionAsync(resumable: false);
                    mustIdentify++;
                    break;
                case 5:
                    await bot.Emulator.CloseConnectionsAsync(4009);
                    mustIdentify++;
                    break;
                case 6:
                    bot.Emulator.HalfOpenConnections();
                    break;
                default:
                    await bot.Emulator.RequestHeartbeatAsync();
                    await bot.Emulator.CloseConnectionsAsync(4008);
                    break;
            }

            // Live on both ends: the emulator sent READY (or RESUMED) and the bot has read it. A fault that comes after an
            // identify but before the bot has read READY leaves it no session to resume, and it rightly identifies again.
            await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Connections > connectionsBefore && bot.Emulator.IsSessionLive && bot.State.IsConnected, Wait, $"a live session after fault {i} ({fault})");
        }

        Assert.True(1 + mustIdentify == bot.Emulator.Identifies, $"{bot.Emulator.Identifies} identifies, {1 + mustIdentify} expected; "
            + $"{bot.Emulator.HeartbeatTimeouts} heartbeat timeouts; client close codes [{string.Join(", ", bot.Emulator.ClientCloseCodes)}]\n{bot.Logs.Text}");
        Assert.True(bot.Emulator.SuccessfulResumes >= 40 - mustIdentify - 2, $"{bot.Emulator.SuccessfulResumes} resumes");
        Assert.Equal(0, bot.Emulator.ResumesOnGatewayPath);
        Assert.Equal(0, bot.Emulator.TokenResets);
        Assert.DoesNotContain(1000, bot.Emulator.ClientCloseCodes);
        await DiscordEmulator.WaitUntilAsync(() => bot.State.IsConnected, Wait, "the client to see the session");

        var after = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");
        Assert.Contains("ReadingBot commands", await after.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task A_handler_blocking_longer_than_the_heartbeat_interval_does_not_kill_the_session()
    {
        await using var bot = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:DeferAfterSeconds"] = "1" },
            services: s => s.AddSingleton<IPaperMetadataSource>(new BlockingMetadataSource(TimeSpan.FromSeconds(3.5))));
        var heartbeatsBefore = bot.Emulator.Recorder.Frames.Count(f => f.FromClient && f.Op == 1);

        var slow = new List<EmulatedInteraction>();
        for (var i = 0; i < 2; i++)
        {
            slow.Add(await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", $"2101.0000{i + 1}")));
        }

        var quick = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "help");
        var help = await quick.ReplyTextAsync(Wait);
        Assert.True(help.Contains("ReadingBot commands", StringComparison.Ordinal), help + "\n" + bot.Logs.Text);
        foreach (var interaction in slow)
        {
            var added = await interaction.ReplyTextAsync(Wait);
            Assert.True(added.Contains("Added", StringComparison.Ordinal), added + "\n" + bot.Logs.Text);
            Assert.Equal(5, interaction.CallbackType);
            Assert.Empty(interaction.Errors);
        }

        Assert.Equal(0, bot.Emulator.HeartbeatTimeouts);
        Assert.Equal(1, bot.Emulator.Connections);
        Assert.True(bot.Emulator.Recorder.Frames.Count(f => f.FromClient && f.Op == 1) - heartbeatsBefore >= 3);
    }
}

/// <summary>Blocks its thread (a badly written handler) before answering.</summary>
public sealed class BlockingMetadataSource(TimeSpan block) : IPaperMetadataSource
{
    public Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        Thread.Sleep(block);
        return Task.FromResult<MetadataResult>(new MetadataResult.Unavailable("blocked in this test"));
    }
}
