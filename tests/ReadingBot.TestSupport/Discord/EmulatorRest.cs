using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Discord;

public sealed partial class DiscordEmulator
{
    private static readonly TimeProvider RateClock = TimeProvider.System;
    private readonly ConcurrentDictionary<string, JsonArray> registeredCommands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RateBucket> buckets = new(StringComparer.Ordinal);
    /// <summary>Nonces of created messages by author: the message's channel and id and when it was created.</summary>
    private readonly ConcurrentDictionary<string, (string ChannelId, string MessageId, DateTimeOffset At)> nonces = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> globalWindow = new();
    private readonly List<Fault> faults = [];
    private DateTimeOffset globalPausedUntil;

    [GeneratedRegex(@"^DiscordBot \(\S+, [^)]+\)")]
    private static partial Regex UserAgentPattern();

    private sealed class RateBucket
    {
        public int Remaining { get; set; }
        public DateTimeOffset ResetAt { get; set; }
    }

    private sealed record Fault(string RouteContains, int Status, double RetryAfter, double? HeaderRetryAfter, bool Global, string Scope, TimeSpan Delay)
    {
        public int Left { get; set; }
    }

    /// <summary>The next <paramref name="count"/> requests whose route contains the text get a 429.</summary>
    public void Inject429(string routeContains, double retryAfter, double? headerRetryAfter = null, bool global = false, string scope = "user", int count = 1) =>
        AddFault(new Fault(routeContains, 429, retryAfter, headerRetryAfter, global, global ? "global" : scope, TimeSpan.Zero) { Left = count });

    /// <summary>The next requests get 502 with an HTML body, as Discord's edge does.</summary>
    public void Inject502(string routeContains, int count = 1) =>
        AddFault(new Fault(routeContains, 502, 0, null, false, "", TimeSpan.Zero) { Left = count });

    /// <summary>The next requests are answered only after <paramref name="delay"/> (they still take effect).</summary>
    public void InjectDelay(string routeContains, TimeSpan delay, int count = 1) =>
        AddFault(new Fault(routeContains, 0, 0, null, false, "", delay) { Left = count });

    /// <summary>
    /// The next request with this method and path is held, after the emulator read it and before it takes effect,
    /// until <see cref="HeldRequest.Release"/>: a test kills the bot in the middle of that request, then releases it, so
    /// the request lands on the "platform" while its sender never learns it did.
    /// </summary>
    public HeldRequest HoldNext(string method, string path)
    {
        var hold = new HeldRequest(method, path);
        lock (holds)
        {
            holds.Add(hold);
        }

        return hold;
    }

    private HeldRequest? TakeHold(string method, string path)
    {
        lock (holds)
        {
            var hold = holds.FirstOrDefault(h => h.Method == method && h.Path == path);
            if (hold is not null)
            {
                holds.Remove(hold);
            }

            return hold;
        }
    }

    private void AddFault(Fault fault)
    {
        lock (faults)
        {
            faults.Add(fault);
        }
    }

    private Fault? TakeFault(string route)
    {
        lock (faults)
        {
            var fault = faults.FirstOrDefault(f => f.Left > 0 && route.Contains(f.RouteContains, StringComparison.Ordinal));
            if (fault is not null)
            {
                fault.Left--;
            }

            return fault;
        }
    }

    private readonly List<HeldRequest> holds = [];

    private sealed record RestResult(int Status, JsonNode? Body, int Code = 0, JsonObject? Message = null);

    private async Task RestAsync(HttpContext http)
    {
        var now = RateClock.GetUtcNow();
        var fullPath = http.Request.Path.Value ?? "";
        if (!fullPath.StartsWith("/api/v10/", StringComparison.Ordinal))
        {
            await Write(http, new RestResult(404, Error(0, "404: Not Found")), null);
            return;
        }

        var path = fullPath["/api/v10/".Length..].TrimEnd('/');
        var method = http.Request.Method;
        var (route, major, exempt) = Classify(method, path);
        var userAgent = http.Request.Headers.UserAgent.ToString();
        // Read the whole request first: a request the client gave up on still takes effect, as on Discord.
        var (body, files, bodyError) = await ReadBodyAsync(http);
        if (TakeHold(method, path) is { } hold)
        {
            await hold.HoldAsync();
        }

        var injected = false;
        var exhausted = false;
        RestResult result;
        Dictionary<string, string> headers = [];

        var needsAuth = !path.StartsWith("interactions/", StringComparison.Ordinal) && !path.StartsWith("webhooks/", StringComparison.Ordinal);
        if (needsAuth && http.Request.Headers.Authorization.ToString() != "Bot " + Options.Token)
        {
            result = new RestResult(401, Error(0, "401: Unauthorized"));
        }
        else if (!UserAgentPattern().IsMatch(userAgent))
        {
            result = new RestResult(400, Error(0, "User-Agent must be DiscordBot ($url, $versionNumber)"));
        }
        else if (TakeFault(route) is { } fault && (fault.Delay == TimeSpan.Zero || await Delayed(fault.Delay)))
        {
            injected = true;
            if (fault.Status == 502)
            {
                http.Response.StatusCode = 502;
                http.Response.ContentType = "text/html";
                await http.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>");
                Recorder.Add(new RecordedRequest(now, method, path, route, "", 502, 0, userAgent, exempt, false, true, null));
                return;
            }

            var wait = Math.Max(fault.RetryAfter, fault.HeaderRetryAfter ?? 0);
            if (fault.Global)
            {
                lock (globalWindow)
                {
                    globalPausedUntil = now + TimeSpan.FromSeconds(wait);
                }
            }
            else
            {
                var bucket = buckets.GetOrAdd(BucketHash(route) + ":" + major, _ => new RateBucket());
                lock (bucket)
                {
                    bucket.Remaining = 0;
                    bucket.ResetAt = now + TimeSpan.FromSeconds(wait);
                }
            }

            headers["Retry-After"] = (fault.HeaderRetryAfter ?? Math.Ceiling(fault.RetryAfter)).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Scope"] = fault.Scope;
            if (fault.Global)
            {
                headers["X-RateLimit-Global"] = "true";
            }

            result = new RestResult(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = fault.RetryAfter, ["global"] = fault.Global });
        }
        else if (GlobalCheck(now, exempt) is { } globalWait)
        {
            exhausted = true;
            headers["Retry-After"] = Math.Ceiling(globalWait).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Global"] = "true";
            headers["X-RateLimit-Scope"] = "global";
            result = new RestResult(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = globalWait, ["global"] = true });
        }
        else if (BucketCheck(route, major, now, headers) is { } bucketWait)
        {
            exhausted = true;
            headers["Retry-After"] = Math.Ceiling(bucketWait).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Scope"] = "user";
            result = new RestResult(429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = bucketWait, ["global"] = false });
        }
        else
        {
            result = bodyError == TooLarge ? new RestResult(413, Error(40005, TooLarge), 40005)
                : bodyError is not null ? new RestResult(400, Error(50035, bodyError, "_body"), 50035)
                : Route(http, method, path, body, files);
        }

        Recorder.Add(new RecordedRequest(now, method, path, route, BucketHash(route), result.Status, result.Code, userAgent, exempt, exhausted, injected, result.Message));
        try
        {
            await Write(http, result, headers);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (a timeout on its side); the request already took effect.
        }
    }

    private static async Task<bool> Delayed(TimeSpan delay)
    {
        await Task.Delay(delay);
        return false;
    }

    private static async Task Write(HttpContext http, RestResult result, Dictionary<string, string>? headers)
    {
        foreach (var (key, value) in headers ?? [])
        {
            http.Response.Headers[key] = value;
        }

        http.Response.StatusCode = result.Status;
        if (result.Body is not null)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(result.Body.ToJsonString());
        }
    }

    /// <summary>Route template and major parameter the way Discord buckets them.</summary>
    internal static (string Route, string Major, bool Exempt) Classify(string method, string path)
    {
        var segments = path.Split('/');
        var template = new List<string>();
        var major = "";
        var exempt = segments[0] is "interactions" or "webhooks";
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (i == 1 && segments[0] is "channels" or "guilds")
            {
                major = s;
                template.Add("{" + segments[0].TrimEnd('s') + "}");
            }
            else if (i is 1 or 2 && segments[0] is "interactions" or "webhooks")
            {
                major += "/" + s;
                template.Add(i == 1 ? "{id}" : "{token}");
            }
            else
            {
                template.Add(s.Length > 0 && s.All(char.IsAsciiDigit) ? "{id}" : s);
            }
        }

        return ($"{method} {string.Join('/', template)}", major, exempt);
    }

    private static string BucketHash(string route)
    {
        // Edits and deletes of messages share one bucket, as several Discord routes do.
        var group = route is "PATCH channels/{channel}/messages/{id}" or "DELETE channels/{channel}/messages/{id}" ? "message-edit" : route;
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(group)).AsSpan(0, 8)).ToLowerInvariant();
    }

    private double? GlobalCheck(DateTimeOffset now, bool exempt)
    {
        if (exempt)
        {
            return null;
        }

        lock (globalWindow)
        {
            if (globalPausedUntil > now)
            {
                return (globalPausedUntil - now).TotalSeconds;
            }

            while (globalWindow.Count > 0 && now - globalWindow.Peek() >= TimeSpan.FromSeconds(1))
            {
                globalWindow.Dequeue();
            }

            if (globalWindow.Count >= Options.GlobalLimit)
            {
                return (globalWindow.Peek() + TimeSpan.FromSeconds(1) - now).TotalSeconds;
            }

            globalWindow.Enqueue(now);
            return null;
        }
    }

    private double? BucketCheck(string route, string major, DateTimeOffset now, Dictionary<string, string> headers)
    {
        var (limit, window) = Options.RouteLimits.TryGetValue(route, out var custom) ? custom : (Options.DefaultBucketLimit, Options.DefaultBucketWindow);
        var hash = BucketHash(route);
        var bucket = buckets.GetOrAdd(hash + ":" + major, _ => new RateBucket { Remaining = limit, ResetAt = now + window });
        lock (bucket)
        {
            if (now >= bucket.ResetAt)
            {
                bucket.Remaining = limit;
                bucket.ResetAt = now + window;
            }

            var resetAfter = (bucket.ResetAt - now).TotalSeconds;
            headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Bucket"] = hash;
            headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = ((bucket.ResetAt + Options.ResetHeaderSkew).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
            if (bucket.Remaining <= 0)
            {
                headers["X-RateLimit-Remaining"] = "0";
                return resetAfter;
            }

            bucket.Remaining--;
            headers["X-RateLimit-Remaining"] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
            return null;
        }
    }

    internal static JsonObject Error(int code, string message, string? field = null) =>
        field is null
            ? new JsonObject { ["code"] = code, ["message"] = message }
            : new JsonObject
            {
                ["code"] = code,
                ["message"] = "Invalid Form Body",
                ["errors"] = new JsonObject { [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_INVALID", ["message"] = message }) } },
            };

    private RestResult Route(HttpContext http, string method, string path, JsonNode? body, IReadOnlyList<EmulatedUpload> files)
    {
        var s = path.Split('/');
        return (method, s.Length, s[0]) switch
        {
            ("GET", 2, "users") when s[1] == "@me" => new RestResult(200, BotUser()),
            ("POST", 3, "users") when s[1] == "@me" && s[2] == "channels" => OpenDirectChannel(body as JsonObject),
            ("GET", 2, "gateway") when s[1] == "bot" => new RestResult(200, GatewayBot()),
            ("GET", 1, "gateway") => new RestResult(200, new JsonObject { ["url"] = GatewayUrl }),
            ("GET", 2, "guilds") => GetGuild(s[1]),
            (_, >= 3, "guilds") when s[2] == "scheduled-events" => ScheduledEventRoute(method, s, body as JsonObject, http.Request.Query),
            ("PUT", 3, "applications") when s[2] == "commands" => PutCommands(s[1], null, body),
            ("PUT", 5, "applications") when s[2] == "guilds" && s[4] == "commands" => PutCommands(s[1], s[3], body),
            ("GET", 3, "applications") when s[2] == "commands" => new RestResult(200, Commands() ?? []),
            ("POST", 3, "channels") when s[2] == "messages" => CreateMessage(s[1], body as JsonObject, files),
            ("GET", 3, "channels") when s[2] == "messages" => ListMessages(s[1], http.Request.Query),
            ("GET", 4, "channels") when s[2] == "messages" => GetMessage(s[1], s[3]),
            ("PATCH", 4, "channels") when s[2] == "messages" => EditMessage(s[1], s[3], body as JsonObject, files),
            ("DELETE", 4, "channels") when s[2] == "messages" => DeleteMessage(s[1], s[3]),
            ("POST", 5, "channels") when s[2] == "messages" && s[4] == "threads" => StartThread(s[1], s[3], body as JsonObject),
            ("POST", 3, "channels") when s[2] == "threads" => StartThread(s[1], null, body as JsonObject),
            ("POST", 4, "interactions") when s[3] == "callback" => Callback(s[1], s[2], body as JsonObject, files, http.Request.Query["with_response"] == "true"),
            (_, >= 3, "webhooks") => Webhook(method, s, body as JsonObject, files),
            _ => new RestResult(404, Error(0, "404: Not Found"), 0),
        };
    }

    private async Task<(JsonNode? Body, IReadOnlyList<EmulatedUpload> Files, string? Error)> ReadBodyAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType ?? "";
        if (http.Request.HasFormContentType && contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadMultipartAsync(http, Options.UploadLimitBytes);
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        if (text.Length == 0)
        {
            return (null, [], null);
        }

        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [], "Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data");
        }

        try
        {
            return (JsonNode.Parse(text), [], null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, [], "the body is not valid JSON");
        }
    }

    private JsonObject BotUser() => new()
    {
        ["id"] = Options.BotUserId,
        ["username"] = Options.BotUserName,
        ["discriminator"] = "0",
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
        ["flags"] = 0,
    };

    private JsonObject GatewayBot() => new()
    {
        ["url"] = GatewayUrl,
        ["shards"] = Options.RecommendedShards,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = Options.IdentifyBudget,
            ["remaining"] = Math.Max(0, Volatile.Read(ref identifyRemaining)),
            ["reset_after"] = 86_400_000,
            ["max_concurrency"] = Options.MaxConcurrency,
        },
    };

    private RestResult PutCommands(string applicationId, string? guildId, JsonNode? body)
    {
        if (applicationId != Options.ApplicationId)
        {
            return new RestResult(403, Error(50001, "Missing Access"), 50001);
        }

        var errors = DiscordRules.ValidateCommands(body);
        if (errors.Count > 0)
        {
            CommandRegistrationErrors.AddRange(errors);
            return new RestResult(400, Error(50035, string.Join("; ", errors), "commands"), 50035);
        }

        var stored = new JsonArray();
        foreach (var command in body!.AsArray().OfType<JsonObject>())
        {
            var copy = command.DeepClone().AsObject();
            copy["id"] = NextSnowflake();
            copy["application_id"] = Options.ApplicationId;
            copy["version"] = NextSnowflake();
            copy["type"] ??= 1;
            if (guildId is not null)
            {
                copy["guild_id"] = guildId;
            }

            stored.Add(copy);
        }

        registeredCommands[guildId ?? ""] = stored;
        return new RestResult(200, stored.DeepClone());
    }

    /// <summary>Why command registrations were refused, for assertions.</summary>
    public List<string> CommandRegistrationErrors { get; } = [];

    /// <summary>
    /// Create DM: the bot's DM channel with a user (type 1, the same id every time). Discord opens it even when the
    /// user's DMs are closed; the message into it is what fails, with 50007.
    /// </summary>
    private RestResult OpenDirectChannel(JsonObject? body)
    {
        if (body?["recipient_id"]?.ToString() is not { Length: > 0 } recipient || !ulong.TryParse(recipient, out _))
        {
            return new RestResult(400, Error(50035, "Invalid Form Body", "recipient_id"), 50035);
        }

        var id = directChannelOf.GetOrAdd(recipient, _ => NextSnowflake());
        channels.GetOrAdd(id, _ => new ChannelState(id, "", 1, null));
        return new RestResult(200, new JsonObject
        {
            ["id"] = id,
            ["type"] = 1,
            ["last_message_id"] = null,
            ["recipients"] = new JsonArray(new JsonObject { ["id"] = recipient, ["username"] = "user" + recipient, ["discriminator"] = "0" }),
        });
    }

    private RestResult CreateMessage(string channelId, JsonObject? body, IReadOnlyList<EmulatedUpload> files)
    {
        if (!channels.TryGetValue(channelId, out var channel))
        {
            return new RestResult(404, Error(10003, "Unknown Channel"), 10003);
        }

        if (channel.Type == 1 && directChannelOf.FirstOrDefault(p => p.Value == channelId).Key is { } dmUser && ClosedDirectMessages.ContainsKey(dmUser))
        {
            return new RestResult(403, Error(50007, "Cannot send messages to this user"), 50007);
        }

        body ??= [];
        if (ValidateMessage(body, requireSomething: true, files) is { } invalid)
        {
            return new RestResult(400, Error(invalid.Code, invalid.Message, invalid.Code == 50035 ? "message" : null), invalid.Code, body);
        }

        // Message create, enforce_nonce: "checked for uniqueness in the past few minutes. If another message was
        // created by the same author with the same nonce, that message will be returned and no new message will be
        // created." The same author, in any channel; only within the window.
        var author = BotUser();
        var nonce = body["nonce"]?.ToString();
        var nonceKey = $"{author["id"]}|{nonce}";
        if (nonce is not null && body["enforce_nonce"]?.GetValue<bool>() == true
            && nonces.TryGetValue(nonceKey, out var earlier) && Time.GetUtcNow() - earlier.At < Options.NonceWindow
            && channels.TryGetValue(earlier.ChannelId, out var earlierChannel) && earlierChannel.Find(earlier.MessageId) is { } existing)
        {
            Recorder.CountNonceHit();
            return new RestResult(200, existing.DeepClone(), 0, body);
        }

        var message = NewMessage(channel, author, body, files);
        if (nonce is not null)
        {
            nonces[nonceKey] = (channelId, message["id"]!.GetValue<string>(), Time.GetUtcNow());
        }

        channel.Add(message);
        if (channel.Type == 1)
        {
            // A DM's MESSAGE_CREATE needs the DIRECT_MESSAGES intent, which the bot does not ask for.
            return new RestResult(200, message.DeepClone(), 0, body);
        }

        var echo = message.DeepClone().AsObject();
        echo["guild_id"] = channel.GuildId;
        echo["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = "2026-01-01T00:00:00.000000+00:00", ["deaf"] = false, ["mute"] = false, ["flags"] = 0 };
        _ = DispatchAsync("MESSAGE_CREATE", echo);
        return new RestResult(200, message.DeepClone(), 0, body);
    }

    private JsonObject NewMessage(ChannelState channel, JsonObject author, JsonObject body, IReadOnlyList<EmulatedUpload> files)
    {
        var id = NextSnowflake();
        var attachments = Attach(channel.Id, body, files);
        return new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channel.Id,
            ["author"] = author,
            ["content"] = body["content"]?.GetValue<string>() ?? "",
            ["timestamp"] = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            ["edited_timestamp"] = null,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = attachments,
            ["embeds"] = ResolveEmbeds(body["embeds"], attachments),
            ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
            ["pinned"] = false,
            ["type"] = body["message_reference"] is null ? 0 : 19,
            ["flags"] = body["flags"]?.DeepClone() ?? 0,
            ["nonce"] = body["nonce"]?.DeepClone(),
            ["message_reference"] = body["message_reference"]?.DeepClone(),
        };
    }

    private RestResult ListMessages(string channelId, IQueryCollection query)
    {
        if (!channels.TryGetValue(channelId, out var channel))
        {
            return new RestResult(404, Error(10003, "Unknown Channel"), 10003);
        }

        var limit = query.TryGetValue("limit", out var l) ? int.Parse(l.ToString(), CultureInfo.InvariantCulture) : 50;
        var anchors = new[] { "before", "after", "around" }.Where(query.ContainsKey).ToList();
        if (limit is < 1 or > 100 || anchors.Count > 1)
        {
            return new RestResult(400, Error(50035, "limit must be 1–100; before, after and around are mutually exclusive", "limit"), 50035);
        }

        var all = channel.Snapshot();
        static ulong Id(JsonObject m) => ulong.Parse(m["id"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        IEnumerable<JsonObject> selected = all.OrderByDescending(Id);
        if (anchors.Count == 1)
        {
            var anchor = ulong.Parse(query[anchors[0]].ToString(), CultureInfo.InvariantCulture);
            selected = anchors[0] switch
            {
                "before" => selected.Where(m => Id(m) < anchor),
                "after" => all.Where(m => Id(m) > anchor).OrderBy(Id).Take(limit).OrderByDescending(Id),
                _ => all.OrderBy(m => (long)Math.Abs((decimal)Id(m) - anchor)).Take(limit).OrderByDescending(Id),
            };
        }

        return new RestResult(200, new JsonArray([.. selected.Take(limit)]));
    }

    private RestResult GetMessage(string channelId, string messageId) =>
        !channels.TryGetValue(channelId, out var channel) ? new RestResult(404, Error(10003, "Unknown Channel"), 10003)
        : channel.Find(messageId) is { } m ? new RestResult(200, m.DeepClone())
        : new RestResult(404, Error(10008, "Unknown Message"), 10008);

    private RestResult EditMessage(string channelId, string messageId, JsonObject? body, IReadOnlyList<EmulatedUpload> files)
    {
        if (!channels.TryGetValue(channelId, out var channel))
        {
            return new RestResult(404, Error(10003, "Unknown Channel"), 10003);
        }

        if (channel.Find(messageId) is not { } message)
        {
            return new RestResult(404, Error(10008, "Unknown Message"), 10008);
        }

        body ??= [];
        if (ValidateMessage(body, requireSomething: false, files) is { } invalid)
        {
            return new RestResult(400, Error(invalid.Code, invalid.Message, "message"), invalid.Code, body);
        }

        ApplyEdit(channelId, message, body, files);
        return new RestResult(200, message.DeepClone(), 0, body);
    }

    private RestResult DeleteMessage(string channelId, string messageId) =>
        !channels.TryGetValue(channelId, out var channel) ? new RestResult(404, Error(10003, "Unknown Channel"), 10003)
        : channel.Remove(messageId) ? new RestResult(204, null)
        : new RestResult(404, Error(10008, "Unknown Message"), 10008);

    private RestResult StartThread(string channelId, string? messageId, JsonObject? body)
    {
        if (!channels.TryGetValue(channelId, out var parent))
        {
            return new RestResult(404, Error(10003, "Unknown Channel"), 10003);
        }

        var name = body?["name"]?.GetValue<string>() ?? "";
        if (name.Length is < 1 or > 100)
        {
            return new RestResult(400, Error(50035, "name must be 1–100 characters", "name"), 50035);
        }

        if (body?["auto_archive_duration"] is JsonValue archive && archive.GetValue<int>() is not (60 or 1440 or 4320 or 10080))
        {
            return new RestResult(400, Error(50035, "auto_archive_duration must be 60, 1440, 4320 or 10080", "auto_archive_duration"), 50035);
        }

        string id;
        int type;
        if (messageId is not null)
        {
            if (parent.Find(messageId) is null)
            {
                return new RestResult(404, Error(10008, "Unknown Message"), 10008);
            }

            if (channels.ContainsKey(messageId))
            {
                return new RestResult(400, Error(160004, "A thread has already been created for this message"), 160004);
            }

            // A thread started on a message takes the message's id.
            id = messageId;
            type = 11;
        }
        else
        {
            id = NextSnowflake();
            // Without a message the default type is PRIVATE_THREAD (12).
            type = body?["type"]?.GetValue<int>() ?? 12;
        }

        var thread = new ChannelState(id, parent.GuildId, type, parent.Id);
        if (!channels.TryAdd(id, thread))
        {
            return new RestResult(400, Error(160004, "A thread has already been created for this message"), 160004);
        }

        var json = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["guild_id"] = parent.GuildId,
            ["parent_id"] = parent.Id,
            ["name"] = name,
            ["owner_id"] = Options.BotUserId,
            ["thread_metadata"] = new JsonObject { ["archived"] = false, ["auto_archive_duration"] = body?["auto_archive_duration"]?.GetValue<int>() ?? 4320, ["locked"] = false },
        };
        _ = DispatchAsync("THREAD_CREATE", json.DeepClone().AsObject());
        if (messageId is not null && parent.Find(messageId) is { } starter)
        {
            // Discord also announces the starter message's new thread link.
            starter["thread"] = json.DeepClone();
            var update = starter.DeepClone().AsObject();
            update["guild_id"] = parent.GuildId;
            _ = DispatchAsync("MESSAGE_UPDATE", update);
        }

        return new RestResult(201, json);
    }
}

/// <summary>A request the emulator holds (<see cref="DiscordEmulator.HoldNext"/>) until the test releases it.</summary>
public sealed class HeldRequest(string method, string path)
{
    private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Method { get; } = method;

    public string Path { get; } = path;

    /// <summary>Completes when the request has arrived and is being held.</summary>
    public Task Arrived => arrived.Task;

    /// <summary>Lets the request take effect (its sender may be gone by then).</summary>
    public void Release() => released.TrySetResult();

    internal Task HoldAsync()
    {
        arrived.TrySetResult();
        return released.Task;
    }
}
