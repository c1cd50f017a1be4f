using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>The emulator keeps Slack's rules, so the adapter's tests mean something.</summary>
public sealed class EmulatorTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient http = new();
    private SlackEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await SlackEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    public void Dispose() => http.Dispose();

    private async Task<JsonObject> CallAsync(string method, JsonObject args, string? token = null, bool form = false, string contentType = "application/json; charset=utf-8")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.ApiBaseUrl + method));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (form)
        {
            request.Content = new FormUrlEncodedContent(args.Select(p => new KeyValuePair<string, string>(p.Key, p.Value is JsonValue v ? v.ToString() : p.Value!.ToJsonString())));
        }
        else
        {
            request.Content = new StringContent(args.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private string Bot => emulator.Team().BotToken;

    private static string? Error(JsonObject r) => r["ok"]!.GetValue<bool>() ? null : r["error"]!.ToString();

    [Fact]
    public async Task Tokens_follow_slacks_rules()
    {
        Assert.Equal("not_authed", Error(await CallAsync("auth.test", [])));
        Assert.Equal("invalid_auth", Error(await CallAsync("auth.test", [], "xoxb-unknown")));
        Assert.Equal("not_allowed_token_type", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x" }, emulator.AppToken)));
        Assert.Equal("not_allowed_token_type", Error(await CallAsync("apps.connections.open", [], Bot, form: true)));
        Assert.Equal("not_authed", Error(await CallAsync("apps.connections.open", new JsonObject { ["token"] = emulator.AppToken }, form: true)));
        Assert.Null(Error(await CallAsync("apps.connections.open", [], emulator.AppToken, form: true)));
        Assert.Null(Error(await CallAsync("auth.test", new JsonObject { ["token"] = Bot }, form: true)));
    }

    [Fact]
    public async Task Json_without_a_charset_works_with_a_warning()
    {
        var r = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x" }, Bot, contentType: "application/json");

        Assert.Null(Error(r));
        Assert.Equal("missing_charset", r["warning"]!.ToString());
    }

    [Fact]
    public async Task Logical_errors_are_http_200_with_ok_false()
    {
        Assert.Equal("channel_not_found", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = "C0NONE", ["text"] = "x" }, Bot)));
        Assert.Equal("not_in_channel", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.OutsideChannel, ["text"] = "x" }, Bot)));
        Assert.Equal("msg_too_long", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = new string('x', 40_001) }, Bot)));
        Assert.Equal("no_text", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel }, Bot)));
        Assert.Equal("thread_not_found", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x", ["thread_ts"] = "1.000001" }, Bot)));
        Assert.Equal("user_not_found", Error(await CallAsync("users.info", new JsonObject { ["user"] = "U0NOBODY" }, Bot, form: true)));
        Assert.Equal("unknown_method", Error(await CallAsync("chat.frobnicate", [], Bot)));
    }

    [Fact]
    public async Task Block_limits_are_enforced()
    {
        var tooMany = new JsonArray([.. Enumerable.Range(0, 51).Select(_ => (JsonNode)new JsonObject { ["type"] = "divider" })]);
        var longSection = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = new string('x', 3001) } });
        var longLabel = new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "a", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('x', 76) } }) });

        foreach (var blocks in new[] { tooMany, longSection, longLabel })
        {
            Assert.Equal("invalid_blocks", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x", ["blocks"] = blocks }, Bot)));
        }

        // Form bodies carry blocks as a JSON string, as Slack's own clients send them.
        Assert.Equal("invalid_blocks", Error(await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "x", ["blocks"] = tooMany.ToJsonString() }, Bot, form: true)));
    }

    [Fact]
    public async Task Timestamps_are_monotonic_and_threads_count_replies()
    {
        var parent = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["text"] = "parent" }, Bot);
        var ts = parent["ts"]!.ToString();
        emulator.Options.ChannelPostInterval = TimeSpan.Zero;
        var replies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add((await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["text"] = $"r{i}", ["thread_ts"] = ts }, Bot))["ts"]!.ToString());
        }

        var thread = await CallAsync("conversations.replies", new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["ts"] = ts, ["limit"] = 2 }, Bot, form: true);
        var messages = thread["messages"]!.AsArray();

        Assert.Equal(replies.Order(StringComparer.Ordinal), replies);
        Assert.True(string.CompareOrdinal(ts, replies[0]) < 0);
        Assert.Equal(3, messages[0]!["reply_count"]!.GetValue<int>());
        Assert.True(thread["has_more"]!.GetValue<bool>());
        Assert.Equal("invalid_cursor", Error(await CallAsync("conversations.replies", new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["ts"] = ts, ["cursor"] = "bm9wZQ==" }, Bot, form: true)));
        Assert.Equal("thread_not_found", Error(await CallAsync("conversations.replies", new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["ts"] = "1.000001" }, Bot, form: true)));
    }

    [Fact]
    public async Task Posting_faster_than_once_a_second_per_channel_is_refused_with_retry_after()
    {
        await CallAsync("chat.postMessage", new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "one" }, Bot);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.ApiBaseUrl + "chat.postMessage"))
        {
            Content = new StringContent(new JsonObject { ["channel"] = SlackEmulator.GeneralChannel, ["text"] = "two" }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bot);

        using var response = await http.SendAsync(request);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter!.Delta);
        Assert.Single(emulator.Violations);
    }

    [Fact]
    public async Task Method_tiers_are_enforced_per_minute()
    {
        emulator.Options.MethodLimitsPerMinute["users.info"] = 3;
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(Error(await CallAsync("users.info", new JsonObject { ["user"] = SlackEmulator.Alice }, Bot, form: true)));
        }

        Assert.Equal("ratelimited", Error(await CallAsync("users.info", new JsonObject { ["user"] = SlackEmulator.Alice }, Bot, form: true)));
    }

    [Fact]
    public async Task Injected_server_errors_have_an_html_body()
    {
        emulator.InjectFault("auth.test", SlackFault.ServerError(503));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.ApiBaseUrl + "auth.test"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bot);

        using var response = await http.SendAsync(request);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.StartsWith("<html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trigger_ids_expire_after_three_seconds_and_work_once()
    {
        // The emulator's own clock, moved by hand: how long the machine takes between calls does not count.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        emulator.Options.Time = time;
        using var raw = await RawSocket.OpenAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();
        var view = new JsonObject { ["type"] = "modal", ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Add a paper" }, ["blocks"] = new JsonArray() };

        var fresh = (await emulator.SlashCommandAsync("x")).Payload["trigger_id"]!.ToString();
        var stale = (await emulator.SlashCommandAsync("y")).Payload["trigger_id"]!.ToString();
        var second = (await emulator.SlashCommandAsync("z")).Payload["trigger_id"]!.ToString();
        Assert.Null(Error(await CallAsync("views.open", new JsonObject { ["trigger_id"] = fresh, ["view"] = view.DeepClone() }, Bot)));
        Assert.Equal("exchanged_trigger_id", Error(await CallAsync("views.open", new JsonObject { ["trigger_id"] = fresh, ["view"] = view.DeepClone() }, Bot)));
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Null(Error(await CallAsync("views.open", new JsonObject { ["trigger_id"] = second, ["view"] = view.DeepClone() }, Bot)));
        time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal("expired_trigger_id", Error(await CallAsync("views.open", new JsonObject { ["trigger_id"] = stale, ["view"] = view.DeepClone() }, Bot)));
        Assert.Equal("invalid_trigger_id", Error(await CallAsync("views.open", new JsonObject { ["trigger_id"] = "made.up", ["view"] = view.DeepClone() }, Bot)));
    }

    [Fact]
    public async Task Response_urls_take_five_posts_and_expire()
    {
        using var raw = await RawSocket.OpenAsync(emulator);
        await emulator.WaitForOpenSocketsAsync();
        var url = (await emulator.SlashCommandAsync("x")).Payload["response_url"]!.ToString();

        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            using var r = await http.PostAsync(new Uri(url), new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "application/json"));
            statuses.Add((int)r.StatusCode);
        }

        emulator.Options.ResponseUrlLifetime = TimeSpan.FromMilliseconds(100);
        var late = (await emulator.SlashCommandAsync("y")).Payload["response_url"]!.ToString();
        await Task.Delay(200);
        using var expired = await http.PostAsync(new Uri(late), new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "application/json"));

        Assert.Equal([200, 200, 200, 200, 200, 404], statuses);
        Assert.Equal("expired_url", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tickets_are_single_use_and_the_eleventh_socket_is_refused()
    {
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < 10; i++)
        {
            sockets.Add(await RawSocket.OpenAsync(emulator));
            Assert.Equal("hello", (await RawSocket.ReceiveAsync(sockets[^1]))["type"]!.ToString());
        }

        using var eleventh = await RawSocket.OpenAsync(emulator);
        var frame = await RawSocket.ReceiveAsync(eleventh);

        Assert.Equal("disconnect", frame["type"]!.ToString());
        Assert.Equal("too_many_websockets", frame["reason"]!.ToString());

        var r = await CallAsync("apps.connections.open", [], emulator.AppToken, form: true);
        using var first = new System.Net.WebSockets.ClientWebSocket();
        await first.ConnectAsync(new Uri(r["url"]!.ToString()), CancellationToken.None);
        using var reuse = new System.Net.WebSockets.ClientWebSocket();
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => reuse.ConnectAsync(new Uri(r["url"]!.ToString()), CancellationToken.None));
        Assert.Single(emulator.RejectedTickets);
        foreach (var s in sockets)
        {
            s.Abort();
            s.Dispose();
        }
    }

    [Fact]
    public async Task Slacks_http_retries_carry_retry_headers_and_stop_on_no_retry()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var noRetry = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        await using var target = builder.Build();
        target.MapPost("/slack/events", (HttpContext ctx) =>
        {
            seen.Enqueue($"{ctx.Request.Headers["X-Slack-Retry-Num"]}/{ctx.Request.Headers["X-Slack-Retry-Reason"]}/{ctx.Request.Headers["X-Slack-Signature"].ToString()[..3]}");
            if (noRetry)
            {
                ctx.Response.Headers["X-Slack-No-Retry"] = "1";
            }

            return Results.StatusCode(500);
        });
        await target.StartAsync();
        var address = target.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Options.Delivery = SlackDeliveryMode.Http;
        emulator.Options.HttpTarget = new Uri(address + "/");
        emulator.Options.HttpRetryDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)];

        var retried = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject { ["type"] = "app_mention" }, "EvSAME");
        await retried.Finished.WaitAsync(TimeSpan.FromSeconds(30));
        noRetry = true;
        var stopped = await emulator.DeliverEventAsync(SlackEmulator.DefaultTeam, new JsonObject { ["type"] = "app_mention" });
        await stopped.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["//v0=", "1/http_error/v0=", "2/http_error/v0=", "3/http_error/v0=", "//v0="], seen);
        Assert.Single(stopped.HttpAttempts);
        await target.StopAsync();
    }
}
