using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.EmulatorTests;

namespace ReadingBot.Discord.Tests;

/// <summary>The emulator's Guild Scheduled Events, by raw HTTP and WebSocket: it refuses what the docs say Discord refuses.</summary>
public sealed class EmulatorScheduledEventTests
{
    private const string Guild = "1100000000000000001";
    private const string Events = $"guilds/{Guild}/scheduled-events";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static Task<DiscordEmulator> StartAsync(Action<DiscordEmulatorOptions>? configure = null) => Start(o =>
    {
        o.Time = new FakeTimeProvider(Now);
        configure?.Invoke(o);
    });

    private static string At(TimeSpan fromNow) => (Now + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A valid EXTERNAL event, with <paramref name="change"/> applied.</summary>
    private static string External(Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["name"] = "Attention Is All You Need",
            ["privacy_level"] = 2,
            ["entity_type"] = 3,
            ["scheduled_start_time"] = At(TimeSpan.FromDays(1)),
            ["scheduled_end_time"] = At(TimeSpan.FromDays(1) + TimeSpan.FromHours(1)),
            ["entity_metadata"] = new JsonObject { ["location"] = "https://discord.com/channels/1/2" },
        };
        change?.Invoke(body);
        return body.ToJsonString();
    }

    private static async Task<string> CreateAsync(DiscordEmulator emulator)
    {
        var created = await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External());
        Assert.Equal(HttpStatusCode.OK, created.Status);
        return created.Body!["id"]!.ToString();
    }

    [Fact]
    public async Task A_valid_external_event_is_scheduled_by_the_bot_with_rate_limit_headers()
    {
        await using var emulator = await StartAsync();

        var created = await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External());

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal((1, emulator.Options.BotUserId), (created.Body!["status"]!.GetValue<int>(), created.Body["creator_id"]!.ToString()));
        Assert.True(created.Response.Headers.Contains("X-RateLimit-Bucket"));
        Assert.Single((await EmulatorTests.Rest(emulator, HttpMethod.Get, Events)).Body!.AsArray());
    }

    [Theory]
    [InlineData("start in the past")]
    [InlineData("no end")]
    [InlineData("end before start")]
    [InlineData("no location")]
    [InlineData("a channel")]
    [InlineData("privacy 1")]
    [InlineData("no name")]
    public async Task An_invalid_external_event_is_refused_with_50035(string what)
    {
        await using var emulator = await StartAsync();

        var refused = await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External(b =>
        {
            switch (what)
            {
                case "start in the past": b["scheduled_start_time"] = At(TimeSpan.FromMinutes(-1)); break;
                case "no end": b.Remove("scheduled_end_time"); break;
                case "end before start": b["scheduled_end_time"] = At(TimeSpan.FromHours(1)); break;
                case "no location": b["entity_metadata"] = new JsonObject(); break;
                case "a channel": b["channel_id"] = "1110000000000000001"; break;
                case "privacy 1": b["privacy_level"] = 1; break;
                default: b["name"] = ""; break;
            }
        }));

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (refused.Status, Code(refused.Body)));
        Assert.Empty(emulator.ScheduledEventsIn(Guild));
    }

    [Fact]
    public async Task Creating_needs_create_events_and_changing_the_bots_own_event_create_or_manage_events()
    {
        await using var emulator = await StartAsync();
        emulator.SetBotPermissions(Guild, DiscordEmulator.ManageEvents);
        var refused = await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External());
        Assert.Equal((HttpStatusCode.Forbidden, 50013), (refused.Status, Code(refused.Body)));

        emulator.SetBotPermissions(Guild, DiscordEmulator.CreateEvents);
        var id = await CreateAsync(emulator);
        Assert.Equal(HttpStatusCode.OK, (await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"name":"Renamed"}""")).Status);

        emulator.SetBotPermissions(Guild, 0);
        Assert.Equal(50013, Code((await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"name":"Again"}""")).Body));
        Assert.Equal(50013, Code((await EmulatorTests.Rest(emulator, HttpMethod.Delete, $"{Events}/{id}")).Body));
    }

    [Fact]
    public async Task Status_moves_only_the_documented_ways_and_a_finished_event_cannot_change()
    {
        await using var emulator = await StartAsync();
        var id = await CreateAsync(emulator);

        Assert.Equal(50035, Code((await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"status":3}""")).Body));
        Assert.Equal(4, (await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"status":4}""")).Body!["status"]!.GetValue<int>());
        var finished = await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"name":"Too late"}""");

        Assert.Equal((HttpStatusCode.BadRequest, 180000), (finished.Status, Code(finished.Body)));
        Assert.Equal(10070, Code((await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/1")).Body));
    }

    [Fact]
    public async Task A_guild_holds_at_most_100_scheduled_or_active_events()
    {
        // Room in the rate limits for 102 creates at once; the limit under test is the guild's.
        await using var emulator = await StartAsync(o =>
        {
            o.GlobalLimit = 1000;
            o.RouteLimits["POST guilds/{guild}/scheduled-events"] = (1000, TimeSpan.FromSeconds(1));
        });
        var ids = new List<string>();
        for (var i = 0; i < DiscordEmulator.MaxActiveScheduledEvents; i++)
        {
            ids.Add((await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External())).Body!["id"]!.ToString());
        }

        Assert.Equal(30038, Code((await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External())).Body));
        await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{ids[0]}", """{"status":4}""");
        Assert.Equal(HttpStatusCode.OK, (await EmulatorTests.Rest(emulator, HttpMethod.Post, Events, External())).Status);
    }

    [Fact]
    public async Task Interested_users_are_counted_and_listed_in_id_order()
    {
        await using var emulator = await StartAsync();
        var id = await CreateAsync(emulator);
        foreach (var user in new[] { "1000000000000000003", "1000000000000000001", "1000000000000000002" })
        {
            Assert.True(await emulator.AddInterestedAsync(id, user));
        }

        Assert.True(await emulator.RemoveInterestedAsync(id, "1000000000000000002"));

        Assert.Equal(2, (await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/{id}?with_user_count=true")).Body!["user_count"]!.GetValue<int>());
        Assert.Null((await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/{id}")).Body!["user_count"]);
        Assert.Equal(2, (await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}?with_user_count=true")).Body![0]!["user_count"]!.GetValue<int>());
        var users = (await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/{id}/users?limit=1&with_member=true")).Body!.AsArray();
        Assert.Equal("1000000000000000001", Assert.Single(users)!["user"]!["id"]!.ToString());
        Assert.NotNull(users[0]!["member"]);
        var after = (await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/{id}/users?after=1000000000000000001")).Body!.AsArray();
        Assert.Equal("1000000000000000003", Assert.Single(after)!["user"]!["id"]!.ToString());
        Assert.Equal(50035, Code((await EmulatorTests.Rest(emulator, HttpMethod.Get, $"{Events}/{id}/users?limit=101")).Body));
    }

    [Fact]
    public async Task Scheduled_event_dispatches_go_only_to_sessions_with_the_intent()
    {
        await using var emulator = await StartAsync();
        using (var without = await Connect(emulator))
        {
            await Send(without, Identify(emulator.Token));
            await Until(without, "READY");
            await CreateAsync(emulator);
            await EmulatorTests.Rest(emulator, HttpMethod.Post, "channels/1110000000000000001/messages", """{"content":"marker"}""");
            var types = new List<string?>();
            while (await Receive(without) is { } frame && frame["t"]?.GetValue<string>() is var type and not "MESSAGE_CREATE")
            {
                types.Add(type);
            }

            Assert.DoesNotContain(types, t => t?.StartsWith("GUILD_SCHEDULED_EVENT", StringComparison.Ordinal) == true);
        }

        using var with = await Connect(emulator);
        await Send(with, Identify(emulator.Token, 513 | (1 << 16)));
        await Until(with, "READY");
        var id = await CreateAsync(emulator);
        Assert.Equal(id, (await Until(with, "GUILD_SCHEDULED_EVENT_CREATE"))["d"]!["id"]!.ToString());
        await EmulatorTests.Rest(emulator, HttpMethod.Patch, $"{Events}/{id}", """{"name":"Renamed"}""");
        Assert.Equal("Renamed", (await Until(with, "GUILD_SCHEDULED_EVENT_UPDATE"))["d"]!["name"]!.ToString());
        await emulator.AddInterestedAsync(id, "1000000000000000001");
        Assert.Equal("1000000000000000001", (await Until(with, "GUILD_SCHEDULED_EVENT_USER_ADD"))["d"]!["user_id"]!.ToString());
        await emulator.RemoveInterestedAsync(id, "1000000000000000001");
        await Until(with, "GUILD_SCHEDULED_EVENT_USER_REMOVE");
        await EmulatorTests.Rest(emulator, HttpMethod.Delete, $"{Events}/{id}");
        Assert.Equal(id, (await Until(with, "GUILD_SCHEDULED_EVENT_DELETE"))["d"]!["id"]!.ToString());
    }
}
