using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Settings;
using ReadingBot.Discord.Rendering;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord;

/// <summary>
/// The weekly meeting as a Guild Scheduled Event: EXTERNAL (entity type 3), so it needs no voice or stage channel;
/// its location is a link to the discussion thread (or the channel), its privacy GUILD_ONLY (2, the only level).
/// Creating one needs the Create Events permission and changing it Manage Events (or Create Events for the bot's own
/// events); a refusal becomes one line for moderators. Interest counts come from <c>?with_user_count=true</c> when
/// /week asks, so the bot needs no GUILD_SCHEDULED_EVENTS intent and handles no event traffic it would not show.
/// </summary>
public sealed class DiscordNativeEvents(DiscordRestClient rest, IGroupStore groups) : INativeEvents
{
    private const int External = 3;
    private const int GuildOnly = 2;
    private const int Scheduled = 1;
    private const int Active = 2;
    private const int Canceled = 4;

    /// <summary>Discord's "Cannot update a finished event".</summary>
    private const int FinishedEvent = 180000;

    /// <summary>Discord's "Unknown guild scheduled event".</summary>
    private const int UnknownEvent = 10070;

    public const string MissingPermission = "I can't create the Discord event: give me Manage Events (and Create Events) in Server Settings → Roles, then it is made at the next change or within minutes.";

    public string Platform => Platforms.Discord;

    public string DisplayName => "Discord";

    public async Task<string> CreateAsync(GroupAddress group, NativeEventSpec spec, CancellationToken cancellationToken)
    {
        var body = Body(group, spec);
        body["entity_type"] = External;
        body["privacy_level"] = GuildOnly;
        var created = await SendAsync(HttpMethod.Post, $"guilds/{group.Workspace}/scheduled-events", body, cancellationToken) as JsonObject;
        return created?["id"]?.GetValue<string>() ?? throw new OutboundException("Discord created the scheduled event but returned no id");
    }

    public async Task<bool> UpdateAsync(GroupAddress group, string eventId, NativeEventSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Patch, $"guilds/{group.Workspace}/scheduled-events/{eventId}", Body(group, spec), cancellationToken);
            return true;
        }
        catch (OutboundException ex) when (ex.InnerException is DiscordRestException { Status: HttpStatusCode.NotFound } or DiscordRestException { Code: UnknownEvent or FinishedEvent })
        {
            return false;
        }
    }

    public async Task CancelAsync(GroupAddress group, string eventId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Patch, $"guilds/{group.Workspace}/scheduled-events/{eventId}", new JsonObject { ["status"] = Canceled }, cancellationToken);
        }
        catch (OutboundException ex) when (ex.InnerException is DiscordRestException { Status: HttpStatusCode.NotFound } or DiscordRestException { Code: UnknownEvent or FinishedEvent })
        {
            // Deleted or ended by hand: nothing left to cancel.
        }
    }

    public async Task<string?> FindAsync(GroupAddress group, string marker, CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, $"guilds/{group.Workspace}/scheduled-events", null, cancellationToken) as JsonArray ?? [];
        return list.OfType<JsonObject>()
            .Where(e => e["status"]?.GetValue<int>() is Scheduled or Active && e["description"]?.GetValue<string>()?.Contains(marker, StringComparison.Ordinal) == true)
            .Select(e => e["id"]?.GetValue<string>())
            .FirstOrDefault(id => id is not null);
    }

    public async Task<int?> InterestedAsync(GroupAddress group, string eventId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await SendAsync(HttpMethod.Get, $"guilds/{group.Workspace}/scheduled-events/{eventId}?with_user_count=true", null, cancellationToken) as JsonObject;
            return found?["user_count"] is JsonValue v && v.TryGetValue<int>(out var count) ? count : null;
        }
        catch (OutboundException ex) when (ex.InnerException is DiscordRestException { Status: HttpStatusCode.NotFound })
        {
            return null;
        }
    }

    private JsonObject Body(GroupAddress group, NativeEventSpec spec) => new()
    {
        ["name"] = MessageRenderer.Clip(spec.Name, 100),
        ["description"] = MessageRenderer.Clip(spec.Description, 1000),
        ["scheduled_start_time"] = Iso(spec.Start),
        ["scheduled_end_time"] = Iso(spec.End),
        ["entity_metadata"] = new JsonObject { ["location"] = MessageRenderer.Clip(Location(group, spec), 100) },
    };

    /// <summary>A link that opens the discussion thread (else the announcement's channel, else the home channel).</summary>
    private string Location(GroupAddress group, NativeEventSpec spec)
    {
        var channel = spec.ThreadId ?? spec.ChannelId ?? groups.Find(group.Id)?.Setting(SettingCatalogue.Channel);
        return string.IsNullOrWhiteSpace(channel) ? "This server's reading group" : $"https://discord.com/channels/{group.Workspace}/{channel}";
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        try
        {
            return await rest.SendAsync(method, path, body, null, cancellationToken);
        }
        catch (DiscordRestException ex) when (ex.Status == HttpStatusCode.Forbidden || ex.Code is 50001 or 50013)
        {
            throw new NativeEventsRefusedException(MissingPermission, ex);
        }
        catch (DiscordRestException ex)
        {
            throw new OutboundException($"Discord refused the scheduled event ({(int)ex.Status}, code {ex.Code}): {ex.DiscordMessage}", ex);
        }
    }
}
