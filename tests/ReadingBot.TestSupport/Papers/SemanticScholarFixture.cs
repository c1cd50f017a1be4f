namespace ReadingBot.TestSupport.Papers;

/// <summary>An open-access PDF as Semantic Scholar describes it.</summary>
public sealed record SemanticScholarPdf(string Url, string Status = "GREEN", string? License = null);

/// <summary>
/// One paper the Semantic Scholar emulator knows, found by its arXiv id or DOI. TLDRs here are placeholders
/// written for the tests; many real papers have none, hence the null.
/// </summary>
public sealed record SemanticScholarFixture(string PaperId, string Title)
{
    public string? ArxivId { get; init; }
    public string? Doi { get; init; }
    public string? Tldr { get; init; }
    public int CitationCount { get; init; }
    public int InfluentialCitationCount { get; init; }
    public string Venue { get; init; } = "";
    public int? Year { get; init; }
    public SemanticScholarPdf? OpenAccessPdf { get; init; }

    /// <summary>Papers used across the tests: one with everything, one without a TLDR or PDF, one found by DOI.</summary>
    public static IReadOnlyList<SemanticScholarFixture> Standard { get; } =
    [
        new("204e3073870fae3d05bcbc2f6a8e263d9b72e776", "Attention is All you Need")
        {
            ArxivId = "1706.03762", Tldr = "A placeholder TLDR written for tests about attention-only sequence models.",
            CitationCount = 150123, InfluentialCitationCount = 17890, Venue = "Neural Information Processing Systems", Year = 2017,
            OpenAccessPdf = new("https://arxiv.org/pdf/1706.03762", "GREEN"),
        },
        new("2c03df8b48bf3fa39054345bafabfeff15bfd11d", "Deep Residual Learning for Image Recognition")
        {
            ArxivId = "1512.03385", CitationCount = 210456, InfluentialCitationCount = 28001, Venue = "Computer Vision and Pattern Recognition", Year = 2015,
        },
        new("abd1c342495432171beb7ca8fd9551ef13cbd0ff", "ImageNet classification with deep convolutional neural networks")
        {
            Doi = "10.1145/3065386", Tldr = "A placeholder TLDR written for tests about a large convolutional network.",
            CitationCount = 120000, InfluentialCitationCount = 9000, Venue = "Communications of the ACM", Year = 2017,
            OpenAccessPdf = new("https://dl.acm.org/doi/pdf/10.1145/3065386", "BRONZE"),
        },
    ];
}
