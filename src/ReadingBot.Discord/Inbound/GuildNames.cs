using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Discord.Rest;

namespace ReadingBot.Discord.Inbound;

/// <summary>
/// Teaches Core each server's name: from GUILD_CREATE and GUILD_UPDATE on the Gateway, and, when interactions come
/// over HTTP (no Gateway, so no GUILD_CREATE), from one <c>GET /guilds/{id}</c> per server, asked in the background so
/// no command waits for it. A server the bot cannot read (not a member: 403/404) is asked once and then left alone.
/// </summary>
public sealed class GuildNames(WorkspaceNames names, DiscordRestClient rest, ILogger<GuildNames> logger)
{
    private readonly ConcurrentDictionary<string, byte> asked = new(StringComparer.Ordinal);

    /// <summary>A guild object from a dispatch; an unavailable guild carries no name and changes nothing.</summary>
    public void Seen(JsonObject guild)
    {
        if (guild["id"]?.GetValue<string>() is { } id && guild["name"]?.GetValue<string>() is { } name)
        {
            names.Learn(Platforms.Discord, id, name);
        }
    }

    /// <summary>Starts a lookup of the server's name unless it is known or was asked for already.</summary>
    public void EnsureKnown(string guildId)
    {
        if (names.Knows(Platforms.Discord, guildId) || !asked.TryAdd(guildId, 0))
        {
            return;
        }

        _ = LookUpAsync(guildId);
    }

    private async Task LookUpAsync(string guildId)
    {
        try
        {
            if (await rest.GetAsync($"guilds/{guildId}", CancellationToken.None) is JsonObject guild)
            {
                Seen(guild);
            }
        }
        catch (DiscordRestException ex)
        {
            logger.LogInformation("Discord would not show server {Guild} ({Status} code {Code}); its page keeps the name moderators set", guildId, (int)ex.Status, ex.Code);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            // Unreachable now: forget the attempt so a later command asks again.
            asked.TryRemove(guildId, out _);
            logger.LogInformation("Could not read server {Guild}'s name from Discord ({Error})", guildId, ex.GetType().Name);
        }
    }
}
