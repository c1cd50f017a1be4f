using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;

namespace ReadingBot.Papers;

/// <summary>Where and how papers are looked up (<c>Papers:*</c>). Defaults point at the real services.</summary>
public sealed class PaperSourcesOptions
{
    /// <summary>When false the bot never goes to the network: every paper stays pending with what members gave.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Allows fetching from loopback and private addresses (tests and local mirrors only).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long one request may take before the source counts as unavailable.</summary>
    [SettingRange(0d, 120d, "a number of seconds from 0.1 to 120", MinimumIsExclusive = true)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>The largest response body read, in bytes; larger answers are refused.</summary>
    [SettingRange(1024, 64 * 1024 * 1024, "a number of bytes from 1024 to 67108864")]
    public int MaxResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The largest JSON export <c>/paper import</c> reads, in bytes (an export carries the group's whole history).</summary>
    [SettingRange(1024, 512 * 1024 * 1024, "a number of bytes from 1024 to 536870912")]
    public int MaxImportBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How many redirects one fetch follows.</summary>
    [SettingRange(0, 10, "a whole number from 0 to 10")]
    public int MaxRedirects { get; set; } = 3;

    public string UserAgent { get; set; } = "ReadingBot/1.0 (paper reading group bot)";

    [ValidateObjectMembers]
    public ArxivOptions Arxiv { get; set; } = new();
    public CrossrefOptions Crossref { get; set; } = new();
    public OpenReviewOptions OpenReview { get; set; } = new();
    [ValidateObjectMembers]
    public SemanticScholarOptions SemanticScholar { get; set; } = new();
    [ValidateObjectMembers]
    public RefreshOptions Refresh { get; set; } = new();

    /// <summary>Hand-written: the services' URLs, and arXiv's interval, whose least value depends on the base URL (arXiv's terms ask for 3 s).</summary>
    public static IEnumerable<string> Rules(PaperSourcesOptions o)
    {
        foreach (var (key, url) in new[] { ("Papers:Arxiv:BaseUrl", o.Arxiv.BaseUrl), ("Papers:Crossref:BaseUrl", o.Crossref.BaseUrl), ("Papers:OpenReview:BaseUrl", o.OpenReview.BaseUrl), ("Papers:SemanticScholar:BaseUrl", o.SemanticScholar.BaseUrl) })
        {
            if (!(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                yield return SettingProblem.Describe(key, $"'{url}' is not an http(s) URL", "the service's base URL");
            }
        }

        var realArxiv = Uri.TryCreate(o.Arxiv.BaseUrl, UriKind.Absolute, out var arxiv) && arxiv.Host.EndsWith("arxiv.org", StringComparison.OrdinalIgnoreCase);
        if (!(o.Arxiv.MinIntervalSeconds >= (realArxiv ? 3 : 0) && o.Arxiv.MinIntervalSeconds <= 600))
        {
            yield return SettingProblem.Describe("Papers:Arxiv:MinIntervalSeconds", $"{o.Arxiv.MinIntervalSeconds} is out of range (arXiv's terms ask for at least 3 seconds)", "a number of seconds from 3 to 600");
        }
    }
}

/// <summary>The annotations' checks for <see cref="PaperSourcesOptions"/> and its sections, generated.</summary>
[OptionsValidator]
public sealed partial class PaperSourcesOptionsAnnotations : IValidateOptions<PaperSourcesOptions>;

/// <summary><c>Papers:Arxiv:*</c>. arXiv asks for one request at a time, at least three seconds apart.</summary>
public sealed class ArxivOptions
{
    public string BaseUrl { get; set; } = "https://export.arxiv.org";

    /// <summary>The least time between two requests to arXiv, process-wide.</summary>
    public double MinIntervalSeconds { get; set; } = 3;

    /// <summary>Attempts after the first on 429, 5xx or a timeout.</summary>
    [SettingRange(0, 10, "a whole number from 0 to 10")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off after a failed attempt; it doubles on each further one (Retry-After wins when longer).</summary>
    [SettingRange(0d, 600d, "a number of seconds from 0 to 600")]
    public double RetryBaseSeconds { get; set; } = 5;

    /// <summary>Ids per <c>id_list</c> request.</summary>
    [SettingRange(1, 200, "a whole number from 1 to 200")]
    public int BatchSize { get; set; } = 50;
}

/// <summary><c>Papers:Crossref:*</c>.</summary>
public sealed class CrossrefOptions
{
    public string BaseUrl { get; set; } = "https://api.crossref.org";

    /// <summary>An address Crossref may contact (its "polite pool"); sent as <c>mailto</c> when set.</summary>
    public string? Mailto { get; set; }
}

/// <summary><c>Papers:SemanticScholar:*</c>: the optional enrichment (TLDR, citations, venue, open-access PDF).</summary>
public sealed class SemanticScholarOptions
{
    /// <summary>False: cards show what arXiv, Crossref and the page said, nothing more.</summary>
    public bool Enabled { get; set; } = true;

    public string BaseUrl { get; set; } = "https://api.semanticscholar.org/graph/v1";

    /// <summary>A Semantic Scholar API key (a secret: environment or user secrets), sent as <c>x-api-key</c>; optional.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The least seconds between two requests. Semantic Scholar allows one a second with a key; without one the
    /// shared pool is throttled, so the default waits 3 s then.
    /// </summary>
    [SettingRange(0d, 600d, "a number of seconds from 0 to 600")]
    public double? MinIntervalSeconds { get; set; }

    /// <summary>Minutes between enrichment passes (each asks about up to 500 papers in one batch request).</summary>
    [SettingRange(0.01, 10_080d, "a number of minutes from 0.01 to 10080")]
    public double RefreshMinutes { get; set; } = 60;

    /// <summary>The wait after a 429 without Retry-After; it doubles with each further one in a pass.</summary>
    [SettingRange(0d, 3600d, "a number of seconds from 0 to 3600")]
    public double RetryBaseSeconds { get; set; } = 5;

    public TimeSpan MinInterval => TimeSpan.FromSeconds(MinIntervalSeconds ?? (string.IsNullOrEmpty(ApiKey) ? 3 : 1));
}

/// <summary><c>Papers:OpenReview:*</c>.</summary>
public sealed class OpenReviewOptions
{
    /// <summary>The API (v2 by default; the v1 shape is read too).</summary>
    public string BaseUrl { get; set; } = "https://api2.openreview.net";
}

/// <summary><c>Papers:Refresh:*</c>: the background job that fills in pending papers.</summary>
public sealed class RefreshOptions
{
    [SettingRange(1d, 86400d, "a number of seconds from 1 to 86400")]
    public double PeriodSeconds { get; set; } = 60;

    /// <summary>Pending papers tried per run.</summary>
    [SettingRange(1, 200, "a whole number from 1 to 200")]
    public int BatchSize { get; set; } = 20;
}
