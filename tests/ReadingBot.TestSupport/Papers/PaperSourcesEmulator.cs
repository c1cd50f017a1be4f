using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReadingBot.TestSupport.Papers;

/// <summary>One request the emulator saw: when it arrived and finished (Stopwatch ticks) and what it asked.</summary>
public sealed record RecordedRequest(string Path, string Query, long StartTicks, long EndTicks);

/// <summary>
/// arXiv (id_list and the search_query grammar, see <see cref="ArxivSearchQuery"/>), Semantic Scholar, Crossref,
/// OpenReview and ordinary web pages on one Kestrel server at 127.0.0.1 with a free port, each
/// answering in the source's real format (arXiv's 2026 Atom shape with its error and empty feeds, 429 with
/// Retry-After, 503; Crossref's JSON; OpenReview's API v2 JSON; HTML with meta tags). Records every request.
/// </summary>
public sealed partial class PaperSourcesEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> arxivFailures = new();
    private readonly List<string> arxivSearches = [];
    private int arxivInFlight;

    private PaperSourcesEmulator(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";
    public string ArxivBaseUrl => BaseUrl + "/arxiv";
    public string CrossrefBaseUrl => BaseUrl + "/crossref";
    public string OpenReviewBaseUrl => BaseUrl + "/openreview";

    public ConcurrentDictionary<string, ArxivFixture> Arxiv { get; } = new(StringComparer.Ordinal);

    /// <summary>Crossref works by lower-cased DOI: the <c>message</c> object as JSON.</summary>
    public ConcurrentDictionary<string, string> Crossref { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>OpenReview notes by id: the note object as JSON (API v2 shape).</summary>
    public ConcurrentDictionary<string, string> OpenReview { get; } = new(StringComparer.Ordinal);

    /// <summary>Web pages by path (under <c>/pages/</c>): content type and body.</summary>
    public ConcurrentDictionary<string, (string ContentType, string Body)> Pages { get; } = new(StringComparer.Ordinal);

    /// <summary>While true, every source answers 503 (the source is down).</summary>
    public bool Down { get; set; }

    /// <summary>Added to each arXiv answer, to let a test see whether requests overlap.</summary>
    public TimeSpan ArxivLatency { get; set; }

    public List<RecordedRequest> Requests { get; } = [];

    public int MaxArxivInFlight { get; private set; }

    public IReadOnlyList<RecordedRequest> ArxivRequests
    {
        get
        {
            lock (Requests)
            {
                return Requests.Where(r => r.Path.StartsWith("/arxiv/", StringComparison.Ordinal)).ToList();
            }
        }
    }

    /// <summary>Every well-formed <c>search_query</c> arXiv was asked, decoded, in arrival order.</summary>
    public IReadOnlyList<string> ArxivSearches
    {
        get
        {
            lock (Requests)
            {
                return arxivSearches.ToList();
            }
        }
    }

    /// <summary>
    /// The pauses between consecutive arXiv requests, from the end of one to the start of the next, as the
    /// emulator saw them: what arXiv's one-request-per-3-seconds rule is about.
    /// </summary>
    public IReadOnlyList<TimeSpan> ArxivGaps()
    {
        var requests = ArxivRequests.OrderBy(r => r.StartTicks).ToList();
        return requests.Skip(1).Select((r, i) => Stopwatch.GetElapsedTime(requests[i].EndTicks, r.StartTicks)).ToList();
    }

    public int CountRequests(string prefix)
    {
        lock (Requests)
        {
            return Requests.Count(r => r.Path.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    /// <summary>Adds papers to what the arXiv emulator knows (for example <see cref="ArxivFixture.Following"/>).</summary>
    public void AddArxiv(IEnumerable<ArxivFixture> papers)
    {
        foreach (var f in papers)
        {
            Arxiv[f.Id] = f;
        }
    }

    /// <summary>The next arXiv answers fail with these statuses (and Retry-After values), in order.</summary>
    public void FailArxiv(int status, string? retryAfter = null) => arxivFailures.Enqueue((status, retryAfter));

    public static async Task<PaperSourcesEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new PaperSourcesEmulator(app);
        emulator.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        emulator.AddStandardData();
        emulator.AddSemanticScholarData();
        return emulator;
    }

    private void AddStandardData()
    {
        AddArxiv(ArxivFixture.Standard);

        Crossref["10.1145/3065386"] = """
            {"indexed":{"date-parts":[[2025,1,1]]},"publisher":"Association for Computing Machinery (ACM)","issue":"6",
             "DOI":"10.1145/3065386","type":"journal-article","page":"84-90","source":"Crossref",
             "title":["ImageNet classification with deep convolutional neural networks"],
             "author":[{"given":"Alex","family":"Krizhevsky","sequence":"first","affiliation":[{"name":"University of Toronto"}]},
                       {"given":"Ilya","family":"Sutskever","sequence":"additional","affiliation":[]},
                       {"given":"Geoffrey E.","family":"Hinton","sequence":"additional","affiliation":[]}],
             "container-title":["Communications of the ACM"],"volume":"60",
             "abstract":"<jats:p>A placeholder abstract written for tests about a large convolutional network.</jats:p>",
             "issued":{"date-parts":[[2017,5,24]]},"published":{"date-parts":[[2017,5,24]]},
             "URL":"https://doi.org/10.1145/3065386",
             "link":[{"URL":"https://dl.acm.org/doi/pdf/10.1145/3065386","content-type":"application/pdf","content-version":"vor","intended-application":"text-mining"}]}
            """;
        OpenReview["r1Ue8Hcxg"] = """
            {"id":"r1Ue8Hcxg","forum":"r1Ue8Hcxg","invitations":["ICLR.cc/2017/conference/-/submission"],
             "cdate":1478291472000,"pdate":1486396800000,
             "content":{"title":{"value":"Neural Architecture Search with Reinforcement Learning"},
                        "authors":{"value":["Barret Zoph","Quoc V. Le"]},
                        "authorids":{"value":["~Barret_Zoph1","~Quoc_V_Le1"]},
                        "abstract":{"value":"A placeholder abstract written for tests about searching network architectures."},
                        "venue":{"value":"ICLR 2017 Oral"},"venueid":{"value":"ICLR.cc/2017/Conference"},
                        "pdf":{"value":"/pdf/abc123.pdf"}}}
            """;
        Pages["/pages/alexnet"] = ("text/html; charset=utf-8", """
            <!doctype html><html><head><title>ImageNet Classification with Deep Convolutional Neural Networks</title>
            <meta name="citation_title" content="ImageNet Classification with Deep Convolutional Neural Networks">
            <meta name="citation_author" content="Krizhevsky, Alex">
            <meta name="citation_author" content="Sutskever, Ilya">
            <meta name="citation_author" content="Hinton, Geoffrey E">
            <meta name="citation_journal_title" content="Advances in Neural Information Processing Systems">
            <meta name="citation_volume" content="25">
            <meta name="citation_publication_date" content="2012">
            <meta name="citation_pdf_url" content="/paper_files/paper/2012/file/c399862d3b9d6b76c8436e924a68c45b-Paper.pdf">
            <meta name="citation_conference_title" content="Advances in Neural Information Processing Systems">
            </head><body><h1>ImageNet Classification with Deep Convolutional Neural Networks</h1></body></html>
            """);
        Pages["/pages/distill"] = ("text/html", """
            <!DOCTYPE html><html><head>
            <meta property="og:title" content="Feature Visualization">
            <meta property="og:description" content="A placeholder description written for tests.">
            <meta property="og:site_name" content="Distill">
            <meta name="citation_title" content="Feature Visualization">
            <meta name="citation_fulltext_html_url" content="https://distill.pub/2017/feature-visualization">
            <meta name="citation_volume" content="2"><meta name="citation_issue" content="11">
            <meta name="citation_doi" content="10.23915/distill.00007">
            <meta name="citation_journal_title" content="Distill">
            <meta name="citation_publication_date" content="2017/11/07">
            <meta name="citation_author" content="Olah, Chris"><meta name="citation_author" content="Mordvintsev, Alexander"><meta name="citation_author" content="Schubert, Ludwig">
            </head><body>article</body></html>
            """);
        Pages["/pages/with-arxiv"] = ("text/html", """
            <html><head><meta name="DC.title" content="A Blog Post About A Preprint"><meta name="DC.creator" content="Dee Writer">
            <meta name="DC.date" content="2024-02-03"><meta name="citation_arxiv_id" content="2301.00001"></head><body></body></html>
            """);
        Pages["/pages/no-metadata"] = ("text/html", "<html><head><title>Just a page</title></head><body>hello</body></html>");
        Pages["/pages/not-html"] = ("application/pdf", "%PDF-1.4 not really a pdf");
        Pages["/pages/huge"] = ("text/html", "<html><head>" + new string(' ', 3 * 1024 * 1024) + "</head></html>");
    }

    private void Map()
    {
        app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                lock (Requests)
                {
                    Requests.Add(new RecordedRequest(context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", start, Stopwatch.GetTimestamp()));
                }
            }
        });
        app.Use(async (context, next) =>
        {
            if (Down)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("Service Unavailable");
                return;
            }

            await next(context);
        });

        app.MapGet("/arxiv/api/query", ArxivQueryAsync);
        MapSemanticScholar();
        app.MapGet("/crossref/works/{**doi}", (string doi, HttpContext context) => CrossrefAsync(doi, context));
        app.MapGet("/openreview/notes", OpenReviewAsync);
        app.MapGet("/pages/redirect-loop", (HttpContext c) => { c.Response.StatusCode = 302; c.Response.Headers.Location = "/pages/redirect-loop-b"; return Task.CompletedTask; });
        app.MapGet("/pages/redirect-loop-b", (HttpContext c) => { c.Response.StatusCode = 302; c.Response.Headers.Location = "/pages/redirect-loop"; return Task.CompletedTask; });
        app.MapGet("/pages/moved", (HttpContext c) => { c.Response.StatusCode = 301; c.Response.Headers.Location = "/pages/alexnet"; return Task.CompletedTask; });
        app.MapGet("/pages/slow", async (HttpContext c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            c.Response.ContentType = "text/html";
            await c.Response.WriteAsync("<html><head><meta name=\"citation_title\" content=\"Too Late\"></head></html>");
        });
        app.MapGet("/pages/{**path}", async (string path, HttpContext c) =>
        {
            if (!Pages.TryGetValue("/pages/" + path, out var page))
            {
                c.Response.StatusCode = 404;
                return;
            }

            c.Response.ContentType = page.ContentType;
            await c.Response.WriteAsync(page.Body);
        });
    }

    [GeneratedRegex(@"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ArxivId();

    private async Task ArxivQueryAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref arxivInFlight);
        lock (arxivFailures)
        {
            MaxArxivInFlight = Math.Max(MaxArxivInFlight, inFlight);
        }

        try
        {
            if (ArxivLatency > TimeSpan.Zero)
            {
                await Task.Delay(ArxivLatency);
            }

            if (arxivFailures.TryDequeue(out var failure))
            {
                context.Response.StatusCode = failure.Status;
                if (failure.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = failure.RetryAfter;
                }

                await context.Response.WriteAsync(failure.Status == 429 ? "Rate exceeded." : "<html><body>Service Unavailable</body></html>");
                return;
            }

            var ids = (context.Request.Query["id_list"].ToString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            context.Response.ContentType = "application/atom+xml; charset=utf-8";
            var bad = ids.FirstOrDefault(id => !WellFormed(id));
            if (bad is not null)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(ErrorFeed($"incorrect id format for {bad}"));
                return;
            }

            var search = context.Request.Query["search_query"].ToString();
            var page = ArxivPage.Read(context.Request.Query);
            if (page.Error is not null)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(ErrorFeed(page.Error));
                return;
            }

            if (string.IsNullOrWhiteSpace(search))
            {
                var found = Listed(ids);
                await context.Response.WriteAsync(Feed(search, string.Join(",", ids), page, found.Count, found.Skip(page.Start).Take(page.Max).ToList()));
                return;
            }

            var query = ArxivSearchQuery.TryParse(search, out var problem);
            if (query is null)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(ErrorFeed($"malformed search_query: {problem}"));
                return;
            }

            lock (Requests)
            {
                arxivSearches.Add(search);
            }

            // With an id_list as well, arXiv returns those of the listed papers that match the query.
            IEnumerable<ArxivFixture> pool = ids.Length == 0 ? Arxiv.Values : Listed(ids);
            var matched = pool.Select(f => (Paper: f, Score: query.Score(f))).Where(m => m.Score > 0).ToList();
            var sorted = page.Sort(matched);
            await context.Response.WriteAsync(Feed(search, string.Join(",", ids), page, sorted.Count, sorted.Skip(page.Start).Take(page.Max).ToList()));
        }
        finally
        {
            Interlocked.Decrement(ref arxivInFlight);
        }
    }

    private List<ArxivFixture> Listed(string[] ids) =>
        ids.Select(id => Arxiv.TryGetValue(StripVersion(id), out var f) ? f : null).Where(f => f is not null).Select(f => f!).ToList();

    // As arXiv checks: the pattern, and 4 digits after the dot before 2015, 5 from 2015 on.
    private static bool WellFormed(string id)
    {
        if (!ArxivId().IsMatch(id))
        {
            return false;
        }

        var dot = id.IndexOf('.', StringComparison.Ordinal);
        if (dot != 4 || id.Contains('/', StringComparison.Ordinal))
        {
            return true;
        }

        var digits = StripVersion(id)[(dot + 1)..].Length;
        return int.Parse(id[..2], System.Globalization.CultureInfo.InvariantCulture) >= 15 ? digits == 5 : digits == 4;
    }

    private static string StripVersion(string id)
    {
        var v = id.LastIndexOf('v');
        return v > 0 && id[(v + 1)..].All(char.IsAsciiDigit) && id[(v + 1)..].Length > 0 ? id[..v] : id;
    }

    private static string X(string text) => SecurityElement.Escape(text);

    // The 2026 shape: prefixes declared on the root, http ids with https links, primary_category with only a
    // term, authors (with affiliations) last, optional comment and journal_ref.
    private static string Feed(string search, string idList, ArxivPage page, int total, IReadOnlyList<ArxivFixture> entries)
    {
        var start = page.Start.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var max = page.Max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("<?xml version='1.0' encoding='UTF-8'?>\n");
        sb.Append("<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n");
        sb.Append("  <id>https://arxiv.org/api/8GZcUc1MEh1UR2WRJTQQnKMrA5E</id>\n");
        sb.Append($"  <title>arXiv Query: search_query={X(search)}&amp;id_list={X(idList)}&amp;start={start}&amp;max_results={max}</title>\n");
        sb.Append("  <updated>2026-11-26T00:00:00Z</updated>\n");
        sb.Append($"  <link href=\"https://arxiv.org/api/query?search_query={X(Uri.EscapeDataString(search))}&amp;start={start}&amp;max_results={max}&amp;id_list={X(idList)}\" type=\"application/atom+xml\"/>\n");
        sb.Append($"  <opensearch:itemsPerPage>{max}</opensearch:itemsPerPage>\n");
        sb.Append($"  <opensearch:totalResults>{total}</opensearch:totalResults>\n");
        sb.Append($"  <opensearch:startIndex>{start}</opensearch:startIndex>\n");
        foreach (var f in entries)
        {
            var v = $"{f.Id}v{f.Version}";
            sb.Append("  <entry>\n");
            sb.Append($"    <id>http://arxiv.org/abs/{v}</id>\n");
            // Titles and summaries hold entities already (the fixtures are written as arXiv sends them).
            sb.Append($"    <title>{f.Title}</title>\n");
            sb.Append($"    <updated>{f.Updated:yyyy-MM-ddTHH:mm:ssZ}</updated>\n");
            sb.Append($"    <link href=\"https://arxiv.org/abs/{v}\" rel=\"alternate\" type=\"text/html\"/>\n");
            if (f.HasPdfLink)
            {
                sb.Append($"    <link href=\"https://arxiv.org/pdf/{v}\" rel=\"related\" type=\"application/pdf\" title=\"pdf\"/>\n");
            }

            if (f.Doi is not null)
            {
                sb.Append($"    <link href=\"https://doi.org/{f.Doi}\" rel=\"related\" title=\"doi\"/>\n");
            }

            sb.Append($"    <summary>{f.Summary}</summary>\n");
            foreach (var c in f.Categories)
            {
                sb.Append($"    <category term=\"{c}\" scheme=\"http://arxiv.org/schemas/atom\"/>\n");
            }

            sb.Append($"    <published>{f.Published:yyyy-MM-ddTHH:mm:ssZ}</published>\n");
            if (f.Comment is not null)
            {
                sb.Append($"    <arxiv:comment>{X(f.Comment)}</arxiv:comment>\n");
            }

            if (f.JournalRef is not null)
            {
                sb.Append($"    <arxiv:journal_ref>{X(f.JournalRef)}</arxiv:journal_ref>\n");
            }

            if (f.Doi is not null)
            {
                sb.Append($"    <arxiv:doi>{X(f.Doi)}</arxiv:doi>\n");
            }

            sb.Append($"    <arxiv:primary_category term=\"{f.Categories[0]}\"/>\n");
            foreach (var a in f.Authors)
            {
                sb.Append("    <author>\n");
                sb.Append($"      <name>{X(a.Name)}</name>\n");
                if (a.Affiliation is not null)
                {
                    sb.Append($"      <arxiv:affiliation>{X(a.Affiliation)}</arxiv:affiliation>\n");
                }

                sb.Append("    </author>\n");
            }

            sb.Append("  </entry>\n");
        }

        sb.Append("</feed>\n");
        return sb.ToString();
    }

    private static string ErrorFeed(string message) => $"""
        <?xml version='1.0' encoding='UTF-8'?>
        <feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
          <id>https://arxiv.org/api/AP2aZg3U7sXCWm2kmqiRMW6UtJQ</id>
          <title>arXiv Query: search_query=&amp;id_list=bad&amp;start=0&amp;max_results=10</title>
          <updated>2026-11-26T00:00:00Z</updated>
          <link href="https://arxiv.org/api/query?search_query=&amp;start=0&amp;max_results=10&amp;id_list=bad" type="application/atom+xml"/>
          <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
          <opensearch:totalResults>1</opensearch:totalResults>
          <opensearch:startIndex>0</opensearch:startIndex>
          <entry>
            <id>https://arxiv.org/api/errors#{X(message)}</id>
            <title>Error</title>
            <summary>{X(message)}</summary>
            <updated>2026-11-26T00:00:00Z</updated>
            <link href="https://arxiv.org/api/errors#{X(message)}" rel="alternate" type="text/html"/>
            <author>
              <name>arXiv api core</name>
            </author>
          </entry>
        </feed>
        """;

    private async Task CrossrefAsync(string doi, HttpContext context)
    {
        if (!Crossref.TryGetValue(Uri.UnescapeDataString(doi), out var message))
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Resource not found.");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"status":"ok","message-type":"work","message-version":"1.0.0","message":{{message}}}""");
    }

    private async Task OpenReviewAsync(HttpContext context)
    {
        var id = context.Request.Query["id"].ToString();
        context.Response.ContentType = "application/json; charset=utf-8";
        if (!OpenReview.TryGetValue(id, out var note))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { name = "NotFoundError", message = $"The Note {id} was not found", status = 404 }));
            return;
        }

        await context.Response.WriteAsync($$"""{"notes":[{{note}}],"count":1}""");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
