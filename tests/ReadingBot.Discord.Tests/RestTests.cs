using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Discord.Rest;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>The REST client against the emulator's buckets, global limit and injected faults.</summary>
public sealed class RestTests
{
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private static Task<PostedMessage> Post(DiscordHarness bot, string channel, string text) =>
        bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, channel, new TextReply(text)), CancellationToken.None);

    [Fact]
    public async Task A_burst_of_posts_never_hits_an_exhausted_bucket()
    {
        await using var bot = await StartAsync(o => o.RouteLimits["POST channels/{channel}/messages"] = (3, TimeSpan.FromMilliseconds(700)));

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Post(bot, i % 2 == 0 ? ChannelA : ChannelB, $"message {i}")));

        Assert.Equal(6, bot.Emulator.MessagesIn(ChannelA).Count);
        Assert.Equal(6, bot.Emulator.MessagesIn(ChannelB).Count);
        Assert.Equal(0, bot.Emulator.Recorder.ExhaustedBucketHits);
        Assert.Equal(0, bot.Emulator.Recorder.InvalidResponses);
    }

    [Fact]
    public async Task A_skewed_reset_header_does_not_matter_because_reset_after_is_used()
    {
        await using var bot = await StartAsync(o =>
        {
            o.ResetHeaderSkew = TimeSpan.FromSeconds(-30);
            o.RouteLimits["POST channels/{channel}/messages"] = (2, TimeSpan.FromMilliseconds(600));
        });

        for (var i = 0; i < 6; i++)
        {
            await Post(bot, ChannelA, $"message {i}");
        }

        Assert.Equal(6, bot.Emulator.MessagesIn(ChannelA).Count);
        Assert.Equal(0, bot.Emulator.Recorder.ExhaustedBucketHits);
    }

    [Fact]
    public async Task Many_channels_at_once_stay_under_the_global_limit()
    {
        await using var bot = await StartAsync();
        var channels = Enumerable.Range(0, 70).Select(i => $"12000000000000{i:00000}").ToArray();
        bot.Emulator.AddGuild(GuildA, "Alpha readers", channels);

        await Task.WhenAll(channels.Select(c => Post(bot, c, "hello")));

        Assert.True(bot.Emulator.Recorder.MaxRequestsInAnySecond <= 50, $"{bot.Emulator.Recorder.MaxRequestsInAnySecond} requests in one second");
        Assert.Equal(0, bot.Emulator.Recorder.InvalidResponses);
        Assert.All(channels, c => Assert.Single(bot.Emulator.MessagesIn(c)));
    }

    [Fact]
    public async Task A_429_waits_the_larger_of_the_header_and_body_retry_after()
    {
        await using var bot = await StartAsync();
        bot.Emulator.Inject429("POST channels", retryAfter: 0.8, headerRetryAfter: 0.1);

        await Post(bot, ChannelA, "after a 429");

        var posts = bot.Emulator.Recorder.To("POST", "POST channels/{channel}/messages");
        Assert.Equal(2, posts.Count);
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(0.75), $"retried after {posts[1].At - posts[0].At}");
        Assert.Equal(0, bot.Emulator.Recorder.ExhaustedBucketHits);
        Assert.Single(bot.Emulator.MessagesIn(ChannelA));
    }

    [Fact]
    public async Task A_global_429_pauses_every_route()
    {
        await using var bot = await StartAsync();
        bot.Emulator.Inject429("POST channels", retryAfter: 0.7, global: true);

        var first = Post(bot, ChannelA, "first");
        await Task.Delay(100);
        await Task.WhenAll(first, Post(bot, ChannelB, "second"), bot.Get<DiscordRestClient>().GetAsync("users/@me", CancellationToken.None));

        Assert.Equal(0, bot.Emulator.Recorder.ExhaustedBucketHits);
        Assert.Single(bot.Emulator.MessagesIn(ChannelA));
        Assert.Single(bot.Emulator.MessagesIn(ChannelB));
    }

    [Fact]
    public async Task A_502_with_an_html_body_is_retried()
    {
        await using var bot = await StartAsync();
        bot.Emulator.Inject502("POST channels", count: 2);

        await Post(bot, ChannelA, "through the 502s");

        Assert.Equal(3, bot.Emulator.Recorder.To("POST", "POST channels/{channel}/messages").Count);
        Assert.Single(bot.Emulator.MessagesIn(ChannelA));
    }

    [Fact]
    public async Task A_timed_out_post_is_retried_with_its_nonce_and_lands_once()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:RestTimeoutSeconds"] = "0.5" });
        bot.Emulator.InjectDelay("POST channels/{channel}/messages", TimeSpan.FromSeconds(1.5));

        await Post(bot, ChannelA, "exactly once");
        await Task.Delay(1500);

        var posts = bot.Emulator.Recorder.To("POST", "POST channels/{channel}/messages");
        Assert.True(posts.Count >= 2, $"{posts.Count} posts");
        Assert.All(posts, p => Assert.True(p.Message!["enforce_nonce"]!.GetValue<bool>()));
        Assert.Single(posts.Select(p => p.Message!["nonce"]!.ToString()).Distinct());
        Assert.Single(bot.Emulator.MessagesIn(ChannelA));
    }

    [Fact]
    public async Task Every_request_carries_the_discordbot_user_agent()
    {
        await using var bot = await StartAsync();
        await Post(bot, ChannelA, "hi");

        Assert.All(bot.Emulator.Recorder.Requests, r => Assert.StartsWith("DiscordBot (https://", r.UserAgent));
        Assert.DoesNotContain(bot.Emulator.Recorder.Requests, r => r.Status == 400);
    }

    [Fact]
    public async Task A_file_reply_is_uploaded_as_a_multipart_attachment()
    {
        await using var bot = await StartAsync();

        await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new FileReply("library.md", "text/markdown", "# Library"u8.ToArray(), "The library export")), CancellationToken.None);

        var message = Assert.Single(bot.Emulator.MessagesIn(ChannelA));
        Assert.Equal("The library export", message["content"]!.GetValue<string>());
        Assert.Single(message["attachments"]!.AsArray());
        Assert.Empty(bot.Emulator.Recorder.UnsafeMessages);
    }

    [Fact]
    public async Task A_deleted_channel_is_an_outbound_exception_that_says_what_to_do()
    {
        await using var bot = await StartAsync();

        var ex = await Assert.ThrowsAsync<OutboundException>(() => Post(bot, "1999999999999999999", "nowhere"));

        Assert.Contains("/settings channel", ex.Message);
    }

    [Fact]
    public void Retry_after_takes_the_larger_of_header_and_body()
    {
        var headers = new Dictionary<string, string> { ["Retry-After"] = "1" };

        var (delay, global) = DiscordRestClient.RetryAfter(headers, """{"message":"You are being rate limited.","retry_after":2.5,"global":false}""");
        var (fromHeader, _) = DiscordRestClient.RetryAfter(new Dictionary<string, string> { ["Retry-After"] = "3", ["X-RateLimit-Scope"] = "global" }, "<html>");

        Assert.Equal(TimeSpan.FromSeconds(2.5), delay);
        Assert.False(global);
        Assert.Equal(TimeSpan.FromSeconds(3), fromHeader);
    }

    [Theory]
    [InlineData("POST", "channels/123/messages", "POST channels/{channel}/messages", "123", false)]
    [InlineData("PATCH", "channels/123/messages/456", "PATCH channels/{channel}/messages/{id}", "123", false)]
    [InlineData("PUT", "applications/77/guilds/88/commands", "PUT applications/{id}/guilds/{id}/commands", "", false)]
    [InlineData("POST", "interactions/55/secret-token/callback", "POST interactions/{interaction}/{token}/callback", "55", true)]
    public void Routes_are_bucketed_by_template_and_major_parameter(string method, string path, string key, string major, bool exempt)
    {
        var route = RouteInfo.Classify(method, path);

        Assert.Equal(key, route.Key);
        Assert.Equal(major, route.Major);
        Assert.Equal(exempt, route.ExemptFromGlobal);
        Assert.DoesNotContain("secret-token", route.Key + route.Major, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mention_guard_adds_an_empty_parse_to_messages_and_message_callbacks()
    {
        var message = new JsonObject { ["content"] = "@everyone hi" };
        var callback = new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "@here" } };
        var deferred = new JsonObject { ["type"] = 5, ["data"] = new JsonObject { ["flags"] = 64 } };

        MentionGuard.Apply(message);
        MentionGuard.Apply(callback);
        MentionGuard.Apply(deferred);

        Assert.True(DiscordRules.HasSafeMentions(message));
        Assert.True(DiscordRules.HasSafeMentions(callback["data"]!.AsObject()));
        Assert.Null(deferred["data"]!["allowed_mentions"]);
    }
}
