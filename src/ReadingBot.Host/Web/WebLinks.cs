using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Web;
using ReadingBot.Host.Composition;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Host.Web;

/// <summary>
/// The server secret links are signed with: 32 random bytes made at first start and kept in <c>&lt;data&gt;/web-secret</c>
/// beside the database, so links survive restarts. A database in memory (tests) gets a secret in memory. On a shared
/// store (PostgreSQL) the secret is kept in it (<see cref="Shared"/>), so every process signs and checks the same links.
/// </summary>
public sealed class WebSecret
{
    public const string FileName = "web-secret";
    private const int Length = 32;
    private readonly Lazy<byte[]> key;

    public WebSecret(ReadingBotDatabase database)
    {
        key = new Lazy<byte[]>(() => database.FilePath is { } path
            ? LoadOrCreate(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, FileName))
            : RandomNumberGenerator.GetBytes(Length));
    }

    private WebSecret(Func<byte[]> load)
    {
        key = new Lazy<byte[]>(load);
    }

    /// <summary>The adapter-state key of the secret in a shared store.</summary>
    public const string StateKey = "web:link-secret";

    public ReadOnlySpan<byte> Key => key.Value;

    /// <summary>The secret kept in a store every process uses: the first process to start makes it, the others read it.</summary>
    public static WebSecret Shared(IAdapterStateStore state) => new(() =>
    {
        var kept = state.GetOrAdd(StateKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(Length)));
        var bytes = new byte[Length];
        return Convert.TryFromBase64String(kept, bytes, out var written) && written == Length
            ? bytes
            : throw new InvalidOperationException($"The stored web secret ({StateKey} in adapter_state) is not {Length} bytes of base64. Delete that row to make a new one (old links stop working).");
    });

    /// <summary>Reads the secret, or writes a new one readable by the owner only.</summary>
    public static byte[] LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            var fresh = RandomNumberGenerator.GetBytes(Length);
            try
            {
                using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                stream.Write(fresh);
                stream.Flush(flushToDisk: true);
                return fresh;
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made it first: use theirs.
            }
        }

        var bytes = File.ReadAllBytes(file);
        return bytes.Length == Length
            ? bytes
            : throw new InvalidOperationException($"{file} is not a web secret ({bytes.Length} bytes, expected {Length}). Delete it to make a new one (old links stop working).");
    }
}

/// <summary>What a link grants: a member's view, the public view, or the feeds.</summary>
public enum WebLinkKind
{
    Member,
    Public,
    Feed,
}

/// <summary>A link whose signature checked out: the kind, the group, and the member (or feed generation).</summary>
public sealed record VerifiedLink(WebLinkKind Kind, GroupId Group, string Subject);

/// <summary>
/// Signs and checks link tokens: <c>base64url(payload).base64url(HMAC-SHA256(secret, payload))</c>, the payload being
/// kind, group, member or feed generation and expiry. Signatures are compared in constant time.
/// </summary>
public sealed class LinkSigner(WebSecret secret, TimeProvider time)
{
    private const int MaxTokenLength = 1024;

    public string Sign(WebLinkKind kind, GroupId group, string subject, DateTimeOffset? expires)
    {
        if (group.Value.Contains('\n', StringComparison.Ordinal) || subject.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("ids in links cannot hold line breaks");
        }

        var payload = Encoding.UTF8.GetBytes(string.Join('\n', Code(kind), group.Value, subject, (expires?.ToUnixTimeSeconds() ?? 0).ToString(CultureInfo.InvariantCulture)));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret.Key, payload));
    }

    /// <summary>The link's grant, or null when the token is malformed, altered, of another kind or expired.</summary>
    public VerifiedLink? Verify(string token, WebLinkKind kind)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret.Key, payload), mac))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('\n');
        if (parts.Length != 4 || parts[0] != Code(kind) || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        if (expires != 0 && time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return null;
        }

        return new VerifiedLink(kind, new GroupId(parts[1]), parts[2]);
    }

    private static string Code(WebLinkKind kind) => kind switch
    {
        WebLinkKind.Member => "m",
        WebLinkKind.Public => "p",
        _ => "f",
    };

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

/// <summary>Makes <c>/dashboard</c>'s links from the signer and the public address.</summary>
public sealed class DashboardLinks(LinkSigner signer, IOptions<WebOptions> options, TimeProvider time, IServiceProvider services) : IDashboardLinks
{
    /// <summary><c>Web:PublicBaseUrl</c>; else the address the server really bound (port 0 becomes a real port); else the first of <c>Web:Urls</c>.</summary>
    private string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return options.Value.BaseUrl;
            }

            var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            return bound is null ? options.Value.BaseUrl : bound.TrimEnd('/');
        }
    }

    public DashboardLink MemberLink(GroupId group, string memberId)
    {
        var expires = time.GetUtcNow().AddHours(options.Value.LinkLifetimeHours);
        return new DashboardLink($"{BaseUrl}/g/{signer.Sign(WebLinkKind.Member, group, memberId, expires)}/", expires);
    }

    public string PublicLink(Group group) => $"{BaseUrl}/p/{signer.Sign(WebLinkKind.Public, group.Id, Subject(WebLinkKind.Public, group), null)}/";

    public FeedLinks Feeds(Group group)
    {
        var root = $"{BaseUrl}/f/{signer.Sign(WebLinkKind.Feed, group.Id, Subject(WebLinkKind.Feed, group), null)}/";
        return new FeedLinks(root + "feed.atom", root + "calendar.ics", root + "library.json");
    }

    /// <summary>
    /// What a group-wide link is signed with: its current generation, so that raising it revokes older links. The public
    /// page's first generation signs an empty subject, as public links did before they could be revoked, so those keep working.
    /// </summary>
    public static string Subject(WebLinkKind kind, Group group) => kind switch
    {
        WebLinkKind.Public when LinkGeneration.PublicPage.Of(group) == 0 => "",
        WebLinkKind.Public => LinkGeneration.PublicPage.Of(group).ToString(CultureInfo.InvariantCulture),
        WebLinkKind.Feed => LinkGeneration.Feed.Of(group).ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "member links are signed for a member"),
    };
}

/// <summary>The one check of a feed token, shared by the feed endpoints and <c>/paper import</c> of the bot's own links.</summary>
public static class FeedTokens
{
    /// <summary>The group a feed token grants: its signature checks out, the group exists and the token is of the group's current feed generation.</summary>
    public static Group? GroupOf(LinkSigner signer, IGroupStore groups, string token) =>
        signer.Verify(token, WebLinkKind.Feed) is { } link && groups.Find(link.Group) is { } group
            && link.Subject == DashboardLinks.Subject(WebLinkKind.Feed, group)
            ? group
            : null;
}

/// <summary>
/// Recognises this bot's own <c>library.json</c> feed links: the origin (scheme, host, port) and path prefix of
/// <c>Web:PublicBaseUrl</c>, of any of <c>Web:Urls</c> or of an address the server bound, then <c>/f/{token}/library.json</c>.
/// </summary>
public sealed class OwnFeedLinkReader(LinkSigner signer, IGroupStore groups, IOptions<WebOptions> options, IServiceProvider services) : IOwnFeedLinks
{
    private const string FeedFile = "/library.json";

    public OwnFeedLink? Resolve(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https"))
        {
            return null;
        }

        foreach (var root in Roots())
        {
            if (!string.Equals(root.Scheme, link.Scheme, StringComparison.OrdinalIgnoreCase) || !string.Equals(root.Host, link.Host, StringComparison.OrdinalIgnoreCase) || root.Port != link.Port)
            {
                continue;
            }

            var prefix = root.AbsolutePath.TrimEnd('/') + "/f/";
            var path = link.AbsolutePath;
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || !path.EndsWith(FeedFile, StringComparison.Ordinal) || path.Length <= prefix.Length + FeedFile.Length)
            {
                continue;
            }

            var token = Uri.UnescapeDataString(path[prefix.Length..^FeedFile.Length]);
            return token.Contains('/', StringComparison.Ordinal)
                ? new OwnFeedLink(null)
                : new OwnFeedLink(FeedTokens.GroupOf(signer, groups, token)?.Id);
        }

        return null;
    }

    private IEnumerable<Uri> Roots()
    {
        var value = options.Value;
        var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var text in new[] { value.PublicBaseUrl }.Concat(value.Urls.Split(';')).Concat(bound))
        {
            if (!string.IsNullOrWhiteSpace(text) && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var root))
            {
                yield return root;
            }
        }
    }
}
