using System.Text.RegularExpressions;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// Fetches a Markdown reading list for <c>/roadmap import</c>. A GitHub <c>blob</c> link is read as its raw file;
/// web pages (HTML) are refused with a hint to link the raw file.
/// </summary>
public sealed partial class WebDocumentFetcher(SafeHttpClient http, PaperSourcesOptions options) : IDocumentFetcher
{
    private static readonly FetchRules Rules = new(Trusted: false, ["text/plain", "text/markdown", "text/x-markdown", "application/octet-stream"], "text/markdown, text/plain;q=0.9");

    private FetchRules ExportRules { get; } = new(Trusted: false, ["application/json", "text/plain", "application/octet-stream"], "application/json, text/plain;q=0.5", options.MaxImportBytes);

    [GeneratedRegex(@"^https://github\.com/(?<owner>[^/]+)/(?<repo>[^/]+)/blob/(?<rest>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubBlob();

    /// <summary>The raw file behind a GitHub <c>blob</c> link; any other link unchanged.</summary>
    public static string RawLink(string url)
    {
        var link = url.Trim().Trim('<', '>');
        return GitHubBlob().Match(link) is { Success: true } m
            ? $"https://raw.githubusercontent.com/{m.Groups["owner"].Value}/{m.Groups["repo"].Value}/{m.Groups["rest"].Value}"
            : link;
    }

    public Task<DocumentFetch> FetchTextAsync(string url, CancellationToken cancellationToken) =>
        FetchAsync(url, Rules, "a Markdown file", cancellationToken);

    public Task<DocumentFetch> FetchExportAsync(string url, CancellationToken cancellationToken) =>
        FetchAsync(url, ExportRules, "a JSON export", cancellationToken);

    private async Task<DocumentFetch> FetchAsync(string url, FetchRules rules, string what, CancellationToken cancellationToken)
    {
        var link = RawLink(url);

        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return DocumentFetch.Fail($"give an http(s) link to {what}");
        }

        var response = await http.GetAsync(uri, rules, cancellationToken);
        if (response.Failure == FetchFailure.WrongType && response.ContentType is "text/html" or "application/xhtml+xml")
        {
            return DocumentFetch.Fail($"that link is a web page, not {what}; link the raw file instead");
        }

        if (response.Failure != FetchFailure.None)
        {
            return DocumentFetch.Fail(response.Problem ?? "the document could not be fetched");
        }

        return response.Ok
            ? DocumentFetch.Ok(response.Body)
            : DocumentFetch.Fail($"the site answered HTTP {(int)response.Status}");
    }
}
