using System.Globalization;
using AngleSharp.Html.Parser;
using ReadingBot.Core.Papers;

namespace ReadingBot.Papers;

/// <summary>
/// Any other link: the page's scholarly meta tags (Highwire <c>citation_*</c>, as Google Scholar reads them), then
/// Dublin Core (<c>DC.*</c>, <c>dc.*</c>) and Open Graph (<c>og:*</c>) as fallbacks. A DOI or arXiv id the page names
/// is kept on the record. Only HTML is read; a page with no title in any of those tags is NotFound.
/// </summary>
public sealed class PageMetadataClient(SafeHttpClient http)
{
    private static readonly FetchRules Rules = new(Trusted: false, ["text/html", "application/xhtml+xml"], "text/html,application/xhtml+xml;q=0.9");

    public async Task<MetadataResult> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return new MetadataResult.NotFound("that is not a link");
        }

        var response = await http.GetAsync(uri, Rules, cancellationToken);
        switch (response.Failure)
        {
            case FetchFailure.Refused or FetchFailure.TooLarge or FetchFailure.TooManyRedirects or FetchFailure.WrongType:
                return new MetadataResult.NotFound(response.Problem!);
            case FetchFailure.Network or FetchFailure.Timeout or FetchFailure.Unreachable:
                return new MetadataResult.Unavailable(response.Problem!);
        }

        if ((int)response.Status is 404 or 410)
        {
            return new MetadataResult.NotFound($"the page does not exist (HTTP {(int)response.Status})");
        }

        if (!response.Ok)
        {
            return new MetadataResult.Unavailable($"the site answered HTTP {(int)response.Status}");
        }

        return Read(response.Body, url) is { } paper
            ? new MetadataResult.Found(paper)
            : new MetadataResult.NotFound("the page has no paper metadata (no citation_title, Dublin Core or Open Graph title)");
    }

    /// <summary>Reads a page's meta tags into a paper, or null when none names a title.</summary>
    public static Paper? Read(string html, string url)
    {
        var document = new HtmlParser().ParseDocument(html);
        var meta = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in document.QuerySelectorAll("meta"))
        {
            var name = element.GetAttribute("name") ?? element.GetAttribute("property");
            var content = element.GetAttribute("content");
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            if (!meta.TryGetValue(name.Trim(), out var values))
            {
                meta[name.Trim()] = values = [];
            }

            values.Add(ArxivAtomParser.Collapse(content));
        }

        string? One(params string[] names) => names.Select(n => meta.TryGetValue(n, out var v) ? v[0] : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        List<string> All(params string[] names) => names.Select(n => meta.TryGetValue(n, out var v) ? v : null).FirstOrDefault(v => v is { Count: > 0 }) ?? [];

        var title = One("citation_title", "DC.title", "dc.title", "og:title");
        if (title is null)
        {
            return null;
        }

        var authors = All("citation_author", "DC.creator", "dc.creator", "article:author").SelectMany(SplitAuthors).ToList();
        var date = One("citation_publication_date", "citation_date", "citation_online_date", "DC.date", "dc.date", "article:published_time");
        var doi = One("citation_doi", "DC.identifier.doi", "dc.identifier.doi", "prism.doi") ?? DoiFrom(One("DC.identifier", "dc.identifier"));
        if (doi is not null)
        {
            doi = doi.Replace("https://doi.org/", "", StringComparison.OrdinalIgnoreCase).Replace("doi:", "", StringComparison.OrdinalIgnoreCase).Trim().ToLowerInvariant();
        }

        string? arxivId = null;
        if (One("citation_arxiv_id") is { } arxiv && PaperRefParser.ParseArxivId(arxiv.Trim(), arxiv).Reference is { } arxivRef)
        {
            arxivId = arxivRef.Id;
        }

        var pdf = One("citation_pdf_url");
        if (pdf is not null && Uri.TryCreate(new Uri(url), pdf, out var absolutePdf))
        {
            pdf = absolutePdf.AbsoluteUri;
        }

        // A code link: a meta tag some sites add, else a link on the page labelled as code, to a code host.
        var code = CodeLinks.Find(One("citation_code_url", "citation_source_code"))
            ?? document.QuerySelectorAll("a[href]")
                .Where(a => a.TextContent.Trim() is var text && (text.Equals("code", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("source code", StringComparison.OrdinalIgnoreCase) || text.Contains("github", StringComparison.OrdinalIgnoreCase)))
                .Select(a => CodeLinks.Find(a.GetAttribute("href")))
                .FirstOrDefault(c => c is not null);
        return new Paper
        {
            Key = "url:" + url,
            Source = PaperSource.Url,
            Url = url,
            Title = title,
            Authors = authors,
            Abstract = One("citation_abstract", "DC.description", "dc.description", "og:description", "description"),
            Year = YearOf(date),
            Venue = One("citation_conference_title", "citation_journal_title", "citation_publisher", "DC.publisher", "og:site_name"),
            PdfUrl = pdf,
            Doi = doi,
            ArxivId = arxivId,
            CodeUrl = code,
            State = MetadataState.Resolved,
        };
    }

    // Highwire gives one author per tag ("Krizhevsky, Alex" or "Alex Krizhevsky"); some pages put all in one, separated by ';'.
    private static IEnumerable<string> SplitAuthors(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Natural);

    private static string Natural(string name)
    {
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && name.IndexOf(',', comma + 1) < 0 ? $"{name[(comma + 1)..].Trim()} {name[..comma].Trim()}" : name;
    }

    private static string? DoiFrom(string? identifier)
    {
        if (identifier is null)
        {
            return null;
        }

        var at = identifier.IndexOf("10.", StringComparison.Ordinal);
        return at >= 0 && identifier[at..].Contains('/', StringComparison.Ordinal) ? identifier[at..] : null;
    }

    private static int? YearOf(string? date)
    {
        if (date is null || date.Length < 4)
        {
            return null;
        }

        return int.TryParse(date.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is > 1000 and < 3000 ? year : null;
    }
}
