using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;

namespace ReadingBot.Discord.Gateway;

/// <summary>
/// A Discord server is served by the process that runs its shard, <c>(guild_id &gt;&gt; 22) % shard_count</c>: the same
/// test the gateway and the HTTP interactions endpoint use for inbound events. Until the plan is resolved at start
/// (<c>Discord:ShardCount</c> may be auto), a process configured for one shard serves every server and one
/// configured for some shards serves none yet.
/// </summary>
public sealed class DiscordGroupOwnership(DiscordConnectionState state, IOptions<DiscordOptions> options) : IGroupOwnership
{
    public string Platform => Platforms.Discord;

    public bool Serves(GroupAddress group) => state.Plan is { } plan
        ? plan.Owns(group.Workspace)
        : ShardSettings.TryParseCount(options.Value.ShardCount, out var count) && count == 1 && string.IsNullOrWhiteSpace(options.Value.ShardIds);
}
