using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Inbound;

/// <summary>What we need to know about a Slack user, from users.info.</summary>
public sealed record SlackUser(string Id, string DisplayName, bool IsAdminOrOwner);

/// <summary>
/// users.info answers, cached for a few minutes per user (Tier 4 allows about 100 calls a minute). Moderator rights
/// are workspace admins and owners, plus the configured Slack:Moderators; the group's own "moderators" setting is
/// checked by Core.
/// </summary>
public sealed class SlackUserDirectory(SlackWebApi api, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackUserDirectory> logger)
{
    private readonly ConcurrentDictionary<string, (SlackUser User, DateTimeOffset Expires)> cache = new(StringComparer.Ordinal);
    private readonly HashSet<string> configured = new(options.Value.Moderators, StringComparer.Ordinal);

    public async Task<SlackUser> GetAsync(string teamId, string userId, string? fallbackName, CancellationToken cancellationToken)
    {
        var key = teamId + "/" + userId;
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && hit.Expires > now)
        {
            return Configure(hit.User);
        }

        SlackUser user;
        try
        {
            var r = await api.UserInfoAsync(userId, cancellationToken);
            var u = r["user"];
            var profile = u?["profile"];
            var name = new[] { SlackWebApi.Str(profile, "display_name"), SlackWebApi.Str(profile, "real_name"), SlackWebApi.Str(u, "name"), fallbackName }
                .FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)) ?? userId;
            var admin = IsTrue(u, "is_admin") || IsTrue(u, "is_owner") || IsTrue(u, "is_primary_owner");
            user = new SlackUser(userId, name, admin);
            cache[key] = (user, now + TimeSpan.FromSeconds(options.Value.UserCacheSeconds));
        }
        catch (SlackApiException ex)
        {
            // Without users.info the member is treated as a regular member for this command (never as a moderator).
            logger.LogWarning("users.info failed ({Error}); treating the user as a regular member", ex.Error);
            user = new SlackUser(userId, string.IsNullOrWhiteSpace(fallbackName) ? userId : fallbackName, false);
        }

        return Configure(user);
    }

    public void ForgetWorkspace(string teamId)
    {
        foreach (var key in cache.Keys.Where(k => k.StartsWith(teamId + "/", StringComparison.Ordinal)))
        {
            cache.TryRemove(key, out _);
        }
    }

    private SlackUser Configure(SlackUser user) =>
        configured.Contains(user.Id) && !user.IsAdminOrOwner ? user with { IsAdminOrOwner = true } : user;

    private static bool IsTrue(System.Text.Json.Nodes.JsonNode? node, string name) =>
        node?[name] is { } v && v.GetValueKind() == JsonValueKind.True;
}
