using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>HTTP interactions: Ed25519 over timestamp + raw body, PING, inline answers, deferral, and refusals.</summary>
public sealed class HttpModeTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly InteractionSigner signer = new();
    private readonly HttpClient http = new();
    private DiscordHarness bot = null!;

    public async Task InitializeAsync()
    {
        bot = await Start();
        await DiscordEmulator.WaitUntilAsync(() => bot.Emulator.Commands() is not null && bot.State.IsConnected, Wait, "registration in Http mode");
    }

    private Task<DiscordHarness> Start(Action<IServiceCollection>? services = null) => StartAsync(
        settings: new Dictionary<string, string?> { ["Discord:Mode"] = "Http", ["Discord:PublicKey"] = signer.PublicKeyHex, ["Discord:DeferAfterSeconds"] = "1" },
        services: services,
        waitForSession: false);

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
    }

    public void Dispose()
    {
        http.Dispose();
        signer.Dispose();
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Ping_is_answered_with_type_1_json()
    {
        using var response = await signer.SendAsync(http, bot.InteractionsEndpoint, new JsonObject { ["id"] = "1", ["type"] = 1, ["application_id"] = bot.Emulator.Options.ApplicationId, ["token"] = "t", ["version"] = 1 }, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        Assert.Equal(0, bot.Emulator.Connections);
    }

    [Fact]
    public async Task A_command_is_answered_inline()
    {
        var interaction = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "list");

        using var response = await signer.SendAsync(http, bot.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((200, 0), bot.Emulator.AcceptInlineResponse(interaction, body));
        Assert.Contains("The library is empty", await interaction.ReplyTextAsync(Wait));
        Assert.Empty(bot.Emulator.Recorder.UnsafeMessages);
    }

    [Fact]
    public async Task A_slow_command_answers_deferred_inline_then_edits_the_original()
    {
        await using var slow = await Start(s => s.AddSingleton<IPaperMetadataSource>(new SlowMetadataSource(TimeSpan.FromSeconds(2))));
        await DiscordEmulator.WaitUntilAsync(() => slow.State.IsConnected, Wait, "start");
        var interaction = slow.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.00001"));

        using var response = await signer.SendAsync(http, slow.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        slow.Emulator.AcceptInlineResponse(interaction, body);

        Assert.Equal(5, body["type"]!.GetValue<int>());
        Assert.Contains("Added #1", await interaction.ReplyTextAsync(Wait));
        Assert.Empty(interaction.Errors);
    }

    [Fact]
    public async Task A_signature_from_another_key_is_refused()
    {
        using var forger = new InteractionSigner();
        var body = Encoding.UTF8.GetBytes(bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help").Payload.ToJsonString());
        var timestamp = Now();

        using var response = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, timestamp, forger.Sign(timestamp, body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_body_is_refused()
    {
        var body = Encoding.UTF8.GetBytes(bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help").Payload.ToJsonString());
        var timestamp = Now();
        var signature = signer.Sign(timestamp, body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(GuildA, GuildB, StringComparison.Ordinal));

        using var response = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, tampered, timestamp, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("not-hex-at-all", true)]
    [InlineData(null, true)]
    [InlineData("", false)]
    public async Task Missing_or_malformed_headers_are_refused(string? signature, bool withTimestamp)
    {
        var body = Encoding.UTF8.GetBytes(bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help").Payload.ToJsonString());

        using var response = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, withTimestamp ? Now() : null, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_even_when_signed()
    {
        var interaction = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help");

        using var response = await signer.SendAsync(http, bot.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_interaction_is_refused()
    {
        var interaction = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help");
        var body = Encoding.UTF8.GetBytes(interaction.Payload.ToJsonString());
        var timestamp = Now();
        var signature = signer.Sign(timestamp, body);

        using var first = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, timestamp, signature);
        using var replay = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, timestamp, signature);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }

    [Fact]
    public async Task A_replayed_ping_is_refused_like_any_replayed_interaction()
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = "1200000000000000001", ["type"] = 1, ["application_id"] = bot.Emulator.Options.ApplicationId, ["token"] = "t", ["version"] = 1 }.ToJsonString());
        var timestamp = Now();
        var signature = signer.Sign(timestamp, body);

        using var first = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, timestamp, signature);
        using var replay = await InteractionSigner.PostAsync(http, bot.InteractionsEndpoint, body, timestamp, signature);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("replayed interaction", await replay.Content.ReadAsStringAsync());
    }

    /// <summary>Signed payloads whose fields have the wrong JSON types or are missing: each one a different way in.</summary>
    private static readonly (string Kind, string Problem)[] MalformedPayloads =
    [
        ("ping type as a string", "type is not a number"),
        ("command type as a string", "type is not a number"),
        ("id as a number", "id is not a snowflake"),
        ("type missing", "type is not a number"),
        ("data null", "data is missing"),
        ("data a string", "data is not an object"),
        ("name a number", "data.name is not a string"),
        ("options a string", "data.options is not an array"),
        ("options of numbers", "data.options holds something"),
        ("option name a number", "data.options[].options[].name"),
        ("option type a string", "data.options[].type"),
        ("subcommand options an object", "data.options[].options is not an array"),
        ("focused a string", "data.options[].options[].focused"),
        ("member missing", "member is missing"),
        ("member a string", "member is not an object"),
        ("member user id a number", "member.user.id"),
        ("permissions a number", "member.permissions"),
        ("roles of numbers", "member.roles"),
        ("guild_id a number", "guild_id is not a string"),
        ("channel_id a number", "channel_id is not a string"),
        ("channel type a string", "channel.type"),
        ("token a number", "token is not a string"),
        ("custom_id a number", "data.custom_id"),
        ("neither member nor user", "neither member nor user"),
    ];

    private JsonObject Malformed(string kind)
    {
        var command = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.00001")).Payload;
        var button = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "help").Payload;
        button["type"] = 3;
        button["data"] = new JsonObject { ["custom_id"] = "rb:help", ["component_type"] = 2 };
        var data = command["data"]!.AsObject();
        var sub = data["options"]![0]!.AsObject();
        switch (kind)
        {
            case "ping type as a string": return new JsonObject { ["id"] = "1200000000000000002", ["type"] = "1", ["token"] = "t", ["version"] = 1 };
            case "command type as a string": command["type"] = "2"; break;
            case "id as a number": command["id"] = 7; break;
            case "type missing": command.Remove("type"); break;
            case "data null": command["data"] = null; break;
            case "data a string": command["data"] = "paper"; break;
            case "name a number": data["name"] = 12; break;
            case "options a string": data["options"] = "add"; break;
            case "options of numbers": data["options"] = new JsonArray(1, 2); break;
            case "option name a number": sub["options"]![0]!["name"] = 5; break;
            case "option type a string": sub["type"] = "1"; break;
            case "subcommand options an object": sub["options"] = new JsonObject { ["ref"] = "2101.00001" }; break;
            case "focused a string": sub["options"]![0]!["focused"] = "yes"; command["type"] = 4; break;
            case "member missing": command.Remove("member"); break;
            case "member a string": command["member"] = "alice"; break;
            case "member user id a number": command["member"]!["user"]!["id"] = 1000000000000000001; break;
            case "permissions a number": command["member"]!["permissions"] = 32; break;
            case "roles of numbers": command["member"]!["roles"] = new JsonArray(1, 2); break;
            case "guild_id a number": command["guild_id"] = 1100000000000000001; break;
            case "channel_id a number": command["channel_id"] = 1110000000000000001; break;
            case "channel type a string": command["channel"]!["type"] = "11"; break;
            case "token a number": command["token"] = 42; break;
            case "custom_id a number": button["data"]!["custom_id"] = 9; return button;
            case "neither member nor user": command.Remove("member"); command.Remove("guild_id"); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return command;
    }

    [Fact]
    public async Task Signed_payloads_with_wrong_types_get_400_and_one_log_line_each_and_the_endpoint_still_works()
    {
        var failures = new List<string>();
        foreach (var (kind, expected) in MalformedPayloads)
        {
            var before = bot.Logs.Lines.Count;
            using var bad = await signer.SendAsync(http, bot.InteractionsEndpoint, Malformed(kind), DateTimeOffset.UtcNow);
            var logged = bot.Logs.Lines.Skip(before).ToList();
            // Kestrel and hosting write Information and Debug lines of their own about every request.
            var loud = logged.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
            if (bad.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{kind}: {(int)bad.StatusCode}");
            }

            if (loud.Count != 1 || !loud[0].Contains("malformed Discord interaction: " + expected, StringComparison.Ordinal))
            {
                failures.Add($"{kind}: logged [{string.Join(" | ", loud)}]");
            }

            if (logged.Any(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal)))
            {
                failures.Add($"{kind}: a stack trace in the log");
            }
        }

        var interaction = bot.Emulator.NewCommand(GuildA, ChannelA, Alice, "paper", "list");
        using var response = await signer.SendAsync(http, bot.InteractionsEndpoint, interaction.Payload, DateTimeOffset.UtcNow);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        bot.Emulator.AcceptInlineResponse(interaction, body);
        Assert.Contains("The library is empty", await interaction.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_before_it_ends()
    {
        // A body without Content-Length that never ends: reading it to the end would wait forever.
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(bot.InteractionsEndpoint.Host, bot.InteractionsEndpoint.Port);
        var stream = client.GetStream();
        var head = $"POST {bot.InteractionsEndpoint.AbsolutePath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Signature-Timestamp: {Now()}\r\nX-Signature-Ed25519: {new string('0', 128)}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        var size = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        for (var sent = 0; sent <= 1024 * 1024; sent += chunk.Length)
        {
            await stream.WriteAsync(size);
            await stream.WriteAsync(chunk);
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        using var timeout = new CancellationTokenSource(Wait);
        var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync(timeout.Token);

        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
    }
}
