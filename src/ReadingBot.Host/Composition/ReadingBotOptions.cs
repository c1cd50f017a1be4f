using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;

namespace ReadingBot.Host.Composition;

/// <summary>The local terminal chat (<c>Local:*</c>).</summary>
public sealed class LocalChatOptions
{
    /// <summary><c>auto</c> (on when no chat platform is configured), <c>true</c> or <c>false</c>.</summary>
    public string Enabled { get; set; } = "auto";

    /// <summary>The member you are when the chat starts.</summary>
    public string User { get; set; } = "admin";

    /// <summary>Names that are moderators in the local chat.</summary>
    public List<string> Moderators { get; set; } = [];

    /// <summary>The local workspace name (one local group per workspace).</summary>
    public string Workspace { get; set; } = "local";

    /// <summary>Hand-written: a three-way switch written as text and a name without spaces, each with its own wording.</summary>
    internal static IEnumerable<string> Rules(LocalChatOptions o)
    {
        if (o.Enabled is not ("auto" or "true" or "false" or "True" or "False"))
        {
            yield return SettingProblem.Describe("Local:Enabled", $"'{o.Enabled}' is not auto, true or false", "auto, true or false");
        }
        else if (string.IsNullOrWhiteSpace(o.User) || o.User.Any(char.IsWhiteSpace))
        {
            yield return SettingProblem.Describe("Local:User", $"'{o.User}' is not a single name", "a name without spaces, such as admin");
        }
    }
}

/// <summary>The host's web server, the group's web page and its signed links (<c>Web:*</c>).</summary>
public sealed class WebOptions
{
    public bool Enabled { get; set; } = true;

    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The address links start with, as members reach the bot (behind a proxy, say); empty means the first of <c>Web:Urls</c>.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Hours a <c>/dashboard</c> link works.</summary>
    [SettingRange(0d, 720d, "a number of hours from 0.1 to 720", MinimumIsExclusive = true)]
    public double LinkLifetimeHours { get; set; } = 24;

    public string BaseUrl => (string.IsNullOrWhiteSpace(PublicBaseUrl) ? Urls.Split(';')[0] : PublicBaseUrl).TrimEnd('/');

    /// <summary>Hand-written: annotations cannot say "a ;-separated list of http(s) URLs when the server is on".</summary>
    internal static IEnumerable<string> Rules(WebOptions o)
    {
        if (o.Enabled && !o.Urls.Split(';').All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return SettingProblem.Describe("Web:Urls", $"'{o.Urls}' is not a list of http(s) URLs", "a value such as http://127.0.0.1:5080");
        }

        if (!string.IsNullOrWhiteSpace(o.PublicBaseUrl) && !(Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return SettingProblem.Describe("Web:PublicBaseUrl", $"'{o.PublicBaseUrl}' is not an http(s) URL", "the address members open, such as https://reading.example.org");
        }
    }
}

/// <summary>The annotations' checks for <see cref="WebOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class WebOptionsAnnotations : IValidateOptions<WebOptions>;

