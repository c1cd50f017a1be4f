using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.TestSupport.Discord;

namespace ReadingBot.Discord.Tests;

/// <summary>The emulator's own rules, driven by raw HTTP and WebSocket clients: it refuses what Discord refuses.</summary>
public sealed class EmulatorTests
{
    private const string Guild = "1100000000000000001";
    private const string Channel = "1110000000000000001";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    internal static async Task<DiscordEmulator> Start(Action<DiscordEmulatorOptions>? configure = null)
    {
        var emulator = await DiscordEmulator.StartAsync(o =>
        {
            o.IdentifyConcurrencyWindow = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        emulator.AddGuild(Guild, "Raw", Channel);
        return emulator;
    }

    // ---- Gateway ----

    internal static async Task<ClientWebSocket> Connect(DiscordEmulator emulator, string? url = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((url ?? emulator.GatewayUrl) + "/?v=10&encoding=json"), CancellationToken.None);
        var hello = await Receive(socket);
        Assert.Equal(10, hello!["op"]!.GetValue<int>());
        return socket;
    }

    internal static async Task<JsonObject?> Receive(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Wait);
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
            }
        }
    }

    internal static Task Send(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    internal static string Identify(string token, int intents = 513) =>
        new JsonObject { ["op"] = 2, ["d"] = new JsonObject { ["token"] = token, ["intents"] = intents, ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "raw", ["device"] = "raw" } } }.ToJsonString();

    private static async Task<int?> CloseCode(ClientWebSocket socket)
    {
        while (await Receive(socket) is not null)
        {
        }

        return (int?)socket.CloseStatus;
    }

    internal static async Task<JsonObject> Until(ClientWebSocket socket, string type)
    {
        while (await Receive(socket) is { } frame)
        {
            if (frame["t"]?.GetValue<string>() == type)
            {
                return frame;
            }
        }

        throw new InvalidOperationException($"closed before {type}");
    }

    [Fact]
    public async Task A_payload_before_identify_closes_with_4003()
    {
        await using var emulator = await Start();
        using var socket = await Connect(emulator);

        await Send(socket, """{"op":3,"d":{"status":"online","afk":false,"since":null,"activities":[]}}""");

        Assert.Equal(4003, await CloseCode(socket));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData(null)]
    public async Task Invalid_json_or_a_frame_over_4096_bytes_closes_with_4002(string? text)
    {
        await using var emulator = await Start();
        using var socket = await Connect(emulator);

        await Send(socket, text ?? """{"op":1,"d":null,"pad":""" + "\"" + new string('x', 5000) + "\"}");

        Assert.Equal(4002, await CloseCode(socket));
    }

    [Fact]
    public async Task Identify_checks_token_intents_and_repetition()
    {
        await using var emulator = await Start();
        using (var wrongToken = await Connect(emulator))
        {
            await Send(wrongToken, Identify("wrong"));
            Assert.Equal(4004, await CloseCode(wrongToken));
        }

        using (var badBits = await Connect(emulator))
        {
            await Send(badBits, Identify(emulator.Token, 1 << 18));
            Assert.Equal(4013, await CloseCode(badBits));
        }

        using (var privileged = await Connect(emulator))
        {
            await Send(privileged, Identify(emulator.Token, 513 | (1 << 15)));
            Assert.Equal(4014, await CloseCode(privileged));
        }

        using var twice = await Connect(emulator);
        await Send(twice, Identify(emulator.Token));
        var ready = await Until(twice, "READY");
        Assert.Equal(emulator.ResumeUrl, ready["d"]!["resume_gateway_url"]!.GetValue<string>());
        await Send(twice, Identify(emulator.Token));
        Assert.Equal(4005, await CloseCode(twice));
    }

    [Fact]
    public async Task Identifies_closer_than_max_concurrency_allows_get_op_9()
    {
        await using var emulator = await Start(o => o.IdentifyConcurrencyWindow = TimeSpan.FromSeconds(5));
        using var first = await Connect(emulator);
        await Send(first, Identify(emulator.Token));
        await Until(first, "READY");

        using var second = await Connect(emulator);
        await Send(second, Identify(emulator.Token));
        var invalid = await Receive(second);

        Assert.Equal(9, invalid!["op"]!.GetValue<int>());
        Assert.False(invalid["d"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Too_many_sends_close_with_4008()
    {
        await using var emulator = await Start(o => o.GatewaySendLimit = 5);
        using var socket = await Connect(emulator);

        for (var i = 0; i < 7; i++)
        {
            await Send(socket, """{"op":1,"d":null}""");
        }

        Assert.Equal(4008, await CloseCode(socket));
    }

    [Fact]
    public async Task Resume_replays_missed_events_then_resumed_and_refuses_a_seq_from_the_future()
    {
        await using var emulator = await Start();
        using var first = await Connect(emulator);
        await Send(first, Identify(emulator.Token));
        var ready = await Until(first, "READY");
        var session = ready["d"]!["session_id"]!.GetValue<string>();
        var seq = (await Until(first, "GUILD_CREATE"))["s"]!.GetValue<int>();
        first.Abort();
        await DiscordEmulator.WaitUntilAsync(() => emulator.LiveConnections == 0, Wait, "the drop");
        await emulator.DispatchAsync("TYPING_START", new JsonObject { ["channel_id"] = Channel });

        using var resumed = await Connect(emulator, emulator.ResumeUrl);
        await Send(resumed, new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = emulator.Token, ["session_id"] = session, ["seq"] = seq } }.ToJsonString());
        var replayed = await Receive(resumed);
        Assert.Equal("TYPING_START", replayed!["t"]!.GetValue<string>());
        Assert.Equal(seq + 1, replayed["s"]!.GetValue<int>());
        Assert.Equal("RESUMED", (await Receive(resumed))!["t"]!.GetValue<string>());

        using var future = await Connect(emulator, emulator.ResumeUrl);
        await Send(future, new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = emulator.Token, ["session_id"] = session, ["seq"] = seq + 100 } }.ToJsonString());
        Assert.Equal(4007, await CloseCode(future));

        using var unknown = await Connect(emulator, emulator.ResumeUrl);
        await Send(unknown, new JsonObject { ["op"] = 6, ["d"] = new JsonObject { ["token"] = emulator.Token, ["session_id"] = "nope", ["seq"] = 1 } }.ToJsonString());
        var invalid = await Receive(unknown);
        Assert.Equal(9, invalid!["op"]!.GetValue<int>());
        Assert.False(invalid["d"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Identifying_past_the_budget_resets_the_token_as_discord_does()
    {
        await using var emulator = await Start(o => o.IdentifyBudget = 1);
        var token = emulator.Token;
        using (var first = await Connect(emulator))
        {
            await Send(first, Identify(token));
            await Until(first, "READY");
        }

        using var second = await Connect(emulator);
        await Send(second, Identify(token));

        Assert.Equal(4004, await CloseCode(second));
        Assert.Equal(1, emulator.TokenResets);
        Assert.NotEqual(token, emulator.Token);
    }

    // ---- REST ----

    internal static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> Rest(DiscordEmulator emulator, HttpMethod method, string path, string? json = null, bool auth = true, bool agent = true, string contentType = "application/json")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, emulator.ApiBaseUrl + "/" + path);
        if (auth)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + emulator.Token);
        }

        if (agent)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.org, 1.0)");
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null, response);
    }

    internal static int Code(JsonNode? body) => body?["code"]?.GetValue<int>() ?? -1;

    [Fact]
    public async Task Rest_checks_authorization_user_agent_and_content_type()
    {
        await using var emulator = await Start();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Rest(emulator, HttpMethod.Get, "users/@me", auth: false)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Rest(emulator, HttpMethod.Get, "users/@me", agent: false)).Status);
        var wrongType = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", """{"content":"x"}""", contentType: "text/plain");
        Assert.Equal(50035, Code(wrongType.Body));
        Assert.Equal(10003, Code((await Rest(emulator, HttpMethod.Post, "channels/1999/messages", """{"content":"x"}""")).Body));
    }

    [Fact]
    public async Task Messages_follow_discords_rules()
    {
        await using var emulator = await Start(o => o.DefaultBucketLimit = 50);

        Assert.Equal(50006, Code((await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", "{}")).Body));
        Assert.Equal(50035, Code((await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", $$"""{"content":"{{new string('x', 2001)}}"}""")).Body));
        Assert.Equal(50035, Code((await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", """{"content":"x","allowed_mentions":{"parse":["users"],"users":["1"]}}""")).Body));

        var first = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", """{"content":"once","nonce":"n-1","enforce_nonce":true}""");
        var again = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", """{"content":"once","nonce":"n-1","enforce_nonce":true}""");
        Assert.Equal(first.Body!["id"]!.GetValue<string>(), again.Body!["id"]!.GetValue<string>());
        Assert.Single(emulator.MessagesIn(Channel));

        var messageId = first.Body!["id"]!.GetValue<string>();
        var thread = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages/{messageId}/threads", """{"name":"talk"}""");
        Assert.Equal(messageId, thread.Body!["id"]!.GetValue<string>());
        Assert.Equal(11, thread.Body!["type"]!.GetValue<int>());
        Assert.Equal(160004, Code((await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages/{messageId}/threads", """{"name":"talk"}""")).Body));
        Assert.Equal(12, (await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/threads", """{"name":"private by default"}""")).Body!["type"]!.GetValue<int>());

        Assert.Equal(50035, Code((await Rest(emulator, HttpMethod.Get, $"channels/{Channel}/messages?before=1&after=2")).Body));
        Assert.Single((await Rest(emulator, HttpMethod.Get, $"channels/{Channel}/messages?limit=10")).Body!.AsArray());
    }

    [Fact]
    public async Task An_enforced_nonce_returns_the_same_authors_message_in_any_channel_only_within_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        const string other = "1110000000000000009";
        await using var emulator = await Start(o =>
        {
            o.Time = time;
            o.DefaultBucketLimit = 50;
        });
        emulator.AddGuild("1100000000000000009", "Other", other);
        const string body = """{"content":"weekly","nonce":"0123456789abcdef012345678","enforce_nonce":true}""";

        var first = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", body);
        time.Advance(TimeSpan.FromMinutes(4));
        var elsewhere = await Rest(emulator, HttpMethod.Post, $"channels/{other}/messages", body);
        time.Advance(TimeSpan.FromMinutes(2));
        var late = await Rest(emulator, HttpMethod.Post, $"channels/{Channel}/messages", body);

        Assert.Equal(first.Body!["id"]!.ToString(), elsewhere.Body!["id"]!.ToString());
        Assert.Empty(emulator.MessagesIn(other));
        Assert.NotEqual(first.Body!["id"]!.ToString(), late.Body!["id"]!.ToString());
        Assert.Equal(2, emulator.MessagesIn(Channel).Count);
        Assert.Equal(1, emulator.Recorder.NonceHits);
    }

    [Fact]
    public async Task Buckets_send_headers_and_count_requests_to_an_exhausted_bucket()
    {
        await using var emulator = await Start(o => o.RouteLimits["GET users/@me"] = (2, TimeSpan.FromSeconds(5)));

        var first = await Rest(emulator, HttpMethod.Get, "users/@me");
        await Rest(emulator, HttpMethod.Get, "users/@me");
        var third = await Rest(emulator, HttpMethod.Get, "users/@me");

        Assert.Equal("1", first.Response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.NotEmpty(first.Response.Headers.GetValues("X-RateLimit-Bucket").Single());
        Assert.True(double.Parse(first.Response.Headers.GetValues("X-RateLimit-Reset-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 4);
        Assert.Equal((HttpStatusCode)429, third.Status);
        Assert.True(third.Body!["retry_after"]!.GetValue<double>() > 4);
        Assert.Equal(1, emulator.Recorder.ExhaustedBucketHits);
        Assert.Equal(1, emulator.Recorder.InvalidResponses);
    }

    [Fact]
    public async Task The_interaction_callback_state_machine_follows_discord()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await Start(o => o.Time = time);
        var user = new EmulatedUser("1000000000000000001", "alice");
        var app = emulator.Options.ApplicationId;

        var late = emulator.NewCommand(Guild, Channel, user, "help");
        time.Advance(TimeSpan.FromSeconds(3.5));
        Assert.Equal(10062, Code((await Rest(emulator, HttpMethod.Post, $"interactions/{late.Id}/{late.Token}/callback", """{"type":4,"data":{"content":"late"}}""")).Body));

        var once = emulator.NewCommand(Guild, Channel, user, "help");
        Assert.Equal(10008, Code((await Rest(emulator, HttpMethod.Patch, $"webhooks/{app}/{once.Token}/messages/@original", """{"content":"too early"}""")).Body));
        Assert.Equal(50035, Code((await Rest(emulator, HttpMethod.Post, $"interactions/{once.Id}/{once.Token}/callback", """{"type":5,"data":{"content":"no"}}""")).Body));
        Assert.Equal(50035, Code((await Rest(emulator, HttpMethod.Post, $"interactions/{once.Id}/{once.Token}/callback", """{"type":8,"data":{"choices":[]}}""")).Body));
        Assert.Equal(HttpStatusCode.NoContent, (await Rest(emulator, HttpMethod.Post, $"interactions/{once.Id}/{once.Token}/callback", """{"type":5,"data":{"flags":64}}""")).Status);
        Assert.Equal(40060, Code((await Rest(emulator, HttpMethod.Post, $"interactions/{once.Id}/{once.Token}/callback", """{"type":4,"data":{"content":"twice"}}""")).Body));
        Assert.Equal(HttpStatusCode.OK, (await Rest(emulator, HttpMethod.Patch, $"webhooks/{app}/{once.Token}/messages/@original", """{"content":"done"}""")).Status);
        Assert.Equal("done", (await once.WaitForReplyAsync(Wait))["content"]!.GetValue<string>());

        var withResponse = emulator.NewCommand(Guild, Channel, user, "help");
        var answered = await Rest(emulator, HttpMethod.Post, $"interactions/{withResponse.Id}/{withResponse.Token}/callback?with_response=true", """{"type":4,"data":{"content":"hi"}}""");
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal("hi", answered.Body!["resource"]!["message"]!["content"]!.GetValue<string>());

        time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(50027, Code((await Rest(emulator, HttpMethod.Patch, $"webhooks/{app}/{once.Token}/messages/@original", """{"content":"expired"}""")).Body));
    }
}
