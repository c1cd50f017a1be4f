using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Discord;

/// <summary>
/// Guild Scheduled Events over REST, with the validation of the Guild Scheduled Event page of discord-api-docs:
/// name 1–100, description up to 1000, privacy_level 2 (GUILD_ONLY, the only level), a start in the future, for
/// EXTERNAL events no channel_id, an entity_metadata.location of 1–100 and an end after the start; status moves
/// SCHEDULED → ACTIVE → COMPLETED or SCHEDULED → CANCELED and a finished event cannot be updated (180000); creating
/// needs CREATE_EVENTS, changing the bot's own event CREATE_EVENTS or MANAGE_EVENTS (others' MANAGE_EVENTS), else
/// 403 with 50013; at most 100 events SCHEDULED or ACTIVE per guild (30038). Changes are dispatched on the Gateway as
/// GUILD_SCHEDULED_EVENT_* to sessions with the GUILD_SCHEDULED_EVENTS intent (1 &lt;&lt; 16) only.
/// </summary>
public sealed partial class DiscordEmulator
{
    /// <summary>MANAGE_EVENTS.</summary>
    public const ulong ManageEvents = 1UL << 33;

    /// <summary>CREATE_EVENTS.</summary>
    public const ulong CreateEvents = 1UL << 44;

    /// <summary>The most events SCHEDULED or ACTIVE a guild may have (the Create Guild Scheduled Event page).</summary>
    public const int MaxActiveScheduledEvents = 100;

    private readonly ConcurrentDictionary<string, ScheduledEventState> scheduledEvents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ulong> botGuildPermissions = new(StringComparer.Ordinal);

    private sealed class ScheduledEventState(string id, string guildId, string creatorId, JsonObject json)
    {
        public string Id { get; } = id;
        public string GuildId { get; } = guildId;
        public string CreatorId { get; } = creatorId;
        public JsonObject Json { get; } = json;
        public SortedSet<ulong> Interested { get; } = [];
        public bool Deleted { get; set; }
    }

    /// <summary>The bot's guild-level permissions there (by default it may create and manage events).</summary>
    public void SetBotPermissions(string guildId, ulong permissions) => botGuildPermissions[guildId] = permissions;

    private ulong BotPermissions(string guildId) => botGuildPermissions.TryGetValue(guildId, out var p) ? p : ManageEvents | CreateEvents;

    /// <summary>The guild's events as Discord would list them (deleted ones are gone), oldest first.</summary>
    public IReadOnlyList<JsonObject> ScheduledEventsIn(string guildId)
    {
        lock (scheduledEvents)
        {
            return [.. scheduledEvents.Values.Where(e => e.GuildId == guildId && !e.Deleted).OrderBy(e => ulong.Parse(e.Id, CultureInfo.InvariantCulture)).Select(e => WithCount(e, true))];
        }
    }

    /// <summary>A member presses "Interested": USER_ADD on the Gateway. False when the event does not exist.</summary>
    public Task<bool> AddInterestedAsync(string eventId, string userId) => InterestAsync(eventId, userId, true);

    /// <summary>A member takes "Interested" back: USER_REMOVE on the Gateway.</summary>
    public Task<bool> RemoveInterestedAsync(string eventId, string userId) => InterestAsync(eventId, userId, false);

    private async Task<bool> InterestAsync(string eventId, string userId, bool add)
    {
        if (!scheduledEvents.TryGetValue(eventId, out var e) || e.Deleted)
        {
            return false;
        }

        bool changed;
        lock (scheduledEvents)
        {
            var user = ulong.Parse(userId, CultureInfo.InvariantCulture);
            changed = add ? e.Interested.Add(user) : e.Interested.Remove(user);
        }

        if (changed)
        {
            await DispatchAsync(add ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
                new JsonObject { ["guild_scheduled_event_id"] = eventId, ["user_id"] = userId, ["guild_id"] = e.GuildId });
        }

        return true;
    }

    private RestResult ScheduledEventRoute(string method, string[] s, JsonObject? body, IQueryCollection query)
    {
        var guildId = s[1];
        if (!guilds.ContainsKey(guildId))
        {
            return new RestResult(404, Error(10004, "Unknown Guild"), 10004);
        }

        var withCount = query["with_user_count"] == "true";
        if (s.Length == 3)
        {
            return method switch
            {
                "GET" => new RestResult(200, new JsonArray([.. ListEvents(guildId, withCount)])),
                "POST" => CreateScheduledEvent(guildId, body),
                _ => new RestResult(405, Error(0, "405: Method Not Allowed")),
            };
        }

        if (!scheduledEvents.TryGetValue(s[3], out var found) || found.GuildId != guildId || found.Deleted)
        {
            return new RestResult(404, Error(10070, "Unknown Guild Scheduled Event"), 10070);
        }

        return (method, s.Length) switch
        {
            ("GET", 4) => new RestResult(200, WithCount(found, withCount)),
            ("PATCH", 4) => ModifyScheduledEvent(found, body),
            ("DELETE", 4) => DeleteScheduledEvent(found),
            ("GET", 5) when s[4] == "users" => EventUsers(found, query),
            _ => new RestResult(404, Error(0, "404: Not Found")),
        };
    }

    private List<JsonObject> ListEvents(string guildId, bool withCount)
    {
        lock (scheduledEvents)
        {
            return [.. scheduledEvents.Values.Where(e => e.GuildId == guildId && !e.Deleted).OrderBy(e => ulong.Parse(e.Id, CultureInfo.InvariantCulture)).Select(e => WithCount(e, withCount))];
        }
    }

    private JsonObject WithCount(ScheduledEventState e, bool withCount)
    {
        lock (scheduledEvents)
        {
            var json = e.Json.DeepClone().AsObject();
            if (withCount)
            {
                json["user_count"] = e.Interested.Count;
            }

            return json;
        }
    }

    private RestResult CreateScheduledEvent(string guildId, JsonObject? body)
    {
        if ((BotPermissions(guildId) & CreateEvents) == 0)
        {
            return new RestResult(403, Error(50013, "Missing Permissions"), 50013);
        }

        body ??= [];
        foreach (var required in new[] { "name", "privacy_level", "scheduled_start_time", "entity_type" })
        {
            if (body[required] is null)
            {
                return Invalid(required, "This field is required");
            }
        }

        var merged = new JsonObject
        {
            ["id"] = NextSnowflake(),
            ["guild_id"] = guildId,
            ["channel_id"] = null,
            ["creator_id"] = Options.BotUserId,
            ["name"] = null,
            ["description"] = null,
            ["scheduled_start_time"] = null,
            ["scheduled_end_time"] = null,
            ["privacy_level"] = 2,
            ["status"] = 1,
            ["entity_type"] = 3,
            ["entity_id"] = null,
            ["entity_metadata"] = null,
            ["creator"] = BotUser(),
            ["image"] = null,
            ["recurrence_rule"] = null,
        };
        if (Apply(merged, body, creating: true) is { } invalid)
        {
            return invalid;
        }

        lock (scheduledEvents)
        {
            if (scheduledEvents.Values.Count(e => e.GuildId == guildId && !e.Deleted && e.Json["status"]!.GetValue<int>() is 1 or 2) >= MaxActiveScheduledEvents)
            {
                return new RestResult(400, Error(30038, "Maximum number of uncompleted guild scheduled events reached (100)"), 30038);
            }

            var id = merged["id"]!.GetValue<string>();
            scheduledEvents[id] = new ScheduledEventState(id, guildId, Options.BotUserId, merged);
        }

        _ = DispatchAsync("GUILD_SCHEDULED_EVENT_CREATE", merged.DeepClone().AsObject());
        return new RestResult(200, merged.DeepClone(), 0);
    }

    private RestResult ModifyScheduledEvent(ScheduledEventState e, JsonObject? body)
    {
        if (!MayChange(e))
        {
            return new RestResult(403, Error(50013, "Missing Permissions"), 50013);
        }

        body ??= [];
        JsonObject updated;
        lock (scheduledEvents)
        {
            var status = e.Json["status"]!.GetValue<int>();
            if (status is 3 or 4)
            {
                return new RestResult(400, Error(180000, "Cannot update a finished event"), 180000);
            }

            if (body["status"] is JsonValue next && next.GetValue<int>() is var to && to != status
                && !(status == 1 && to is 2 or 4) && !(status == 2 && to == 3))
            {
                return Invalid("status", $"cannot change the status from {status} to {to}");
            }

            updated = e.Json.DeepClone().AsObject();
            if (Apply(updated, body, creating: false) is { } invalid)
            {
                return invalid;
            }

            foreach (var (key, value) in updated)
            {
                e.Json[key] = value?.DeepClone();
            }
        }

        _ = DispatchAsync("GUILD_SCHEDULED_EVENT_UPDATE", updated.DeepClone().AsObject());
        return new RestResult(200, updated.DeepClone(), 0);
    }

    private RestResult DeleteScheduledEvent(ScheduledEventState e)
    {
        if (!MayChange(e))
        {
            return new RestResult(403, Error(50013, "Missing Permissions"), 50013);
        }

        e.Deleted = true;
        _ = DispatchAsync("GUILD_SCHEDULED_EVENT_DELETE", WithCount(e, false));
        return new RestResult(204, null);
    }

    private bool MayChange(ScheduledEventState e)
    {
        var permissions = BotPermissions(e.GuildId);
        return (permissions & ManageEvents) != 0 || (e.CreatorId == Options.BotUserId && (permissions & CreateEvents) != 0);
    }

    private RestResult EventUsers(ScheduledEventState e, IQueryCollection query)
    {
        var limit = query.TryGetValue("limit", out var l) && int.TryParse(l.ToString(), CultureInfo.InvariantCulture, out var n) ? n : 100;
        if (limit is < 1 or > 100)
        {
            return new RestResult(400, Error(50035, "limit must be 1–100", "limit"), 50035);
        }

        List<ulong> users;
        lock (scheduledEvents)
        {
            IEnumerable<ulong> all = e.Interested;
            // "If both before and after are provided, only before is respected"; always ascending by user id.
            if (query.TryGetValue("before", out var before) && ulong.TryParse(before.ToString(), CultureInfo.InvariantCulture, out var b))
            {
                all = all.Where(u => u < b).Reverse().Take(limit).Reverse();
            }
            else if (query.TryGetValue("after", out var after) && ulong.TryParse(after.ToString(), CultureInfo.InvariantCulture, out var a))
            {
                all = all.Where(u => u > a);
            }

            users = [.. all.Take(limit)];
        }

        var withMember = query["with_member"] == "true";
        return new RestResult(200, new JsonArray([.. users.Select(u =>
        {
            var user = new EmulatedUser(u.ToString(CultureInfo.InvariantCulture), "user" + u);
            var item = new JsonObject { ["guild_scheduled_event_id"] = e.Id, ["user"] = user.UserJson() };
            if (withMember)
            {
                item["member"] = user.MemberJson(withUser: false);
            }

            return (JsonNode)item;
        })]));
    }

    /// <summary>Copies the body's fields onto <paramref name="target"/> and checks the result; an error result, or null.</summary>
    private RestResult? Apply(JsonObject target, JsonObject body, bool creating)
    {
        foreach (var field in new[] { "name", "description", "scheduled_start_time", "scheduled_end_time", "privacy_level", "entity_type", "entity_metadata", "channel_id", "status" })
        {
            if (body.ContainsKey(field) && !(creating && field == "status"))
            {
                target[field] = body[field]?.DeepClone();
            }
        }

        var name = target["name"]?.ToString() ?? "";
        if (name.Length is < 1 or > 100)
        {
            return Invalid("name", "must be 1–100 characters");
        }

        if (target["description"]?.ToString() is { } description && description.Length > 1000)
        {
            return Invalid("description", "must be at most 1000 characters");
        }

        if (target["privacy_level"]?.GetValue<int>() != 2)
        {
            return Invalid("privacy_level", "must be 2 (GUILD_ONLY)");
        }

        if (target["entity_type"]?.GetValue<int>() is not (1 or 2 or 3) and var type)
        {
            return Invalid("entity_type", $"{type} is not an entity type");
        }

        if (!TryTime(target["scheduled_start_time"], out var start))
        {
            return Invalid("scheduled_start_time", "must be an ISO8601 timestamp");
        }

        // Only a scheduled event's start can be moved, and never into the past.
        if ((creating || body.ContainsKey("scheduled_start_time")) && target["status"]?.GetValue<int>() == 1 && start <= Time.GetUtcNow())
        {
            return Invalid("scheduled_start_time", "Cannot schedule event in the past.");
        }

        var hasEnd = TryTime(target["scheduled_end_time"], out var end);
        if (target["scheduled_end_time"] is not null && !hasEnd)
        {
            return Invalid("scheduled_end_time", "must be an ISO8601 timestamp");
        }

        if (hasEnd && end <= start)
        {
            return Invalid("scheduled_end_time", "Cannot schedule event to end before starting.");
        }

        if (target["entity_type"]?.GetValue<int>() == 3)
        {
            if (target["channel_id"] is not null)
            {
                return Invalid("channel_id", "must be null for EXTERNAL events");
            }

            if (target["entity_metadata"]?["location"]?.ToString() is not { Length: >= 1 and <= 100 })
            {
                return Invalid("entity_metadata.location", "is required for EXTERNAL events (1–100 characters)");
            }

            if (!hasEnd)
            {
                return Invalid("scheduled_end_time", "is required for EXTERNAL events");
            }
        }
        else if (target["channel_id"] is null)
        {
            return Invalid("channel_id", "is required for STAGE_INSTANCE and VOICE events");
        }

        return null;
    }

    private static bool TryTime(JsonNode? node, out DateTimeOffset at)
    {
        at = default;
        return node is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static RestResult Invalid(string field, string message) =>
        new(400, Error(50035, message, field), 50035);
}
