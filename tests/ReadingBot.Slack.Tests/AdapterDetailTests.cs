using System.Text.Json.Nodes;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>Smaller adapter behaviours: caching, org-wide installs, Web API methods not used by a command yet, upkeep.</summary>
public sealed class AdapterDetailTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    [Fact]
    public async Task Users_info_answers_are_cached_between_commands()
    {
        for (var i = 0; i < 3; i++)
        {
            await (await emulator.SlashCommandAsync("help")).WaitForResponseAsync();
        }

        Assert.Single(emulator.CallsTo("users.info"));
    }

    [Fact]
    public async Task An_org_wide_install_keys_the_group_by_enterprise()
    {
        var reply = await (await emulator.SlashCommandAsync("paper add 1706.03762", orgWideEnterpriseId: "E0ORG")).WaitForResponseAsync();

        Assert.Contains("Added #1", SlackJson.Strings(reply));
        Assert.NotNull(bot.Get<ReadingBot.Core.Groups.IGroupStore>().Find(new ReadingBot.Core.Groups.GroupAddress("slack", "E0ORG").Id));
    }

    [Fact]
    public async Task Views_open_works_with_a_fresh_trigger_id()
    {
        var delivery = await emulator.SlashCommandAsync("help");
        var view = new JsonObject { ["type"] = "modal", ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Add a paper" }, ["blocks"] = new JsonArray() };

        var r = await bot.Get<ReadingBot.Slack.Web.SlackWebApi>().OpenViewAsync(delivery.Payload["trigger_id"]!.ToString(), view, CancellationToken.None);

        Assert.NotNull(r["view"]!["id"]);
    }

    [Fact]
    public async Task Chat_update_replaces_a_message()
    {
        var api = bot.Get<ReadingBot.Slack.Web.SlackWebApi>();
        var posted = await api.PostMessageAsync(new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["text"] = "draft" }, CancellationToken.None);

        await api.UpdateAsync(new JsonObject { ["channel"] = SlackEmulator.QuietChannel, ["ts"] = posted["ts"]!.DeepClone(), ["text"] = "final" }, CancellationToken.None);

        Assert.Equal("final", emulator.MessagesIn(SlackEmulator.QuietChannel).Single().Text);
    }

    [Fact]
    public async Task Expired_delivery_ids_are_purged()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var db = ReadingBot.Storage.LiteDb.ReadingBotDatabase.OpenMemory();
        var log = new ReadingBot.Storage.LiteDb.LiteDeliveryLog(db);
        await using var purger = new ReadingBot.Core.Inbound.DeliveryClaims(log, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReadingBot.Core.Inbound.DeliveryClaims>.Instance);
        log.TryRecord("slack:event:Ev1", time.GetUtcNow(), time.GetUtcNow().AddMinutes(60));
        log.TryRecord("slack:event:Ev2", time.GetUtcNow(), time.GetUtcNow().AddMinutes(5));

        time.Advance(TimeSpan.FromMinutes(10));

        // The claims' own ten-minute timer may purge first: the total is what counts.
        purger.PurgeOnce();
        await Eventually.TrueAsync(() => purger.Purged == 1, "the expired id was purged, once");
        Assert.False(log.TryRecord("slack:event:Ev1", time.GetUtcNow(), time.GetUtcNow().AddMinutes(60)));
    }

    [Fact]
    public async Task A_request_signature_is_remembered_while_its_timestamp_is_accepted_and_then_purged()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var db = ReadingBot.Storage.LiteDb.ReadingBotDatabase.OpenMemory();
        var log = new ReadingBot.Storage.LiteDb.LiteDeliveryLog(db);
        var options = new SlackOptions();
        var guard = new ReadingBot.Slack.Http.SlackReplayGuard(log, Microsoft.Extensions.Options.Options.Create(options), time);
        await using var purger = new ReadingBot.Core.Inbound.DeliveryClaims(log, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReadingBot.Core.Inbound.DeliveryClaims>.Instance);
        var body = "team_id=T0READING&text=wayr%20post%20x"u8.ToArray();
        var sent = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = ReadingBot.Slack.Http.SlackSignature.Compute("secret", sent, body);
        var window = TimeSpan.FromSeconds(options.SignatureWindowSeconds);

        var first = guard.TryFirstUse(sent, signature);
        time.Advance(window);
        var stillAccepted = ReadingBot.Slack.Http.SlackSignature.Verify("secret", sent, signature, body, time.GetUtcNow(), window);
        var replay = guard.TryFirstUse(sent, signature);
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.True(first);
        Assert.True(stillAccepted);
        Assert.False(replay);
        purger.PurgeOnce();
        await Eventually.TrueAsync(() => purger.Purged == 1, "the remembered signature was purged, once");
    }
}

