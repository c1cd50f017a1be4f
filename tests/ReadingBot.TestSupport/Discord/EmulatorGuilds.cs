using System.Text.Json.Nodes;

namespace ReadingBot.TestSupport.Discord;

/// <summary>The guild object over REST (<c>GET /guilds/{id}</c>): the Gateway's GUILD_CREATE without its Gateway-only fields.</summary>
public sealed partial class DiscordEmulator
{
    private static readonly string[] GatewayOnlyGuildFields =
        ["joined_at", "large", "unavailable", "member_count", "voice_states", "members", "channels", "threads", "presences", "stage_instances", "guild_scheduled_events", "soundboard_sounds"];

    /// <summary>Renames a guild, as a server owner would; a live session gets GUILD_UPDATE.</summary>
    public async Task RenameGuildAsync(string guildId, string name)
    {
        // A record copy shares the channel list, which is what a rename keeps.
        var renamed = guilds[guildId] with { Name = name };
        guilds[guildId] = renamed;
        await DispatchAsync("GUILD_UPDATE", RestGuildJson(renamed));
    }

    private RestResult GetGuild(string guildId) =>
        guilds.TryGetValue(guildId, out var guild)
            ? new RestResult(200, RestGuildJson(guild))
            : new RestResult(404, Error(10004, "Unknown Guild"), 10004);

    private JsonObject RestGuildJson(Guild guild)
    {
        var json = GuildJson(guild);
        foreach (var field in GatewayOnlyGuildFields)
        {
            json.Remove(field);
        }

        return json;
    }
}
