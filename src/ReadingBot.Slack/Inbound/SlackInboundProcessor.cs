using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Rendering;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Inbound;

/// <summary>
/// Turns one Slack delivery from the shared pipeline (which has deduplicated it by envelope_id/event_id and removed
/// uninstalled workspaces) into its effect: the tenant comes only from the verified payload (team_id, or
/// enterprise_id for org-wide installs), the command runs through <see cref="CommandDispatcher"/>, and the reply goes
/// out in the ack, through response_url, or as a thread post.
/// </summary>
public sealed class SlackInboundProcessor(
    CommandDispatcher dispatcher,
    SlackUserDirectory users,
    SlackWebApi api,
    IOptions<SlackOptions> options,
    ILogger<SlackInboundProcessor> logger) : IInboundHandler<SlackInboundItem>
{
    private readonly SlackOptions o = options.Value;

    /// <summary>Counts deliveries that produced an effect (tests and the benchmark read it).</summary>
    public long Processed => Interlocked.Read(ref processed);

    private long processed;

    public async Task HandleAsync(SlackInboundItem item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case SlackInboundKind.SlashCommand:
                await HandleSlashCommandAsync(item, cancellationToken);
                break;
            case SlackInboundKind.Interactive:
                await HandleInteractionAsync(item.Payload, cancellationToken);
                break;
            case SlackInboundKind.Event:
                await HandleEventAsync(item.Payload, cancellationToken);
                break;
        }

        Interlocked.Increment(ref processed);
    }

    /// <summary>A redelivered envelope is a new envelope: it is acked (empty), or Slack keeps sending it.</summary>
    public Task OnRepeatedAsync(SlackInboundItem item) => item.Answer?.SendStandInAsync() ?? Task.CompletedTask;

    public void OnTenantRemoved(string workspace)
    {
        users.ForgetWorkspace(workspace);
        Interlocked.Increment(ref processed);
    }

    /// <summary>Sends the ack with the reply in it, unless the empty ack went first; a socket that broke is a failed send.</summary>
    private static async Task<AnswerOutcome> AckWithReplyAsync(SlackInboundItem item, JsonObject message)
    {
        if (item.Answer is not { } answer || item.Reply is not { } reply)
        {
            return AnswerOutcome.AlreadyAnswered;
        }

        try
        {
            return await answer.TrySendReplyAsync(() => reply(message));
        }
        catch (Exception)
        {
            return AnswerOutcome.SendFailed;
        }
    }

    private async Task HandleSlashCommandAsync(SlackInboundItem item, CancellationToken cancellationToken)
    {
        var payload = item.Payload;
        var responseUrl = SlackWebApi.Str(payload, "response_url");
        Reply reply;
        var command = SlackWebApi.Str(payload, "command");
        var workspace = Workspace(payload, payload["team_id"], null);
        var userId = SlackWebApi.Str(payload, "user_id");
        if (workspace is null || userId is null)
        {
            reply = new ErrorReply("This request did not say which workspace or member it came from, so nothing was done.");
        }
        else if (command is not null && !string.Equals(command, o.Command, StringComparison.OrdinalIgnoreCase))
        {
            reply = new ErrorReply($"This app answers {o.Command}, not {command}.");
        }
        else
        {
            var text = SlackText.Unescape(SlackWebApi.Str(payload, "text")).Trim();
            if (text.Length == 0)
            {
                text = "help";
            }

            var user = await users.GetAsync(workspace, userId, SlackWebApi.Str(payload, "user_name"), cancellationToken);
            var context = new CommandContext(new GroupAddress(Platforms.Slack, workspace), new Actor(user.Id, user.DisplayName, user.IsAdminOrOwner), SlackWebApi.Str(payload, "channel_id"));
            // Debug, not Information: a line per command is the largest log cost on a busy workspace (docs/benchmarks.md).
            logger.LogDebug("Slack command in {Workspace} by {User}: {Text}", workspace, userId, SlackText.ForLog(text));
            reply = await dispatcher.HandleTextAsync(context, text, cancellationToken);
        }

        if (reply is FileReply file && !file.Ephemeral && SlackWebApi.Str(payload, "channel_id") is { } channelId)
        {
            await ShareFileForCommandAsync(file, channelId, responseUrl, item, cancellationToken);
            return;
        }

        var message = ResponseMessage(reply);
        if (await AckWithReplyAsync(item, message) != AnswerOutcome.SentWithReply)
        {
            await RespondAsync(responseUrl, message, cancellationToken);
        }

        if (userId is not null)
        {
            await SharePictureAsync(reply, SlackWebApi.Str(payload, "channel_id"), null, userId, responseUrl, cancellationToken);
        }
    }

    /// <summary>
    /// A card's picture follows the card: in the same channel or thread, or, for a reply meant for one member, in the
    /// member's direct messages with the bot, because Slack shares a file with everyone in a channel.
    /// </summary>
    private async Task SharePictureAsync(Reply reply, string? channel, string? threadTs, string userId, string? responseUrl, CancellationToken cancellationToken)
    {
        if (SlackFiles.PictureOf(reply) is not { } picture)
        {
            return;
        }

        if (reply.Ephemeral)
        {
            try
            {
                channel = await api.OpenDirectMessageAsync(userId, cancellationToken);
                threadTs = null;
            }
            catch (SlackApiException ex)
            {
                logger.LogWarning("Could not open a direct message to share {File}: {Error}", picture.FileName, ex.Error);
                return;
            }
        }

        if (channel is not null && await ShareFileAsync(picture, channel, threadTs, cancellationToken) is { } failure)
        {
            await RespondAsync(responseUrl, ResponseMessage(new ErrorReply(failure)), cancellationToken);
        }
    }

    /// <summary>
    /// Acks at once (an upload takes three calls, longer than Slack's 3 s), then shares the file in the command's
    /// channel. A failure reaches the member through the response_url, so nothing fails silently.
    /// </summary>
    private async Task ShareFileForCommandAsync(FileReply file, string channel, string? responseUrl, SlackInboundItem item, CancellationToken cancellationToken)
    {
        var preparing = ResponseMessage(new TextReply($"Preparing {file.FileName}…") { Ephemeral = true });
        if (await AckWithReplyAsync(item, preparing) != AnswerOutcome.SentWithReply)
        {
            await RespondAsync(responseUrl, preparing, cancellationToken);
        }

        var error = await ShareFileAsync(file, channel, null, cancellationToken);
        if (error is not null)
        {
            await RespondAsync(responseUrl, ResponseMessage(new ErrorReply(error)), cancellationToken);
        }
    }

    /// <summary>Uploads a file reply into a channel or thread; returns what to tell the member when Slack refused it.</summary>
    private async Task<string?> ShareFileAsync(FileReply file, string channel, string? threadTs, CancellationToken cancellationToken)
    {
        try
        {
            await api.UploadFileAsync(SlackFiles.Upload(file, channel, threadTs), cancellationToken);
            return null;
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Could not share {File} in a Slack channel: {Method} {Error}", file.FileName, ex.Method, ex.Error);
            return $"Could not attach {file.FileName} here: {SlackWebApi.Describe(ex.Error)}. Nothing was changed; run the command again to retry.";
        }
    }

    private async Task HandleInteractionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        if (SlackWebApi.Str(payload, "type") != "block_actions" || payload["actions"] is not JsonArray { Count: > 0 } actions)
        {
            return;
        }

        var action = actions[0];
        var actionId = SlackWebApi.Str(action, "action_id");
        var line = SlackWebApi.Str(action, "value");
        if (actionId is null || !actionId.StartsWith(BlockKitRenderer.CommandActionPrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        var workspace = Workspace(payload, payload["team"]?["id"], payload["enterprise"]?["id"]);
        var userId = SlackWebApi.Str(payload["user"], "id");
        if (workspace is null || userId is null)
        {
            return;
        }

        var channel = SlackWebApi.Str(payload["channel"], "id") ?? SlackWebApi.Str(payload["container"], "channel_id");
        var user = await users.GetAsync(workspace, userId, SlackWebApi.Str(payload["user"], "name"), cancellationToken);
        var context = new CommandContext(new GroupAddress(Platforms.Slack, workspace), new Actor(user.Id, user.DisplayName, user.IsAdminOrOwner), channel);
        logger.LogDebug("Slack button in {Workspace} by {User}: {Line}", workspace, userId, SlackText.ForLog(line));
        var reply = await dispatcher.HandleTextAsync(context, line, cancellationToken);
        if (reply is FileReply file && !file.Ephemeral && channel is not null)
        {
            if (await ShareFileAsync(file, channel, null, cancellationToken) is not { } failure)
            {
                return;
            }

            reply = new ErrorReply(failure);
        }

        await RespondAsync(SlackWebApi.Str(payload, "response_url"), ResponseMessage(reply), cancellationToken, channel, userId);
        await SharePictureAsync(reply, channel, null, userId, SlackWebApi.Str(payload, "response_url"), cancellationToken);
    }

    private async Task HandleEventAsync(JsonObject envelope, CancellationToken cancellationToken)
    {
        if (SlackWebApi.Str(envelope, "type") == "app_rate_limited")
        {
            // Slack drops events past 30,000 an hour per workspace and says so once a minute.
            logger.LogWarning("Slack is rate-limiting events for workspace {Workspace} (minute {Minute})", SlackWebApi.Str(envelope, "team_id"), envelope["minute_rate_limited"]?.ToString());
            return;
        }

        var ev = envelope["event"] as JsonObject;
        var type = SlackWebApi.Str(ev, "type");
        var workspace = Workspace(envelope, envelope["team_id"], envelope["enterprise_id"]);
        if (ev is null || workspace is null)
        {
            return;
        }

        if (type == "message")
        {
            await HandleMessageAsync(workspace, ev, cancellationToken);
        }
    }

    private async Task HandleMessageAsync(string workspace, JsonObject ev, CancellationToken cancellationToken)
    {
        // Edits, joins, bot messages and broadcasts are not notes; our own and other bots' messages never are.
        if (ev["subtype"] is not null || ev["bot_id"] is not null || ev["bot_profile"] is not null)
        {
            return;
        }

        var userId = SlackWebApi.Str(ev, "user");
        var channel = SlackWebApi.Str(ev, "channel");
        var threadTs = SlackWebApi.Str(ev, "thread_ts");
        var ts = SlackWebApi.Str(ev, "ts");
        if (userId is null || channel is null || threadTs is null || threadTs == ts || (api.Identity is { } me && me.UserId == userId))
        {
            return;
        }

        var user = await users.GetAsync(workspace, userId, null, cancellationToken);
        var context = new CommandContext(new GroupAddress(Platforms.Slack, workspace), new Actor(user.Id, user.DisplayName, user.IsAdminOrOwner), channel, SlackThreadId.Format(channel, threadTs));
        var reply = await dispatcher.HandleThreadMessageAsync(context, SlackText.Unescape(SlackWebApi.Str(ev, "text")), cancellationToken);
        if (reply is null)
        {
            return;
        }

        if (reply is FileReply file && !file.Ephemeral)
        {
            if (await ShareFileAsync(file, channel, threadTs, cancellationToken) is not { } failure)
            {
                return;
            }

            reply = new ErrorReply(failure);
        }

        var message = BlockKitRenderer.Render(reply).ToJson();
        message["channel"] = channel;
        message["thread_ts"] = threadTs;
        try
        {
            if (reply.Ephemeral)
            {
                message["user"] = userId;
                await api.PostEphemeralAsync(message, cancellationToken);
            }
            else
            {
                await api.PostMessageAsync(message, cancellationToken);
            }
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Could not answer in a Slack thread: {Error}", ex.Error);
            return;
        }

        await SharePictureAsync(reply, channel, threadTs, userId, null, cancellationToken);
    }

    private async Task RespondAsync(string? responseUrl, JsonObject message, CancellationToken cancellationToken, string? channel = null, string? userId = null)
    {
        try
        {
            if (responseUrl is not null)
            {
                await api.PostToResponseUrlAsync(responseUrl, message, cancellationToken);
                return;
            }

            if (channel is not null && userId is not null)
            {
                message["channel"] = channel;
                message["user"] = userId;
                message.Remove("response_type");
                await api.PostEphemeralAsync(message, cancellationToken);
            }
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Could not deliver a Slack reply: {Error}", ex.Error);
        }
    }

    /// <summary>A message for an ack payload or a response_url: errors and ephemeral replies only to the member.</summary>
    internal static JsonObject ResponseMessage(Reply reply)
    {
        var json = BlockKitRenderer.Render(reply).ToJson();
        json["response_type"] = reply.Ephemeral ? "ephemeral" : "in_channel";
        return json;
    }

    /// <summary>The tenant from verified data: the team, or the enterprise for an org-wide install without a team.</summary>
    internal static string? Workspace(JsonObject payload, JsonNode? team, JsonNode? enterprise)
    {
        static string? S(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;
        return S(team) ?? S(enterprise) ?? S(payload["enterprise_id"]) ?? S(payload["authorizations"]?[0]?["team_id"]) ?? S(payload["authorizations"]?[0]?["enterprise_id"]);
    }
}

/// <summary>Slack threads are a channel plus the parent's ts; ReadingBot keeps both in one opaque thread id.</summary>
public static class SlackThreadId
{
    public static string Format(string channel, string ts) => $"{channel}:{ts}";

    /// <summary>Splits a thread id; a bare ts (no channel) returns a null channel.</summary>
    public static (string? Channel, string Ts) Parse(string threadId)
    {
        var i = threadId.IndexOf(':', StringComparison.Ordinal);
        return i < 0 ? (null, threadId) : (threadId[..i], threadId[(i + 1)..]);
    }
}
