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
}
