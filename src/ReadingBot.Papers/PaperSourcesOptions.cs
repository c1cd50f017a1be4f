namespace ReadingBot.Papers;

/// <summary>Where and how papers are looked up (<c>Papers:*</c>). Defaults point at the real services.</summary>
public sealed class PaperSourcesOptions
{
    /// <summary>When false the bot never goes to the network: every paper stays pending with what members gave.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Allows fetching from loopback and private addresses (tests and local mirrors only).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long one request may take before the source counts as unavailable.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>The largest response body read, in bytes; larger answers are refused.</summary>
    public int MaxResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The largest JSON export <c>/paper import</c> reads, in bytes (an export carries the group's whole history).</summary>
    public int MaxImportBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How many redirects one fetch follows.</summary>
    public int MaxRedirects { get; set; } = 3;

    public string UserAgent { get; set; } = "ReadingBot/1.0 (paper reading group bot)";

    public ArxivOptions Arxiv { get; set; } = new();
    public CrossrefOptions Crossref { get; set; } = new();
    public OpenReviewOptions OpenReview { get; set; } = new();
    public RefreshOptions Refresh { get; set; } = new();
}

/// <summary><c>Papers:Arxiv:*</c>. arXiv asks for one request at a time, at least three seconds apart.</summary>
public sealed class ArxivOptions
{
    public string BaseUrl { get; set; } = "https://export.arxiv.org";

    /// <summary>The least time between two requests to arXiv, process-wide.</summary>
    public double MinIntervalSeconds { get; set; } = 3;

    /// <summary>Attempts after the first on 429, 5xx or a timeout.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off after a failed attempt; it doubles on each further one (Retry-After wins when longer).</summary>
    public double RetryBaseSeconds { get; set; } = 5;

    /// <summary>Ids per <c>id_list</c> request.</summary>
    public int BatchSize { get; set; } = 50;
}

/// <summary><c>Papers:Crossref:*</c>.</summary>
public sealed class CrossrefOptions
{
    public string BaseUrl { get; set; } = "https://api.crossref.org";

    /// <summary>An address Crossref may contact (its "polite pool"); sent as <c>mailto</c> when set.</summary>
    public string? Mailto { get; set; }
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
    public double PeriodSeconds { get; set; } = 60;

    /// <summary>Pending papers tried per run.</summary>
    public int BatchSize { get; set; } = 20;
}
