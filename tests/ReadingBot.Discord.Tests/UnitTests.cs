using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Replies;
using ReadingBot.Discord.Gateway;
using ReadingBot.Discord.Rendering;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Discord.Tests;

/// <summary>The pure decisions: close codes, backoff, jitter, the identify budget; rendering within limits; options checks.</summary>
public sealed class GatewayPolicyTests
{
    internal static IdentifyLedger Ledger(ReadingBotDatabase db, TimeProvider time, double spacingSeconds = 5.5, int dailyCap = 900) =>
        new(new LiteSessionStartLedger(db), Options.Create(new DiscordOptions { ApplicationId = "1200000000000000000", IdentifySpacingSeconds = spacingSeconds, IdentifyDailyCap = dailyCap }), time);

    [Theory]
    [InlineData(null, ReconnectAction.Resume)]
    [InlineData(1000, ReconnectAction.Resume)]
    [InlineData(1006, ReconnectAction.Resume)]
    [InlineData(4000, ReconnectAction.Resume)]
    [InlineData(4001, ReconnectAction.Resume)]
    [InlineData(4002, ReconnectAction.Resume)]
    [InlineData(4003, ReconnectAction.Identify)]
    [InlineData(4004, ReconnectAction.Stop)]
    [InlineData(4005, ReconnectAction.Resume)]
    [InlineData(4007, ReconnectAction.Identify)]
    [InlineData(4008, ReconnectAction.Resume)]
    [InlineData(4009, ReconnectAction.Identify)]
    [InlineData(4010, ReconnectAction.Stop)]
    [InlineData(4011, ReconnectAction.Stop)]
    [InlineData(4012, ReconnectAction.Stop)]
    [InlineData(4013, ReconnectAction.Stop)]
    [InlineData(4014, ReconnectAction.Stop)]
    public void Each_close_code_maps_to_its_action(int? code, ReconnectAction expected) =>
        Assert.Equal(expected, GatewayPolicy.ForClose(code));

    [Fact]
    public void Invalid_session_resumes_only_when_discord_says_so()
    {
        Assert.Equal(ReconnectAction.Resume, GatewayPolicy.ForInvalidSession(true));
        Assert.Equal(ReconnectAction.Identify, GatewayPolicy.ForInvalidSession(false));
    }

    [Fact]
    public void Backoff_is_full_jitter_doubling_up_to_the_cap()
    {
        var first = TimeSpan.FromSeconds(1);
        var cap = TimeSpan.FromMinutes(10);

        Assert.Equal(TimeSpan.Zero, GatewayPolicy.Backoff(5, first, cap, 0));
        Assert.Equal(TimeSpan.FromSeconds(0.5), GatewayPolicy.Backoff(0, first, cap, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(8), GatewayPolicy.Backoff(3, first, cap, 1));
        Assert.Equal(cap, GatewayPolicy.Backoff(40, first, cap, 1));
        Assert.Equal(cap, GatewayPolicy.Backoff(int.MaxValue, first, cap, 1));
    }

    [Fact]
    public void The_first_heartbeat_waits_a_random_fraction_of_the_interval()
    {
        var interval = TimeSpan.FromMilliseconds(41250);

        Assert.Equal(TimeSpan.Zero, GatewayPolicy.FirstHeartbeat(interval, 0));
        Assert.Equal(interval / 4, GatewayPolicy.FirstHeartbeat(interval, 0.25));
        Assert.Equal(interval, GatewayPolicy.FirstHeartbeat(interval, 1.5));
    }

    [Fact]
    public void Identify_waits_for_the_daily_cap_the_spacing_and_discords_remaining()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var spacing = TimeSpan.FromSeconds(5.5);
        var hourly = Enumerable.Range(1, 3).Select(h => now - TimeSpan.FromHours(h)).ToList();

        Assert.Equal(TimeSpan.Zero, GatewayPolicy.IdentifyWait(hourly, now, 900, spacing, 10, null));
        Assert.Equal(TimeSpan.FromHours(21), GatewayPolicy.IdentifyWait(hourly, now, 3, spacing, 10, null));
        Assert.Equal(TimeSpan.FromSeconds(4.5), GatewayPolicy.IdentifyWait([now - TimeSpan.FromSeconds(1)], now, 900, spacing, 10, null));
        Assert.Equal(TimeSpan.FromMinutes(30), GatewayPolicy.IdentifyWait([], now, 900, spacing, 0, TimeSpan.FromMinutes(30)));
        Assert.Equal(TimeSpan.Zero, GatewayPolicy.IdentifyWait([now - TimeSpan.FromHours(25)], now, 1, spacing, null, null));
    }

    [Fact]
    public void The_identify_ledger_survives_a_restart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        using var db = ReadingBotDatabase.OpenMemory();
        var ledger = Ledger(db, time);
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(0, 1, null, null));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(0, 1, null, null));
        var reopened = Ledger(db, time);

        Assert.Equal(2, reopened.Recent().Count);
        time.Advance(TimeSpan.FromHours(23.5));
        Assert.Single(reopened.Recent());
    }
}

/// <summary>Session starts by shard: max_concurrency buckets, one start per bucket per spacing, on an injected clock.</summary>
public sealed class ShardStartTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_max_concurrency_1_the_second_shard_waits_for_the_spacing_after_the_first()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        using var db = ReadingBotDatabase.OpenMemory();
        var ledger = GatewayPolicyTests.Ledger(db, time, spacingSeconds: 5);

        Assert.Equal(TimeSpan.Zero, ledger.TryStart(0, 1, null, null));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.TryStart(1, 1, null, null));
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(TimeSpan.FromSeconds(0.1), ledger.TryStart(1, 1, null, null));
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(1, 1, null, null));
    }

    [Fact]
    public void Shards_in_different_buckets_start_together_and_a_bucket_starts_one_shard_per_spacing()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        using var db = ReadingBotDatabase.OpenMemory();
        var ledger = GatewayPolicyTests.Ledger(db, time, spacingSeconds: 5);

        // max_concurrency 2: rate_limit_key = shard % 2, so shards 0 and 1 go at once, 2 waits behind 0 and 3 behind 1.
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(0, 2, null, null));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(1, 2, null, null));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.TryStart(2, 2, null, null));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.TryStart(3, 2, null, null));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(2, 2, null, null));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(3, 2, null, null));
    }

    [Fact]
    public void The_shards_of_a_bucket_start_in_id_order()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        using var db = ReadingBotDatabase.OpenMemory();
        var ledger = GatewayPolicyTests.Ledger(db, time, spacingSeconds: 5);

        Assert.Equal(TimeSpan.Zero, ledger.TryStart(0, 1, null, null));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.TryStart(2, 1, null, null));
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.TryStart(1, 1, null, null));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(IdentifyLedger.LowerShardFirst, ledger.TryStart(2, 1, null, null));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(1, 1, null, null));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, ledger.TryStart(2, 1, null, null));
    }

    [Fact]
    public void Two_processes_on_one_store_share_the_daily_cap()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        using var db = ReadingBotDatabase.OpenMemory();
        var first = GatewayPolicyTests.Ledger(db, time, spacingSeconds: 0, dailyCap: 3);
        var second = GatewayPolicyTests.Ledger(db, time, spacingSeconds: 0, dailyCap: 3);

        var taken = 0;
        for (var i = 0; i < 5; i++)
        {
            taken += first.TryStart(0, 1, null, null) == TimeSpan.Zero ? 1 : 0;
            taken += second.TryStart(1, 1, null, null) == TimeSpan.Zero ? 1 : 0;
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, taken);
        Assert.True(first.TryStart(0, 1, null, null) > TimeSpan.FromHours(23));
        Assert.Equal(3, second.Recent().Count);
    }

    [Theory]
    [InlineData("", "1", 1, "0")]
    [InlineData("", "4", 4, "0-3")]
    [InlineData("0-1", "4", 4, "0-1")]
    [InlineData("3, 0,1", "4", 4, "0-1,3")]
    public void Shard_settings_name_the_shards_this_process_runs(string ids, string count, int expectedCount, string expectedIds)
    {
        Assert.True(ShardSettings.TryParseCount(count, out var parsedCount));
        Assert.True(ShardSettings.TryParseIds(ids, out var parsedIds));
        var plan = ShardPlan.For(parsedCount!.Value, parsedIds);

        Assert.Equal($"{expectedIds} of {expectedCount}", plan.ToString());
    }

    [Fact]
    public void A_server_belongs_to_the_shard_of_its_id_shifted_by_22()
    {
        var plan = ShardPlan.For(4, [1]);

        Assert.True(plan.Owns(((1001UL << 22) | 5).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(plan.Owns(((1002UL << 22) | 5).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(plan.Owns(null));
        Assert.True(ShardPlan.For(4, null).Owns(null));
        Assert.True(ShardSettings.TryParseCount("auto", out var auto) && auto is null);
        Assert.False(ShardSettings.TryParseCount("0", out _));
        Assert.False(ShardSettings.TryParseIds("3-1", out _));
        Assert.False(ShardSettings.TryParseIds("a", out _));
    }

    [Fact]
    public void The_scheduler_is_told_a_process_serves_only_the_servers_of_its_own_shards()
    {
        static Core.Groups.GroupAddress Server(ulong high) => new(Core.Groups.Platforms.Discord, ((high << 22) | 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var state = new DiscordConnectionState();
        var someShards = new DiscordGroupOwnership(state, Options.Create(new DiscordOptions { ShardCount = "auto", ShardIds = "1" }));
        var defaults = new DiscordGroupOwnership(new DiscordConnectionState(), Options.Create(new DiscordOptions()));

        // Before the plan is resolved: one shard serves everything, some shards nothing yet.
        Assert.True(defaults.Serves(Server(1002)));
        Assert.False(someShards.Serves(Server(1001)));

        state.Plan = ShardPlan.For(4, [1]);
        Assert.True(someShards.Serves(Server(1001)));
        Assert.False(someShards.Serves(Server(1002)));
        Assert.Equal(Core.Groups.Platforms.Discord, someShards.Platform);
    }
}

public sealed class RenderingTests
{
    [Fact]
    public void Long_text_is_cut_to_2000_characters()
    {
        var message = MessageRenderer.Render(new TextReply(new string('x', 5000)));

        Assert.Equal(2000, message.Body["content"]!.GetValue<string>().Length);
        Assert.Null(DiscordRules.ValidateMessage(message.Body, true, false));
        Assert.True(DiscordRules.HasSafeMentions(message.Body));
    }

    [Fact]
    public void A_huge_card_stays_within_every_embed_limit()
    {
        var card = new Card(new string('T', 400), "https://arxiv.org/abs/1706.03762")
        {
            Subtitle = new string('s', 3000),
            Body = new string('b', 5000),
            Fields = [.. Enumerable.Range(0, 40).Select(i => new CardField(new string('n', 300), new string('v', 2000)))],
            Footer = new string('f', 3000),
            Buttons = [new ReplyButton("Vote", "paper vote #3"), new ReplyButton("Too long", "paper add " + new string('a', 200))],
        };

        var message = MessageRenderer.Render(new CardReply(card));

        Assert.Null(DiscordRules.ValidateMessage(message.Body, true, false));
        var button = Assert.Single(message.Body["components"]![0]!["components"]!.AsArray());
        Assert.Equal("rb:paper vote #3", button!["custom_id"]!.GetValue<string>());
    }

    [Fact]
    public void A_long_list_becomes_one_valid_embed_with_links()
    {
        var items = Enumerable.Range(1, 300).Select(i => new ListItem($"#{i} A paper about *things* number {i}", $"https://arxiv.org/abs/2101.{i:00000}")).ToList();

        var message = MessageRenderer.Render(new ListReply("Library (300 papers)", items, Footer: "page 1"));

        Assert.Null(DiscordRules.ValidateMessage(message.Body, true, false));
        var description = message.Body["embeds"]![0]!["description"]!.GetValue<string>();
        Assert.Contains("[#1 A paper about \\*things\\* number 1](https://arxiv.org/abs/2101.00001)", description);
        Assert.EndsWith("…", description);
    }

    [Fact]
    public void Errors_and_ephemeral_replies_carry_flag_64()
    {
        Assert.Equal(64, MessageRenderer.Render(new ErrorReply("no")).Body["flags"]!.GetValue<int>());
        Assert.Equal(64, MessageRenderer.Render(new TextReply("mine") { Ephemeral = true }).Body["flags"]!.GetValue<int>());
        Assert.Null(MessageRenderer.Render(new TextReply("ours")).Body["flags"]);
    }

    [Fact]
    public void A_file_reply_becomes_an_attachment_with_its_caption()
    {
        var message = MessageRenderer.Render(new FileReply("library export.md", "text/markdown", [1, 2, 3], "The library"));

        Assert.Equal("library_export.md", message.File!.FileName);
        Assert.Equal("The library", message.Body["content"]!.GetValue<string>());
    }

    [Fact]
    public void Markdown_in_user_text_is_escaped_but_links_survive()
    {
        Assert.Equal("\\*bold\\* \\_x\\_ https://example.org/a_b_c", MessageRenderer.Escape("*bold* _x_ https://example.org/a_b_c"));
    }
}

public sealed class OptionsTests
{
    private static ValidateOptionsResult Check(Action<DiscordOptions> change)
    {
        var options = new DiscordOptions { Token = "abc.def", ApplicationId = "1200000000000000000" };
        change(options);
        return new DiscordOptionsValidator().Validate(null, options);
    }

    [Fact]
    public void A_complete_configuration_passes() => Assert.True(Check(_ => { }).Succeeded);

    [Fact]
    public void A_missing_application_id_names_the_key_and_the_fix()
    {
        var result = Check(o => o.ApplicationId = "");

        Assert.True(result.Failed);
        Assert.Contains("Discord:ApplicationId: is missing", result.FailureMessage);
        Assert.Contains("READINGBOT_Discord__ApplicationId", result.FailureMessage);
    }

    [Fact]
    public void A_defer_time_past_discords_window_is_one_line_naming_the_key()
    {
        var result = Check(o => o.DeferAfterSeconds = 3);

        Assert.Equal(
            "Discord:DeferAfterSeconds: 3 is out of range. Set it to a number of seconds from 0.1 to 2.5 (Discord allows 3 s in all), e.g. --Discord:DeferAfterSeconds <value> on the command line, READINGBOT_Discord__DeferAfterSeconds in the environment, or in config/appsettings.json.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Http_mode_needs_the_public_key() =>
        Assert.Contains("Discord:PublicKey", Check(o => o.Mode = "Http").FailureMessage);

    [Fact]
    public void An_unknown_mode_names_both_choices() =>
        Assert.Contains("'Socket' is not Gateway or Http", Check(o => o.Mode = "Socket").FailureMessage);

    [Fact]
    public void A_token_with_the_bot_prefix_is_refused_without_echoing_it()
    {
        var result = Check(o => o.Token = "Bot secret-value");

        Assert.Contains("Discord:Token", result.FailureMessage);
        Assert.DoesNotContain("secret-value", result.FailureMessage);
    }

    [Theory]
    [InlineData("0", "", "Discord:ShardCount")]
    [InlineData("many", "", "Discord:ShardCount")]
    [InlineData("4", "2-x", "Discord:ShardIds")]
    [InlineData("4", "3-5", "Discord:ShardIds")]
    public void A_bad_shard_setting_is_one_line_naming_the_key(string count, string ids, string key)
    {
        var result = Check(o => (o.ShardCount, o.ShardIds) = (count, ids));

        Assert.StartsWith(key + ": ", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("auto", "0-7")]
    [InlineData("4", "0,3")]
    [InlineData("1", "")]
    public void Auto_or_a_count_with_ids_below_it_passes(string count, string ids) =>
        Assert.True(Check(o => (o.ShardCount, o.ShardIds) = (count, ids)).Succeeded);
}
