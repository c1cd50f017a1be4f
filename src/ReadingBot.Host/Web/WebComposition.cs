using ReadingBot.Host.Composition;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;
using ReadingBot.Core.Web;

namespace ReadingBot.Host.Web;

/// <summary>The group's web page, feeds and signed links: <c>AddWeb</c> for the services, <c>MapWeb</c> for the endpoints.</summary>
public static class WebComposition
{
    /// <summary>The web's options (<c>Web:*</c>), the link signer and the host's side of Core's link ports.</summary>
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection("Web")).ValidateSettings("Web", new WebOptionsAnnotations(), WebOptions.Rules);
        services.AddSingleton<WebSecret>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<IDashboardLinks, DashboardLinks>();
        services.AddSingleton<IOwnFeedLinks, OwnFeedLinkReader>();
        services.AddSingleton<GroupPageQuery>();
        services.AddSingleton<WebPages>();
        return services;
    }

    public static IEndpointRouteBuilder MapWeb(this IEndpointRouteBuilder app)
    {
        // Make (or read) the secret at start, so a bad secret file stops the bot now rather than at the first link.
        _ = app.ServiceProvider.GetRequiredService<WebSecret>().Key.Length;
        var options = app.ServiceProvider.GetRequiredService<IOptions<WebOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl) && options.Urls.Split(';').Any(u => u.Contains("://0.0.0.0", StringComparison.Ordinal)
            || u.Contains("://[::]", StringComparison.Ordinal) || u.Contains("://*", StringComparison.Ordinal) || u.Contains("://+", StringComparison.Ordinal)))
        {
            // Members cannot open a link to 0.0.0.0: say so at start rather than hand out dead links.
            app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebComposition))
                .LogWarning("Web:Urls listens on every address but Web:PublicBaseUrl is empty: /dashboard links will not open for members. Set Web:PublicBaseUrl (READINGBOT_Web__PublicBaseUrl) to the address members use.");
        }

        var css = Encoding.UTF8.GetBytes(Html.Stylesheet);
        app.MapGet(Html.StylesheetPath, () => new WebResult(200, "text/css; charset=utf-8", css, cacheable: true));
        foreach (var (prefix, kind) in new[] { ("g", WebLinkKind.Member), ("p", WebLinkKind.Public) })
        {
            app.MapGet($"/{prefix}/{{token}}/", (string token, WebPages pages) => Viewed(pages, kind, token, pages.Home));
            app.MapGet($"/{prefix}/{{token}}/wayr", (string token, string? week, WebPages pages) => Viewed(pages, kind, token, v => pages.Wayr(v, week)));
            app.MapGet($"/{prefix}/{{token}}/library", (string token, string? q, string? page, WebPages pages) => Viewed(pages, kind, token, v => pages.Library(v, q, page)));
            app.MapGet($"/{prefix}/{{token}}/papers/{{number:int}}", (string token, int number, WebPages pages) => Viewed(pages, kind, token, v => pages.Paper(v, number)));
            app.MapGet($"/{prefix}/{{token}}/members/{{member}}", (string token, string member, WebPages pages) => Viewed(pages, kind, token, v => pages.Member(v, member)));
        }

        app.MapGet("/f/{token}/feed.atom", (string token, WebPages pages) => pages.Feed(token, "rss"));
        app.MapGet("/f/{token}/calendar.ics", (string token, WebPages pages) => pages.Feed(token, "ics"));
        app.MapGet("/f/{token}/library.json", (string token, WebPages pages) => pages.Feed(token, "json"));
        return app;
    }

    private static IResult Viewed(WebPages pages, WebLinkKind kind, string token, Func<WebViewer, IResult> page) =>
        pages.Resolve(kind, token) is { } viewer ? page(viewer) : WebResult.NotFound();
}
