using System.Net;
using System.Text;
using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Web;

/// <summary>
/// The page template: every piece of text goes through <see cref="E"/>, links only for http(s) addresses, and no
/// inline script or style, so the strict Content-Security-Policy holds.
/// </summary>
public static class Html
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'";

    public const string StylesheetPath = "/web/site.css";

    /// <remarks>Moments in reply texts are written in the group's zone, naming it (the page has no reader's zone to use).</remarks>
    public static string E(string? text) => WebUtility.HtmlEncode(Moment.Plain(text));

    /// <summary>Encodes text and keeps its line breaks.</summary>
    public static string Lines(string? text) => E(text).Replace("\n", "<br>", StringComparison.Ordinal);

    /// <summary>A link to an outside address; plain text when the address is not http(s).</summary>
    public static string Link(string text, string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? $"<a href=\"{E(uri.AbsoluteUri)}\" rel=\"noopener noreferrer\">{E(text)}</a>"
            : E(text);

    /// <summary>A link inside the site; <paramref name="path"/> is built by us from encoded parts.</summary>
    public static string SiteLink(string text, string path) => $"<a href=\"{E(path)}\">{E(text)}</a>";

    /// <summary>
    /// The page around <paramref name="body"/>: the group's name in the title and the header, a skip link, and
    /// <paramref name="heading"/> as the one <c>h1</c>.
    /// </summary>
    public static string Document(string heading, string groupName, string nav, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="color-scheme" content="light dark">
        <title>{E(heading == groupName ? groupName : $"{heading} — {groupName}")}</title>
        <link rel="stylesheet" href="{StylesheetPath}">
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header><p class="brand">{E(groupName)}</p><nav aria-label="Pages">{nav}</nav></header>
        <main id="main" tabindex="-1">
        <h1>{E(heading)}</h1>
        {body}
        </main>
        </body>
        </html>
        """;

    /// <summary>
    /// Renders a Core reply as a section; buttons are chat actions and are left out. With <paramref name="paperPath"/>,
    /// a list line about a paper of the library links to that paper's page on this site rather than to its source.
    /// </summary>
    public static string Reply(Reply reply, Func<int, string>? paperPath = null)
    {
        var sb = new StringBuilder("<section class=\"card\">");
        switch (reply)
        {
            case TextReply t:
                sb.Append("<p>").Append(Lines(t.Text)).Append("</p>");
                break;
            case ErrorReply e:
                sb.Append("<p class=\"muted\">").Append(Lines(e.Message)).Append("</p>");
                break;
            case CardReply { Card: var c }:
                sb.Append("<h2>").Append(Link(c.Title, c.Url)).Append("</h2>");
                if (c.Subtitle is not null)
                {
                    sb.Append("<p class=\"muted\">").Append(Lines(c.Subtitle)).Append("</p>");
                }

                if (c.Fields.Count > 0)
                {
                    sb.Append("<dl>");
                    foreach (var f in c.Fields)
                    {
                        sb.Append("<dt>").Append(E(f.Name)).Append("</dt><dd>").Append(Lines(f.Value)).Append("</dd>");
                    }

                    sb.Append("</dl>");
                }

                if (c.Body is not null)
                {
                    sb.Append("<p>").Append(Lines(c.Body)).Append("</p>");
                }

                if (c.Footer is not null)
                {
                    sb.Append("<p class=\"muted\">").Append(Lines(c.Footer)).Append("</p>");
                }

                break;
            case ListReply l:
                sb.Append("<h2>").Append(E(l.Title)).Append("</h2>");
                sb.Append(List(l.Items.Select(i => i.PaperNumber is { } n && paperPath is not null ? SiteLink(i.Text, paperPath(n)) : Link(i.Text, i.Url)), l.EmptyText));
                if (l.Footer is not null)
                {
                    sb.Append("<p class=\"muted\">").Append(Lines(l.Footer)).Append("</p>");
                }

                break;
            default:
                break;
        }

        return sb.Append("</section>").ToString();
    }

    /// <summary>A list of already-encoded items, or the encoded empty text.</summary>
    public static string List(IEnumerable<string> itemsHtml, string emptyText)
    {
        var items = itemsHtml.ToList();
        return items.Count == 0 ? $"<p class=\"muted\">{E(emptyText)}</p>" : "<ul>" + string.Concat(items.Select(i => $"<li>{i}</li>")) + "</ul>";
    }

    /// <summary>The one stylesheet (<see cref="SiteStylesheet"/>).</summary>
    public const string Stylesheet = SiteStylesheet.Css;
}

/// <summary>An HTML, CSS, feed or not-found answer with the site's security headers: strict CSP, nosniff, no referrer, no caching of private pages.</summary>
public sealed class WebResult(int status, string contentType, byte[] body, bool cacheable = false) : IResult
{
    public static WebResult Page(string html) => new(200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    /// <summary>The same plain answer for a missing, expired, altered or foreign link: nothing tells them apart.</summary>
    public static WebResult NotFound() => new(404, "text/plain; charset=utf-8", "Not found"u8.ToArray());

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.ContentSecurityPolicy = Html.ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = cacheable ? "public, max-age=3600" : "no-store";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
