using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace ReadingBot.TestSupport.Discord;

/// <summary>An interaction the emulator issued, with its callback state machine and what the user ends up seeing.</summary>
public sealed class EmulatedInteraction
{
    private readonly TaskCompletionSource<JsonObject> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<JsonObject> followups = [];

    internal EmulatedInteraction(string id, string token, int type, DateTimeOffset issuedAt, JsonObject payload)
    {
        Id = id;
        Token = token;
        Type = type;
        IssuedAt = issuedAt;
        Payload = payload;
        IssuedTimestamp = TimeProvider.System.GetTimestamp();
    }

    /// <summary>Monotonic stamps (TimeProvider.System) of issue and of the visible reply, for latency measurements.</summary>
    public long IssuedTimestamp { get; }

    public long? RepliedTimestamp { get; private set; }

    public TimeSpan? ReplyLatency => RepliedTimestamp is { } replied ? TimeProvider.System.GetElapsedTime(IssuedTimestamp, replied) : null;

    public string Id { get; }
    public string Token { get; }
    public int Type { get; }
    public DateTimeOffset IssuedAt { get; }
    public JsonObject Payload { get; }

    /// <summary>The accepted callback type (4 message, 5 deferred, 8 choices, …); null while pending.</summary>
    public int? CallbackType { get; internal set; }

    public DateTimeOffset? AckedAt { get; internal set; }

    public TimeSpan? AckLatency => AckedAt - IssuedAt;

    /// <summary>Flags of the initial response (64 = ephemeral).</summary>
    public int InitialFlags { get; internal set; }

    public bool OriginalDeleted { get; internal set; }

    /// <summary>Refusals the state machine gave (10062 late, 40060 answered twice, 10015, 50027, 50035…).</summary>
    public List<int> Errors { get; } = [];

    public IReadOnlyList<JsonObject> Followups
    {
        get
        {
            lock (followups)
            {
                return [.. followups];
            }
        }
    }

    internal void AddFollowup(JsonObject message)
    {
        lock (followups)
        {
            followups.Add(message);
        }
    }

    internal object Gate { get; } = new();

    internal JsonObject? Original { get; set; }

    internal void Complete(JsonObject message)
    {
        RepliedTimestamp ??= TimeProvider.System.GetTimestamp();
        reply.TrySetResult(message.DeepClone().AsObject());
    }

    /// <summary>The message the user finally sees: the type 4 data, the PATCHed @original, or a follow-up; or autocomplete choices.</summary>
    public async Task<JsonObject> WaitForReplyAsync(TimeSpan? timeout = null) =>
        await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The visible text of a reply: content, embed titles, descriptions and fields.</summary>
    public static string TextOf(JsonObject message)
    {
        var sb = new StringBuilder(message["content"]?.GetValue<string>() ?? "");
        foreach (var embed in (message["embeds"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            sb.Append('\n').Append(embed["title"]?.GetValue<string>()).Append('\n').Append(embed["description"]?.GetValue<string>());
            foreach (var field in (embed["fields"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                sb.Append('\n').Append(field["name"]?.GetValue<string>()).Append(": ").Append(field["value"]?.GetValue<string>());
            }
        }

        foreach (var choice in (message["choices"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            sb.Append('\n').Append(choice["name"]?.GetValue<string>());
        }

        return sb.ToString();
    }

    public async Task<string> ReplyTextAsync(TimeSpan? timeout = null) => TextOf(await WaitForReplyAsync(timeout));
}

public sealed partial class DiscordEmulator
{
    /// <summary>Sends a slash command over the Gateway as INTERACTION_CREATE, like a member running it.</summary>
    public async Task<EmulatedInteraction> SendCommandAsync(string guildId, string channelId, EmulatedUser user, string name, string? subcommand = null, params (string Name, object Value)[] options)
    {
        var interaction = NewCommand(guildId, channelId, user, name, subcommand, options);
        await DispatchAsync("INTERACTION_CREATE", interaction.Payload.DeepClone().AsObject());
        return interaction;
    }

    /// <summary>An APPLICATION_COMMAND interaction (not sent): for HTTP delivery or custom sends.</summary>
    public EmulatedInteraction NewCommand(string? guildId, string channelId, EmulatedUser user, string name, string? subcommand = null, params (string Name, object Value)[] options)
    {
        var values = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["type"] = o.Value is int or long ? 4 : 3, ["value"] = JsonValue.Create(o.Value) })]);
        var data = new JsonObject { ["id"] = CommandId(guildId, name), ["name"] = name, ["type"] = 1 };
        data["options"] = subcommand is null ? values : new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = values });
        return NewInteraction(2, guildId, channelId, user, data);
    }

    /// <summary>An autocomplete interaction with one focused option.</summary>
    public async Task<EmulatedInteraction> SendAutocompleteAsync(string guildId, string channelId, EmulatedUser user, string name, string? subcommand, string option, string typed)
    {
        var focused = new JsonArray(new JsonObject { ["name"] = option, ["type"] = 3, ["value"] = typed, ["focused"] = true });
        var data = new JsonObject { ["id"] = CommandId(guildId, name), ["name"] = name, ["type"] = 1 };
        data["options"] = subcommand is null ? focused : new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = focused });
        var interaction = NewInteraction(4, guildId, channelId, user, data);
        await DispatchAsync("INTERACTION_CREATE", interaction.Payload.DeepClone().AsObject());
        return interaction;
    }

    /// <summary>A button press on a message.</summary>
    public async Task<EmulatedInteraction> SendButtonAsync(string guildId, string channelId, EmulatedUser user, string customId)
    {
        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        var interaction = NewInteraction(3, guildId, channelId, user, data);
        interaction.Payload["message"] = new JsonObject { ["id"] = NextSnowflake(), ["channel_id"] = channelId, ["content"] = "", ["author"] = BotUser() };
        await DispatchAsync("INTERACTION_CREATE", interaction.Payload.DeepClone().AsObject());
        return interaction;
    }

    private string CommandId(string? guildId, string name)
    {
        foreach (var key in new[] { guildId ?? "", "" })
        {
            if (registeredCommands.TryGetValue(key, out var list) && list.OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == name) is { } found)
            {
                return found["id"]!.GetValue<string>();
            }
        }

        return NextSnowflake();
    }

    private EmulatedInteraction NewInteraction(int type, string? guildId, string channelId, EmulatedUser user, JsonObject data)
    {
        var id = NextSnowflake();
        var token = "aW50ZXJhY3Rpb246" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        var payload = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = Options.ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["channel_id"] = channelId,
            ["channel"] = new JsonObject { ["id"] = channelId, ["type"] = channels.TryGetValue(channelId, out var c) ? c.Type : 0, ["parent_id"] = c?.ParentId, ["guild_id"] = guildId },
            ["token"] = token,
            ["version"] = 1,
            ["app_permissions"] = "442368",
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = guildId ?? "0" },
            ["context"] = guildId is null ? 1 : 0,
            ["attachment_size_limit"] = 26214400,
        };
        if (guildId is not null)
        {
            payload["guild_id"] = guildId;
            payload["guild_locale"] = "en-US";
            payload["guild"] = new JsonObject { ["id"] = guildId, ["locale"] = "en-US", ["features"] = new JsonArray() };
            payload["member"] = user.MemberJson();
        }
        else
        {
            payload["user"] = user.UserJson();
        }

        var interaction = new EmulatedInteraction(id, token, type, Time.GetUtcNow(), payload);
        interactions[id] = interaction;
        return interaction;
    }

    private RestResult Callback(string id, string token, JsonObject? body, IReadOnlyList<EmulatedUpload> files, bool withResponse)
    {
        if (!interactions.TryGetValue(id, out var interaction) || interaction.Token != token)
        {
            return new RestResult(404, Error(10062, "Unknown interaction"), 10062);
        }

        lock (interaction.Gate)
        {
            var fail = Fail(interaction, AcceptCallback(interaction, body ?? [], files));
            if (fail is not null)
            {
                return fail;
            }

            if (!withResponse)
            {
                return new RestResult(204, null, 0, MessageOf(body));
            }

            return new RestResult(200, new JsonObject
            {
                ["interaction"] = new JsonObject { ["id"] = id, ["type"] = interaction.Type, ["response_message_loading"] = interaction.CallbackType == 5 },
                ["resource"] = new JsonObject { ["type"] = interaction.CallbackType, ["message"] = interaction.Original?.DeepClone() },
            }, 0, MessageOf(body));
        }
    }

    private static JsonObject? MessageOf(JsonObject? callback) =>
        callback?["type"]?.GetValue<int>() is 4 or 7 ? callback["data"] as JsonObject ?? [] : null;

    private static RestResult? Fail(EmulatedInteraction interaction, (int Status, int Code, string Message)? error)
    {
        if (error is not { } e)
        {
            return null;
        }

        interaction.Errors.Add(e.Code);
        return new RestResult(e.Status, Error(e.Code, e.Message), e.Code);
    }

    /// <summary>The callback state machine: Pending (until issued + 3 s) → Acked, once; the type must suit the interaction.</summary>
    private (int, int, string)? AcceptCallback(EmulatedInteraction interaction, JsonObject body, IReadOnlyList<EmulatedUpload> files)
    {
        var now = Time.GetUtcNow();
        if (interaction.CallbackType is not null)
        {
            return (400, 40060, "Interaction has already been acknowledged.");
        }

        if (now - interaction.IssuedAt > Options.InteractionDeadline)
        {
            return (404, 10062, "Unknown interaction");
        }

        var type = body["type"]?.GetValue<int>() ?? 0;
        var allowed = (interaction.Type, type) switch
        {
            (1, 1) => true,
            (2 or 3 or 5, 4 or 5) => true,
            (3, 6 or 7) => true,
            (4, 8) => true,
            (2 or 3, 9) => true,
            _ => false,
        };
        if (!allowed)
        {
            return (400, 50035, $"callback type {type} is not valid for interaction type {interaction.Type}");
        }

        var data = body["data"] as JsonObject;
        switch (type)
        {
            case 4 or 7:
                if (ValidateMessage(data ?? [], requireSomething: true, files) is { } invalid)
                {
                    return (400, invalid.Code, invalid.Message);
                }

                if (data?["flags"] is JsonValue flags && (flags.GetValue<int>() & ~(4 | 64 | 4096 | 8192 | 32768)) != 0)
                {
                    return (400, 50035, "flags: only SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE and IS_COMPONENTS_V2 may be set");
                }

                break;
            case 5:
                if (data is not null && (data.Any(p => p.Key != "flags") || (data["flags"]?.GetValue<int>() ?? 0) is not (0 or 64)))
                {
                    return (400, 50035, "a deferred response takes only flags: 64");
                }

                break;
            case 8:
                if (data?["choices"] is not JsonArray { Count: <= 25 })
                {
                    return (400, 50035, "choices: at most 25");
                }

                break;
        }

        interaction.CallbackType = type;
        interaction.AckedAt = now;
        interaction.InitialFlags = data?["flags"]?.GetValue<int>() ?? 0;
        if (type is 4 or 7)
        {
            var message = NewMessage(new ChannelState(interaction.Payload["channel_id"]!.GetValue<string>(), "", 0, null), BotUser(), data!, files);
            message["interaction_metadata"] = new JsonObject { ["id"] = interaction.Id, ["type"] = interaction.Type };
            interaction.Original = message;
            // What the member sees: the data as sent, with uploads turned into attachments and embeds resolved.
            var visible = data!.DeepClone().AsObject();
            visible["attachments"] = message["attachments"]!.DeepClone();
            visible["embeds"] = message["embeds"]!.DeepClone();
            interaction.Complete(visible);
        }
        else if (type == 5)
        {
            interaction.Original = new JsonObject { ["id"] = NextSnowflake(), ["content"] = "", ["flags"] = 128 | interaction.InitialFlags };
        }
        else if (type == 8)
        {
            interaction.Complete(data!);
        }

        return null;
    }

    /// <summary>Treats an inline HTTP answer as the callback (Http mode), through the same state machine.</summary>
    public (int Status, int Code) AcceptInlineResponse(EmulatedInteraction interaction, JsonObject response)
    {
        lock (interaction.Gate)
        {
            var fail = Fail(interaction, AcceptCallback(interaction, response, []));
            Recorder.Add(new RecordedRequest(RateClock.GetUtcNow(), "INLINE", "interactions/" + interaction.Id, "INLINE interaction response", "", fail?.Status ?? 200, fail?.Code ?? 0, null, true, false, false, MessageOf(response)));
            return (fail?.Status ?? 200, fail?.Code ?? 0);
        }
    }

    private RestResult Webhook(string method, string[] s, JsonObject? body, IReadOnlyList<EmulatedUpload> files)
    {
        var interaction = interactions.Values.FirstOrDefault(i => i.Token == s[2]);
        if (s[1] != Options.ApplicationId || interaction is null)
        {
            return new RestResult(404, Error(10015, "Unknown Webhook"), 10015);
        }

        lock (interaction.Gate)
        {
            if (Time.GetUtcNow() - interaction.IssuedAt > Options.InteractionTokenLifetime)
            {
                return Fail(interaction, (401, 50027, "Invalid Webhook Token"))!;
            }

            var original = s.Length == 5 && s[3] == "messages" && s[4] == "@original";
            if (original && (interaction.CallbackType is null or 8 || interaction.Original is null || interaction.OriginalDeleted))
            {
                return Fail(interaction, (404, 10008, "Unknown Message"))!;
            }

            switch (method, s.Length)
            {
                case ("GET", 5) when original:
                    return new RestResult(200, interaction.Original!.DeepClone());
                case ("PATCH", 5) when original:
                    {
                        body ??= [];
                        if (ValidateMessage(body, requireSomething: false, files) is { } invalid)
                        {
                            return Fail(interaction, (400, invalid.Code, invalid.Message)) is { } f ? f with { Message = body } : null!;
                        }

                        ApplyEdit(interaction.Payload["channel_id"]!.GetValue<string>(), interaction.Original!, body, files);

                        var visible = interaction.Original!.DeepClone().AsObject();
                        visible["flags"] = interaction.InitialFlags;
                        interaction.Complete(visible);
                        return new RestResult(200, interaction.Original!.DeepClone(), 0, body);
                    }

                case ("DELETE", 5) when original:
                    interaction.OriginalDeleted = true;
                    return new RestResult(204, null);
                case ("POST", 3):
                    {
                        if (interaction.CallbackType is null)
                        {
                            return Fail(interaction, (404, 10015, "Unknown Webhook"))!;
                        }

                        body ??= [];
                        if (ValidateMessage(body, requireSomething: true, files) is { } invalid)
                        {
                            return Fail(interaction, (400, invalid.Code, invalid.Message)) is { } f ? f with { Message = body } : null!;
                        }

                        var message = body.DeepClone().AsObject();
                        message["id"] = NextSnowflake();
                        message["attachments"] = Attach(interaction.Payload["channel_id"]!.GetValue<string>(), body, files);
                        message["embeds"] = ResolveEmbeds(body["embeds"], message["attachments"]!.AsArray());
                        interaction.AddFollowup(message);
                        interaction.Complete(message);
                        return new RestResult(200, message.DeepClone(), 0, body);
                    }

                default:
                    return new RestResult(404, Error(0, "404: Not Found"), 0);
            }
        }
    }

    /// <summary>A member's message in a channel or thread, delivered as MESSAGE_CREATE (content blanked for sessions without MESSAGE_CONTENT).</summary>
    public async Task<JsonObject> SendUserMessageAsync(string channelId, EmulatedUser user, string content)
    {
        var channel = channels[channelId];
        var message = NewMessage(channel, user.UserJson(), new JsonObject { ["content"] = content }, []);
        channel.Add(message);
        var dispatch = message.DeepClone().AsObject();
        dispatch["guild_id"] = channel.GuildId;
        dispatch["member"] = user.MemberJson(withUser: false);
        await DispatchAsync("MESSAGE_CREATE", dispatch);
        return message;
    }
}

/// <summary>Plays Discord calling an HTTP interactions endpoint: a real Ed25519 key pair (NSec), signed POSTs, and tampering helpers.</summary>
public sealed class InteractionSigner : IDisposable
{
    private readonly Key key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>The public key in hex, for the bot's Discord:PublicKey.</summary>
    public string PublicKeyHex => Convert.ToHexString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToLowerInvariant();

    public string Sign(string timestamp, byte[] body)
    {
        var data = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
        return Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(key, data)).ToLowerInvariant();
    }

    /// <summary>POSTs a body with the given headers (null leaves a header out).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri endpoint, byte[] body, string? timestamp, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (timestamp is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
        }

        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", signature);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Signs and POSTs a payload as Discord would, at <paramref name="at"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri endpoint, JsonObject payload, DateTimeOffset at)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return await PostAsync(http, endpoint, body, timestamp, Sign(timestamp, body));
    }

    public void Dispose() => key.Dispose();
}
