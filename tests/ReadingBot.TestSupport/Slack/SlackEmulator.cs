using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReadingBot.TestSupport.Slack;

/// <summary>
/// A Slack emulator on 127.0.0.1: the Web API (/api/{method}) with Slack's token rules, ok:false errors, block
/// limits, tiers and per-channel rate limits, injected faults; message storage with monotonic ts and threads;
/// response_url and trigger_id limits; Socket Mode (/link) with single-use tickets, hello, envelopes, ack deadlines
/// and redelivery, every disconnect reason, half-open sockets; and HTTP mode, where it signs and retries like Slack.
/// Validation rules follow docs.slack.dev as of 2026 (see PROTOCOLS.md §4.2).
/// </summary>
public sealed partial class SlackEmulator : IAsyncDisposable
{
    public const string DefaultTeam = "T0READING";
    public const string DefaultTeamName = "Reading Circle";
    public const string AppId = "A0READING";
    public const string GeneralChannel = "C0GENERAL";
    public const string QuietChannel = "C0QUIET";
    public const string OutsideChannel = "C0OUTSIDE";
    public const string Alice = "U0ALICE";
    public const string Admin = "U0ADMIN";

    private static readonly HashSet<string> BlockTypes = new(StringComparer.Ordinal) { "section", "actions", "context", "divider", "header", "input", "image", "rich_text", "markdown", "file", "video" };

    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, EmulatedTeam> teams = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ApiCall> calls = new();
    private readonly ConcurrentQueue<string> violations = new();
    private readonly List<EphemeralMessage> ephemerals = [];
    private readonly Dictionary<string, List<DateTimeOffset>> channelPosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> methodWindows = new(StringComparer.Ordinal);
    private readonly List<InjectedFault> faults = [];
    private readonly Dictionary<string, (DateTimeOffset Issued, bool Used)> triggers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResponseUrlState> responseUrls = new(StringComparer.Ordinal);
    private long tsCounter;
    private long idCounter;

    private SlackEmulator(WebApplication app, SlackEmulatorOptions options)
    {
        this.app = app;
        Options = options;
        AppToken = "xapp-1-" + AppId + "-1-emulator";
        SigningSecret = "emulator-signing-secret-" + Guid.NewGuid().ToString("N")[..8];
        var team = AddTeam(DefaultTeam, "reading", DefaultTeamName);
        team.Users[Alice] = new EmulatedUser { Id = Alice, Name = "alice" };
        team.Users[Admin] = new EmulatedUser { Id = Admin, Name = "admin", IsAdmin = true };
        AddChannel(DefaultTeam, GeneralChannel, "general");
        AddChannel(DefaultTeam, QuietChannel, "quiet");
        AddChannel(DefaultTeam, OutsideChannel, "outside", botIsMember: false);
    }

    public SlackEmulatorOptions Options { get; }
    public string AppToken { get; }
    public string SigningSecret { get; set; }
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The value for Slack:ApiBaseUrl.</summary>
    public string ApiBaseUrl => new Uri(BaseUri, "api/").ToString();

    public EmulatedTeam Team(string id = DefaultTeam) => teams[id];

    public IReadOnlyList<ApiCall> Calls => [.. calls];

    public IReadOnlyList<ApiCall> CallsTo(string method) => calls.Where(c => c.Method == method).ToList();

    /// <summary>Protocol and rate-limit violations the bot committed (late acks, bad ack payloads, posts too fast, …).</summary>
    public IReadOnlyList<string> Violations => [.. violations];

    public IReadOnlyList<EphemeralMessage> Ephemerals { get { lock (gate) { return [.. ephemerals]; } } }

    public static async Task<SlackEmulator> StartAsync(SlackEmulatorOptions? options = null)
    {
        options ??= new SlackEmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new SlackEmulator(app, options);
        app.Map("/api/{method}", emulator.HandleApiAsync);
        app.Map("/link", emulator.HandleSocketAsync);
        app.MapPost("/commands/{id}", ctx => emulator.HandleResponseUrlAsync(ctx));
        app.MapPost("/actions/{id}", ctx => emulator.HandleResponseUrlAsync(ctx));
        app.MapPost("/upload/{id}", emulator.HandleUploadAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    public EmulatedTeam AddTeam(string id, string domain, string? name = null)
    {
        var team = new EmulatedTeam { Id = id, Domain = domain, Name = name, BotToken = $"xoxb-{id}-emulator" };
        teams[id] = team;
        return team;
    }

    public EmulatedChannel AddChannel(string teamId, string id, string name, bool botIsMember = true)
    {
        var channel = new EmulatedChannel { Id = id, Name = name, BotIsMember = botIsMember };
        teams[teamId].Channels[id] = channel;
        return channel;
    }

    public EmulatedChannel Channel(string id, string teamId = DefaultTeam) => teams[teamId].Channels[id];

    /// <summary>Messages in a channel, parents and replies, oldest first.</summary>
    public IReadOnlyList<StoredMessage> MessagesIn(string channel, string teamId = DefaultTeam)
    {
        lock (gate)
        {
            return [.. Channel(channel, teamId).Messages];
        }
    }

    /// <summary>Every text any member could read: channel messages and ephemerals.</summary>
    public IEnumerable<string> AllVisibleText()
    {
        lock (gate)
        {
            return teams.Values.SelectMany(t => t.Channels.Values).SelectMany(c => c.Messages).Select(m => m.AllText)
                .Concat(ephemerals.Select(e => e.AllText)).ToList();
        }
    }

    /// <summary>When chat.postMessage/chat.update reached each channel.</summary>
    public IReadOnlyList<DateTimeOffset> PostTimes(string channel)
    {
        lock (gate)
        {
            return channelPosts.TryGetValue(channel, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of a method (optionally to one channel) fail.</summary>
    public void InjectFault(string method, SlackFault fault, int times = 1, string? channel = null)
    {
        lock (gate)
        {
            faults.Add(new InjectedFault(method, channel, fault) { Remaining = times });
        }
    }

    /// <summary>Adds a message as if a member had typed it (no event is sent).</summary>
    public StoredMessage AddUserMessage(string channel, string user, string text, string? threadTs = null, string teamId = DefaultTeam)
    {
        lock (gate)
        {
            return Store(Channel(channel, teamId), text, null, threadTs, user, null);
        }
    }

    public string NextTs()
    {
        var n = Interlocked.Increment(ref tsCounter);
        var seconds = Options.Time.GetUtcNow().ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{n % 1_000_000:D6}");
    }

    private string NewId(string prefix) => prefix + Interlocked.Increment(ref idCounter).ToString("D6", CultureInfo.InvariantCulture);

    private StoredMessage Store(EmulatedChannel channel, string text, JsonArray? blocks, string? threadTs, string? user, string? botId)
    {
        // Monotonic ts per channel: a later message never gets a smaller ts.
        string ts;
        do
        {
            ts = NextTs();
        }
        while (channel.Messages.Count > 0 && string.CompareOrdinal(PadTs(ts), PadTs(channel.Messages[^1].Ts)) <= 0);

        var message = new StoredMessage { Ts = ts, ThreadTs = threadTs, Channel = channel.Id, User = user, BotId = botId, Text = text, Blocks = blocks };
        channel.Messages.Add(message);
        if (threadTs is not null && channel.Messages.FirstOrDefault(m => m.Ts == threadTs) is { } parent)
        {
            parent.ReplyCount++;
            parent.LatestReply = ts;
            if (user is not null && !parent.ReplyUsers.Contains(user))
            {
                parent.ReplyUsers.Add(user);
            }
        }

        return message;
    }

    private static string PadTs(string ts)
    {
        var parts = ts.Split('.');
        return parts[0].PadLeft(12, '0') + "." + (parts.Length > 1 ? parts[1] : "").PadRight(6, '0');
    }

    // ---------------------------------------------------------------- Web API

    private async Task HandleApiAsync(HttpContext ctx)
    {
        var method = (string)ctx.Request.RouteValues["method"]!;
        var now = Options.Time.GetUtcNow();
        var (args, tokenFromBody, warnings) = await ReadArgsAsync(ctx.Request);
        var header = ctx.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : tokenFromBody;
        var channelArg = args["channel"]?.ToString();

        InjectedFault? fault;
        lock (gate)
        {
            fault = faults.FirstOrDefault(f => f.Method == method && f.Remaining > 0 && (f.Channel is null || f.Channel == channelArg));
            if (fault is not null)
            {
                fault.Remaining--;
            }
        }

        if (fault is not null)
        {
            switch (fault.Fault.Kind)
            {
                case SlackFaultKind.RateLimited:
                    Record(method, now, args, 429, "ratelimited", null);
                    await RateLimitedAsync(ctx, fault.Fault.RetryAfterSeconds);
                    return;
                case SlackFaultKind.ServerError:
                    Record(method, now, args, fault.Fault.Status, "server_error", null);
                    ctx.Response.StatusCode = fault.Fault.Status;
                    ctx.Response.ContentType = "text/html";
                    await ctx.Response.WriteAsync("<html><head><title>Slack</title></head><body><h1>Something went wrong</h1><p>Our servers are having a moment.</p></body></html>");
                    return;
                case SlackFaultKind.Reset:
                    Record(method, now, args, 0, "connection_reset", null);
                    ctx.Abort();
                    return;
                case SlackFaultKind.Slow:
                    await Task.Delay(fault.Fault.Delay, Options.Time);
                    break;
            }
        }

        EmulatedTeam? team = null;
        string? error = null;
        if (method == "apps.connections.open")
        {
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                error = "not_authed";
            }
            else if (token != AppToken)
            {
                error = token is not null && token.StartsWith("xoxb-", StringComparison.Ordinal) ? "not_allowed_token_type" : "invalid_auth";
            }
        }
        else if (string.IsNullOrEmpty(token))
        {
            error = "not_authed";
        }
        else if (token.StartsWith("xapp-", StringComparison.Ordinal))
        {
            error = "not_allowed_token_type";
        }
        else
        {
            team = teams.Values.FirstOrDefault(t => t.BotToken == token);
            error = team is null ? "invalid_auth" : team.TokenRevoked ? "token_revoked" : null;
        }

        if (error is not null)
        {
            Record(method, now, args, 200, error, team?.Id);
            await WriteJsonAsync(ctx, Error(error));
            return;
        }

        if (!TakeMethodSlot(team?.Id ?? AppId, method, now, out var retryAfter))
        {
            Record(method, now, args, 429, "ratelimited", team?.Id);
            violations.Enqueue($"{method}: more than {Options.MethodLimitsPerMinute[method]} calls a minute");
            await RateLimitedAsync(ctx, retryAfter);
            return;
        }

        JsonObject result;
        int status = 200;
        try
        {
            result = method switch
            {
                "auth.test" => AuthTest(team!),
                "apps.connections.open" => ConnectionsOpen(),
                "chat.postMessage" => PostMessage(team!, args, now, ref status),
                "chat.postEphemeral" => PostEphemeral(team!, args, now),
                "chat.update" => Update(team!, args, now, ref status),
                "conversations.replies" => Replies(team!, args),
                "conversations.history" => History(team!, args),
                "users.info" => UserInfo(team!, args),
                "conversations.open" => OpenConversation(team!, args),
                "views.open" => ViewsOpen(args, now),
                "files.getUploadURLExternal" => GetUploadUrl(team!, args, now),
                "files.completeUploadExternal" => CompleteUpload(team!, args, now),
                _ => Error("unknown_method"),
            };
        }
        catch (JsonException)
        {
            result = Error("invalid_json");
        }

        if (warnings.Count > 0 && result["ok"]?.GetValue<bool>() == true)
        {
            result["warning"] = string.Join(",", warnings);
            result["response_metadata"] = new JsonObject { ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]) };
        }

        var resultError = result["ok"]?.GetValue<bool>() == true ? null : result["error"]?.ToString();
        Record(method, now, args, status, resultError, team?.Id);
        if (status == 429)
        {
            await RateLimitedAsync(ctx, 1);
            return;
        }

        await WriteJsonAsync(ctx, result);
        if (method == "chat.postMessage" && resultError is null && Options.EchoBotMessages)
        {
            // Slack tells the app about its own messages too: loop prevention must drop them.
            var message = result["message"]!.AsObject();
            var echo = (JsonObject)message.DeepClone();
            echo["channel"] = result["channel"]!.ToString();
            echo["event_ts"] = echo["ts"]!.ToString();
            echo["channel_type"] = "channel";
            _ = DeliverEventAsync(team!.Id, echo);
        }
    }

    private void Record(string method, DateTimeOffset at, JsonObject args, int status, string? error, string? team)
    {
        var safe = (JsonObject)args.DeepClone();
        safe.Remove("token");
        calls.Enqueue(new ApiCall(method, at, safe, status, error, team));
    }

    private static async Task<(JsonObject Args, string? Token, List<string> Warnings)> ReadArgsAsync(HttpRequest request)
    {
        var args = new JsonObject();
        var warnings = new List<string>();
        foreach (var (key, value) in request.Query)
        {
            args[key] = value.ToString();
        }

        if (HttpMethods.IsPost(request.Method))
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var contentType = request.ContentType ?? "";
            if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                if (!contentType.Contains("charset", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add("missing_charset");
                }

                if (body.Length > 0 && JsonNode.Parse(body) is JsonObject json)
                {
                    foreach (var (key, value) in json)
                    {
                        args[key] = value?.DeepClone();
                    }
                }
            }
            else if (body.Length > 0)
            {
                foreach (var (key, value) in QueryHelpers.ParseQuery(body))
                {
                    args[key] = value.ToString();
                }
            }
        }

        var token = args["token"]?.ToString();
        return (args, token, warnings);
    }

    private bool TakeMethodSlot(string key, string method, DateTimeOffset now, out int retryAfter)
    {
        retryAfter = 0;
        if (!Options.MethodLimitsPerMinute.TryGetValue(method, out var limit))
        {
            return true;
        }

        lock (gate)
        {
            var windowKey = key + "/" + method;
            if (!methodWindows.TryGetValue(windowKey, out var window))
            {
                window = new Queue<DateTimeOffset>();
                methodWindows[windowKey] = window;
            }

            while (window.Count > 0 && now - window.Peek() >= TimeSpan.FromMinutes(1))
            {
                window.Dequeue();
            }

            if (window.Count >= limit)
            {
                retryAfter = Math.Max(1, (int)Math.Ceiling((TimeSpan.FromMinutes(1) - (now - window.Peek())).TotalSeconds));
                return false;
            }

            window.Enqueue(now);
            return true;
        }
    }

    private static async Task RateLimitedAsync(HttpContext ctx, int retryAfter)
    {
        ctx.Response.StatusCode = 429;
        ctx.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await WriteJsonAsync(ctx, Error("ratelimited"), 429);
    }

    private static async Task WriteJsonAsync(HttpContext ctx, JsonObject json, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(json.ToJsonString());
    }

    private static JsonObject Error(string error, params string[] messages)
    {
        var json = new JsonObject { ["ok"] = false, ["error"] = error };
        if (messages.Length > 0)
        {
            json["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)m)]) };
        }

        return json;
    }

    private JsonObject AuthTest(EmulatedTeam team) => new()
    {
        ["ok"] = true,
        ["url"] = $"https://{team.Domain}.slack.com/",
        ["team"] = team.Name ?? team.Domain,
        ["user"] = "readingbot",
        ["team_id"] = team.Id,
        ["user_id"] = team.BotUserId,
        ["bot_id"] = team.BotId,
        ["is_enterprise_install"] = false,
    };

    private JsonObject PostMessage(EmulatedTeam team, JsonObject args, DateTimeOffset now, ref int status)
    {
        if (!TryChannel(team, args, out var channel, out var error))
        {
            return error;
        }

        if (!TryContent(args, out var text, out var blocks, out error))
        {
            return error;
        }

        if (!TryMetadata(args, out var metadata, out error))
        {
            return error;
        }

        var threadTs = args["thread_ts"]?.ToString();
        lock (gate)
        {
            if (!string.IsNullOrEmpty(threadTs) && !channel.Messages.Any(m => m.Ts == threadTs))
            {
                return Error("thread_not_found");
            }

            if (!ChannelSlot(channel.Id, now))
            {
                status = 429;
                return Error("ratelimited");
            }

            var stored = Store(channel, text, blocks, string.IsNullOrEmpty(threadTs) ? null : threadTs, team.BotUserId, team.BotId);
            stored.Metadata = metadata;
            return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = stored.Ts, ["message"] = stored.ToJson() };
        }
    }

    private JsonObject PostEphemeral(EmulatedTeam team, JsonObject args, DateTimeOffset now)
    {
        if (!TryChannel(team, args, out var channel, out var error))
        {
            return error;
        }

        var user = args["user"]?.ToString();
        if (string.IsNullOrEmpty(user) || !team.Users.ContainsKey(user))
        {
            return Error("user_not_found");
        }

        if (!TryContent(args, out var text, out var blocks, out error))
        {
            return error;
        }

        lock (gate)
        {
            ephemerals.Add(new EphemeralMessage(channel.Id, user, text, blocks, args["thread_ts"]?.ToString(), now));
        }

        return new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() };
    }

    private JsonObject Update(EmulatedTeam team, JsonObject args, DateTimeOffset now, ref int status)
    {
        if (!TryChannel(team, args, out var channel, out var error))
        {
            return error;
        }

        if (!TryContent(args, out var text, out var blocks, out error))
        {
            return error;
        }

        var ts = args["ts"]?.ToString();
        lock (gate)
        {
            var message = channel.Messages.FirstOrDefault(m => m.Ts == ts);
            if (message is null)
            {
                return Error("message_not_found");
            }

            if (message.BotId != team.BotId)
            {
                return Error("cant_update_message");
            }

            if (!ChannelSlot(channel.Id, now))
            {
                status = 429;
                return Error("ratelimited");
            }

            message.Text = text;
            message.Blocks = blocks;
            return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = message.Ts, ["text"] = text };
        }
    }

    private JsonObject Replies(EmulatedTeam team, JsonObject args)
    {
        var channelId = args["channel"]?.ToString();
        if (channelId is null || !team.Channels.TryGetValue(channelId, out var channel))
        {
            return Error("channel_not_found");
        }

        var ts = args["ts"]?.ToString();
        var limit = int.TryParse(args["limit"]?.ToString(), out var l) ? Math.Clamp(l, 1, SlackLimits.RepliesPage) : SlackLimits.RepliesPage;
        if (!TryCursor(args, out var start))
        {
            return Error("invalid_cursor");
        }

        lock (gate)
        {
            var parent = channel.Messages.FirstOrDefault(m => m.Ts == ts);
            if (parent is null)
            {
                return Error("thread_not_found");
            }

            var root = parent.ThreadTs ?? parent.Ts;
            // oldest/latest bound the replies; the parent is always included.
            var thread = channel.Messages
                .Where(m => m.Ts == root || (m.ThreadTs == root && InTimeRange(m, args)))
                .OrderBy(m => PadTs(m.Ts), StringComparer.Ordinal)
                .ToList();
            return MessagePage(thread, start, limit, args);
        }
    }

    /// <summary>
    /// chat.postMessage's optional <c>metadata</c>: an object (or the same as a JSON string) with a string
    /// <c>event_type</c> and an object <c>event_payload</c>; anything else is invalid_metadata_format.
    /// </summary>
    private static bool TryMetadata(JsonObject args, out JsonObject? metadata, out JsonObject error)
    {
        metadata = null;
        error = null!;
        var raw = args["metadata"];
        if (raw is null)
        {
            return true;
        }

        try
        {
            var parsed = raw is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonNode.Parse(v.GetValue<string>()) : raw.DeepClone();
            if (parsed is JsonObject o && o["event_type"] is JsonValue type && type.GetValueKind() == System.Text.Json.JsonValueKind.String
                && type.GetValue<string>().Length > 0 && o["event_payload"] is JsonObject)
            {
                metadata = o;
                return true;
            }
        }
        catch (JsonException)
        {
        }

        error = Error("invalid_metadata_format");
        return false;
    }

    private static bool Flag(JsonObject args, string name) => args[name]?.ToString() is "true" or "1";

    /// <summary>
    /// conversations.history: the channel's messages, newest first, without thread replies (they are in
    /// conversations.replies); oldest/latest/inclusive bound the time range; limit up to 999, default 100; cursor
    /// pagination; metadata only with include_all_metadata.
    /// </summary>
    private JsonObject History(EmulatedTeam team, JsonObject args)
    {
        var channelId = args["channel"]?.ToString();
        if (channelId is null || !team.Channels.TryGetValue(channelId, out var channel))
        {
            return Error("channel_not_found");
        }

        if (!channel.BotIsMember)
        {
            return Error("not_in_channel");
        }

        var limit = int.TryParse(args["limit"]?.ToString(), out var l) ? Math.Clamp(l, 1, SlackLimits.HistoryPage) : 100;
        if (!TryCursor(args, out var start))
        {
            return Error("invalid_cursor");
        }

        lock (gate)
        {
            var messages = channel.Messages
                .Where(m => m.ThreadTs is null || m.ThreadTs == m.Ts)
                .Where(m => InTimeRange(m, args))
                .OrderByDescending(m => PadTs(m.Ts), StringComparer.Ordinal)
                .ToList();
            var page = MessagePage(messages, start, limit, args);
            page["pin_count"] = 0;
            return page;
        }
    }

    /// <summary>The start offset an opaque <c>cursor</c> (ours: base64 of <c>next:N</c>) stands for; 0 without one.</summary>
    private static bool TryCursor(JsonObject args, out int start)
    {
        start = 0;
        if (args["cursor"]?.ToString() is not { Length: > 0 } cursor)
        {
            return true;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return decoded.StartsWith("next:", StringComparison.Ordinal) && int.TryParse(decoded[5..], out start);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>conversations.history's and .replies' oldest/latest bounds, exclusive unless <c>inclusive</c> is set.</summary>
    private static bool InTimeRange(StoredMessage message, JsonObject args)
    {
        var inclusive = Flag(args, "inclusive");
        var ts = PadTs(message.Ts);
        var oldest = args["oldest"]?.ToString();
        var latest = args["latest"]?.ToString();
        return (oldest is null || (inclusive ? string.CompareOrdinal(ts, PadTs(oldest)) >= 0 : string.CompareOrdinal(ts, PadTs(oldest)) > 0))
            && (latest is null || (inclusive ? string.CompareOrdinal(ts, PadTs(latest)) <= 0 : string.CompareOrdinal(ts, PadTs(latest)) < 0));
    }

    /// <summary>One page of <paramref name="messages"/> from <paramref name="start"/>, with the cursor of the next page.</summary>
    private static JsonObject MessagePage(List<StoredMessage> messages, int start, int limit, JsonObject args)
    {
        var page = messages.Skip(start).Take(limit).ToList();
        var hasMore = start + page.Count < messages.Count;
        var next = hasMore ? Convert.ToBase64String(Encoding.UTF8.GetBytes("next:" + (start + page.Count).ToString(CultureInfo.InvariantCulture))) : "";
        var withMetadata = Flag(args, "include_all_metadata");
        return new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page.Select(m => (JsonNode)m.ToJson(withMetadata))]),
            ["has_more"] = hasMore,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        };
    }

    /// <summary>
    /// conversations.open with one member: the bot's IM channel with them (the same id every time), which the bot is a
    /// member of, so files and messages can be shared there.
    /// </summary>
    private static JsonObject OpenConversation(EmulatedTeam team, JsonObject args)
    {
        var users = args["users"]?.ToString();
        if (string.IsNullOrEmpty(users))
        {
            return Error("users_list_not_supplied");
        }

        if (users.Contains(',', StringComparison.Ordinal))
        {
            return Error("not_supported");
        }

        if (!team.Users.TryGetValue(users, out var user))
        {
            return Error("user_not_found");
        }

        if (user.Deleted)
        {
            return Error("user_disabled");
        }

        var channel = team.Channels.GetOrAdd("D" + users.TrimStart('U', 'W'), id => new EmulatedChannel { Id = id, Name = users, IsIm = true });
        return new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = channel.Id, ["is_im"] = true, ["user"] = users } };
    }

    private static JsonObject UserInfo(EmulatedTeam team, JsonObject args)
    {
        var id = args["user"]?.ToString();
        if (id is null || !team.Users.TryGetValue(id, out var user))
        {
            return Error("user_not_found");
        }

        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject
            {
                ["id"] = user.Id,
                ["team_id"] = team.Id,
                ["name"] = user.Name,
                ["real_name"] = user.Name,
                ["is_admin"] = user.IsAdmin,
                ["is_owner"] = user.IsOwner,
                ["is_primary_owner"] = false,
                ["is_bot"] = false,
                ["profile"] = new JsonObject { ["display_name"] = user.Name, ["real_name"] = user.Name },
            },
        };
    }

    private JsonObject ViewsOpen(JsonObject args, DateTimeOffset now)
    {
        var trigger = args["trigger_id"]?.ToString();
        lock (gate)
        {
            if (trigger is null || !triggers.TryGetValue(trigger, out var state))
            {
                return Error("invalid_trigger_id");
            }

            if (state.Used)
            {
                return Error("exchanged_trigger_id");
            }

            if (now - state.Issued > Options.TriggerLifetime)
            {
                return Error("expired_trigger_id");
            }

            triggers[trigger] = (state.Issued, true);
        }

        var view = args["view"] is JsonValue v ? JsonNode.Parse(v.ToString()) : args["view"];
        if (view is not JsonObject modal)
        {
            return Error("invalid_arguments", "[ERROR] missing required field: view");
        }

        if ((modal["title"]?["text"]?.ToString() ?? "").Length is 0 or > SlackLimits.ModalTitle)
        {
            return Error("invalid_arguments", "[ERROR] must be between 1 and 24 characters [json-pointer:/view/title/text]");
        }

        var blocks = modal["blocks"] as JsonArray ?? [];
        if (ValidateBlocks(blocks, SlackLimits.ViewBlocks) is { } problem)
        {
            return Error("invalid_arguments", problem);
        }

        if (blocks.Any(b => b?["type"]?.ToString() == "input") && modal["submit"] is null)
        {
            return Error("invalid_arguments", "[ERROR] submit is required when the view has input blocks [json-pointer:/view/submit]");
        }

        return new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = NewId("V"), ["type"] = "modal" } };
    }

    private static bool TryChannel(EmulatedTeam team, JsonObject args, out EmulatedChannel channel, out JsonObject error)
    {
        var id = args["channel"]?.ToString();
        if (id is null || !team.Channels.TryGetValue(id, out channel!))
        {
            channel = null!;
            error = Error("channel_not_found");
            return false;
        }

        if (!channel.BotIsMember)
        {
            error = Error("not_in_channel");
            return false;
        }

        error = null!;
        return true;
    }

    private static bool TryContent(JsonObject args, out string text, out JsonArray? blocks, out JsonObject error)
    {
        text = args["text"]?.ToString() ?? "";
        blocks = null;
        error = null!;
        var raw = args["blocks"];
        if (raw is not null)
        {
            try
            {
                blocks = raw is JsonValue s ? JsonNode.Parse(s.ToString()) as JsonArray : raw.DeepClone() as JsonArray;
            }
            catch (JsonException)
            {
                error = Error("invalid_blocks_format");
                return false;
            }

            if (blocks is null)
            {
                error = Error("invalid_blocks_format");
                return false;
            }

            if (ValidateBlocks(blocks, SlackLimits.MessageBlocks) is { } problem)
            {
                error = Error("invalid_blocks", problem);
                return false;
            }
        }

        if (text.Length == 0 && (blocks is null || blocks.Count == 0))
        {
            error = Error("no_text");
            return false;
        }

        if (text.Length > SlackLimits.MessageText)
        {
            error = Error("msg_too_long");
            return false;
        }

        return true;
    }

    /// <summary>Block Kit limits (<see cref="SlackLimits"/>). Returns a description of the first problem.</summary>
    public static string? ValidateBlocks(JsonArray blocks, int maxBlocks)
    {
        if (blocks.Count > maxBlocks)
        {
            return $"[ERROR] no more than {maxBlocks} items allowed [json-pointer:/blocks]";
        }

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            var at = $"[json-pointer:/blocks/{i}]";
            if (blocks[i] is not JsonObject block || block["type"]?.ToString() is not { } type || !BlockTypes.Contains(type))
            {
                return $"[ERROR] unknown or missing block type {at}";
            }

            if (block["block_id"]?.ToString() is { } blockId && (blockId.Length > SlackLimits.BlockId || !blockIds.Add(blockId)))
            {
                return $"[ERROR] block_id too long or repeated {at}";
            }

            var problem = type switch
            {
                "section" => Section(block, actionIds),
                "actions" => Elements(block, SlackLimits.ActionsElements, actionIds),
                "context" => Elements(block, SlackLimits.ContextElements, actionIds, context: true),
                "header" => Text(block["text"], SlackLimits.HeaderText, plainOnly: true),
                _ => null,
            };
            if (problem is not null)
            {
                return $"[ERROR] {problem} {at}";
            }
        }

        return null;

        static string? Section(JsonObject block, HashSet<string> actionIds)
        {
            if (block["text"] is null && block["fields"] is null)
            {
                return "a section needs text or fields";
            }

            if (block["text"] is not null && Text(block["text"], SlackLimits.SectionText) is { } t)
            {
                return t;
            }

            if (block["fields"] is JsonArray fields)
            {
                if (fields.Count > SlackLimits.Fields)
                {
                    return "no more than 10 fields";
                }

                foreach (var f in fields)
                {
                    if (Text(f, SlackLimits.FieldText) is { } p)
                    {
                        return p;
                    }
                }
            }

            return block["accessory"] is JsonObject accessory ? Element(accessory, actionIds) : null;
        }

        static string? Elements(JsonObject block, int max, HashSet<string> actionIds, bool context = false)
        {
            if (block["elements"] is not JsonArray elements || elements.Count == 0 || elements.Count > max)
            {
                return $"elements must hold 1 to {max} items";
            }

            foreach (var e in elements)
            {
                var p = context ? Text(e, SlackLimits.SectionText) : Element(e as JsonObject, actionIds);
                if (p is not null)
                {
                    return p;
                }
            }

            return null;
        }

        static string? Element(JsonObject? element, HashSet<string> actionIds)
        {
            if (element?["type"]?.ToString() != "button")
            {
                return null;
            }

            if (Text(element["text"], SlackLimits.ButtonText, plainOnly: true) is { } t)
            {
                return "button " + t;
            }

            var actionId = element["action_id"]?.ToString();
            if (actionId is not null && (actionId.Length > SlackLimits.ActionId || !actionIds.Add(actionId)))
            {
                return "action_id too long or repeated";
            }

            if (element["value"]?.ToString() is { Length: > SlackLimits.ButtonValue })
            {
                return "button value longer than 2000 characters";
            }

            return element["url"]?.ToString() is { Length: > SlackLimits.ButtonUrl } ? "button url longer than 3000 characters" : null;
        }

        static string? Text(JsonNode? node, int max, bool plainOnly = false)
        {
            if (node is not JsonObject text || text["text"]?.ToString() is not { } value || value.Length == 0)
            {
                return "a text object needs non-empty text";
            }

            var kind = text["type"]?.ToString();
            if (kind is not ("plain_text" or "mrkdwn") || (plainOnly && kind != "plain_text"))
            {
                return $"text type must be {(plainOnly ? "plain_text" : "plain_text or mrkdwn")}";
            }

            return value.Length > max ? $"text longer than {max} characters" : null;
        }
    }

    /// <summary>The per-channel post limit: always recorded, answered with 429 when enforced.</summary>
    private bool ChannelSlot(string channel, DateTimeOffset now)
    {
        if (!channelPosts.TryGetValue(channel, out var list))
        {
            list = [];
            channelPosts[channel] = list;
        }

        if (list.Count > 0 && now - list[^1] < Options.ChannelPostInterval - Options.RateTolerance)
        {
            violations.Enqueue($"chat.postMessage: {channel} got two posts {(now - list[^1]).TotalMilliseconds:0} ms apart");
            if (Options.EnforceChannelRate)
            {
                return false;
            }
        }

        list.Add(now);
        return true;
    }

    // ---------------------------------------------------------------- response_url and trigger_id

    private sealed class ResponseUrlState
    {
        public required DateTimeOffset Issued { get; init; }
        public required string Team { get; init; }
        public required string Channel { get; init; }
        public required string User { get; init; }
        public SlackDelivery? Delivery { get; set; }
        public int Uses { get; set; }
    }

    private string IssueResponseUrl(string kind, string team, string channel, string user)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (gate)
        {
            responseUrls[id] = new ResponseUrlState { Issued = Options.Time.GetUtcNow(), Team = team, Channel = channel, User = user };
        }

        return new Uri(BaseUri, $"{kind}/{id}").ToString();
    }

    private string IssueTrigger()
    {
        var id = $"{Interlocked.Increment(ref idCounter)}.{Guid.NewGuid():N}";
        lock (gate)
        {
            triggers[id] = (Options.Time.GetUtcNow(), false);
        }

        return id;
    }

    private async Task HandleResponseUrlAsync(HttpContext ctx)
    {
        var id = (string)ctx.Request.RouteValues["id"]!;
        var now = Options.Time.GetUtcNow();
        ResponseUrlState? state;
        string? problem = null;
        lock (gate)
        {
            responseUrls.TryGetValue(id, out state);
            if (state is null)
            {
                problem = "no_such_url";
            }
            else if (now - state.Issued > Options.ResponseUrlLifetime)
            {
                problem = "expired_url";
            }
            else if (state.Uses >= Options.ResponseUrlUses)
            {
                problem = "used_url";
            }
            else
            {
                state.Uses++;
            }
        }

        if (problem is not null)
        {
            violations.Enqueue($"response_url: {problem}");
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsync(problem);
            return;
        }

        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
        if (!TryContent(body, out var text, out var blocks, out var error))
        {
            ctx.Response.StatusCode = 400;
            await ctx.Response.WriteAsync(error["error"]!.ToString());
            return;
        }

        ShowResponse(state!.Team, state.Channel, state.User, body, text, blocks);
        state.Delivery?.AddResponse(body);
        ctx.Response.StatusCode = 200;
        await ctx.Response.WriteAsync("ok");
    }

    /// <summary>A slash command answer (ack payload or response_url): in_channel is seen by all, ephemeral by the user.</summary>
    private void ShowResponse(string teamId, string channelId, string user, JsonObject body, string text, JsonArray? blocks)
    {
        var team = teams[teamId];
        lock (gate)
        {
            if (body["response_type"]?.ToString() == "in_channel" && team.Channels.TryGetValue(channelId, out var channel))
            {
                Store(channel, text, blocks, body["thread_ts"]?.ToString(), team.BotUserId, team.BotId);
            }
            else
            {
                ephemerals.Add(new EphemeralMessage(channelId, user, text, blocks, null, Options.Time.GetUtcNow()));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in SocketsSnapshot())
        {
            socket.Kill();
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public enum SlackFaultKind
{
    RateLimited,
    ServerError,
    Slow,
    Reset,
}

/// <summary>A fault to inject into a Web API method: 429 + Retry-After, a 5xx with an HTML body, a slow answer, a reset.</summary>
public sealed record SlackFault(SlackFaultKind Kind, int RetryAfterSeconds = 1, int Status = 503, TimeSpan Delay = default)
{
    public static SlackFault RateLimited(int retryAfterSeconds = 1) => new(SlackFaultKind.RateLimited, RetryAfterSeconds: retryAfterSeconds);

    public static SlackFault ServerError(int status = 503) => new(SlackFaultKind.ServerError, Status: status);

    public static SlackFault Slow(TimeSpan delay) => new(SlackFaultKind.Slow, Delay: delay);

    public static SlackFault Reset() => new(SlackFaultKind.Reset);
}

internal sealed class InjectedFault(string method, string? channel, SlackFault fault)
{
    public string Method { get; } = method;
    public string? Channel { get; } = channel;
    public SlackFault Fault { get; } = fault;
    public int Remaining { get; set; }
}
