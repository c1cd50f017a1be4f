using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Inbound;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Inbound;

/// <summary>What kind of delivery Slack made.</summary>
public enum SlackInboundKind
{
    Event,
    SlashCommand,
    Interactive,
}

/// <summary>
/// One Slack delivery for the shared pipeline. <see cref="DedupeKeys"/> come from the verified envelope (envelope_id,
/// event_id, trigger_id); <see cref="Answer"/> is a slash command's ack, which may carry the reply.
/// </summary>
public sealed record SlackInboundItem(SlackInboundKind Kind, JsonObject Payload, IReadOnlyList<string> DedupeKeys, TimeSpan DedupeFor, FirstAnswer? Answer = null, int RetryAttempt = 0)
    : IInboundItem
{
    public TenantRemoval? Removal { get; init; }

    /// <summary>For a slash command: sends the ack with the reply in it (the <see cref="Answer"/>'s reply form).</summary>
    public Func<JsonObject, Task<bool>>? Reply { get; init; }

    /// <summary>An events_api payload that says the app left the workspace (uninstalled, or its bot token revoked).</summary>
    public static TenantRemoval? RemovalOf(JsonObject envelope)
    {
        if (envelope["event"] is not JsonObject ev || SlackInboundProcessor.Workspace(envelope, envelope["team_id"], envelope["enterprise_id"]) is not { } workspace)
        {
            return null;
        }

        return SlackWebApi.Str(ev, "type") switch
        {
            "app_uninstalled" => new TenantRemoval(Platforms.Slack, workspace, "the app was uninstalled"),
            "tokens_revoked" when ev["tokens"] is JsonObject tokens && tokens["bot"] is JsonArray { Count: > 0 } => new TenantRemoval(Platforms.Slack, workspace, "its bot token was revoked"),
            _ => null,
        };
    }
}
