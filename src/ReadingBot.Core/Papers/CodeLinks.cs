using System.Text.RegularExpressions;

namespace ReadingBot.Core.Papers;

/// <summary>
/// A paper's code link in free text such as arXiv's comment field ("Code: https://github.com/org/repo"): the first
/// link to a code host, without trailing punctuation. Other links (project pages, videos) are not code.
/// </summary>
public static partial class CodeLinks
{
    private static readonly string[] Hosts = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co"];

    public static string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (Match match in Link().Matches(text))
        {
            var url = match.Value.TrimEnd('.', ',', ';', ':', ')', ']', '}', '\'', '"');
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && Hosts.Any(h => uri.Host.Equals(h, StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase))
                && uri.AbsolutePath.Trim('/').Length > 0)
            {
                return "https://" + uri.Host + uri.PathAndQuery.TrimEnd('/');
            }
        }

        return null;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}
