namespace ReadingBot.TestSupport.Papers;

/// <summary>An author as arXiv lists it, with an optional affiliation.</summary>
public sealed record ArxivAuthor(string Name, string? Affiliation = null);

/// <summary>
/// One paper the arXiv emulator knows. Summaries here are placeholders written for the tests, not the papers'
/// abstracts.
/// </summary>
public sealed record ArxivFixture(string Id, int Version, string Title, IReadOnlyList<ArxivAuthor> Authors, string Summary)
{
    public IReadOnlyList<string> Categories { get; init; } = ["cs.LG"];
    public DateTimeOffset Published { get; init; } = new(2017, 6, 12, 17, 57, 34, TimeSpan.Zero);
    public DateTimeOffset Updated { get; init; } = new(2023, 8, 2, 0, 41, 18, TimeSpan.Zero);
    public string? Comment { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }
    public bool HasPdfLink { get; init; } = true;

    /// <summary>Papers used across the tests.</summary>
    public static IReadOnlyList<ArxivFixture> Standard { get; } =
    [
        new("1706.03762", 7, "Attention Is All\n      You Need", [new("Ashish Vaswani", "Google Brain"), new("Noam Shazeer"), new("Niki Parmar")],
            "A placeholder summary about attention &amp; transformers\n   for sequence transduction, written for tests.")
        {
            Categories = ["cs.CL", "cs.LG"], Comment = "15 pages, 5 figures", JournalRef = "Advances in Neural Information Processing Systems 30 (2017)",
        },
        new("hep-th/9901001", 2, "An Old-Style Identifier &lt;Test&gt; Paper", [new("Ada Theorist")], "A placeholder summary for an old-style id.")
        {
            Categories = ["hep-th"], Published = new(1999, 1, 4, 0, 0, 0, TimeSpan.Zero), Updated = new(1999, 2, 1, 0, 0, 0, TimeSpan.Zero), HasPdfLink = false,
        },
        new("cs/0112017", 1, "A Computer Science Paper From 2001", [new("Bea Coder", "Some University")], "A placeholder summary for cs/0112017.")
        {
            Categories = ["cs.AI"], Published = new(2001, 12, 20, 0, 0, 0, TimeSpan.Zero), Updated = new(2001, 12, 20, 0, 0, 0, TimeSpan.Zero),
        },
        new("2301.00001", 3, "A Paper From January 2023", [new("Cy Researcher")], "A placeholder summary for 2301.00001.")
        {
            Published = new(2022, 12, 30, 0, 0, 0, TimeSpan.Zero), Updated = new(2023, 3, 1, 0, 0, 0, TimeSpan.Zero), Doi = "10.1234/EXAMPLE.2023",
        },
        new("1512.03385", 1, "Deep Residual Learning for Image Recognition", [new("Kaiming He"), new("Xiangyu Zhang"), new("Shaoqing Ren"), new("Jian Sun")],
            "A placeholder summary about residual networks and very deep image classifiers.") { Categories = ["cs.CV"], Published = new(2015, 12, 10, 0, 0, 0, TimeSpan.Zero) },
        new("1409.1556", 6, "Very Deep Convolutional Networks for Large-Scale Image Recognition", [new("Karen Simonyan"), new("Andrew Zisserman")],
            "A placeholder summary about deep convolutional networks with small filters.") { Categories = ["cs.CV"], Published = new(2014, 9, 4, 0, 0, 0, TimeSpan.Zero) },
        new("1406.2661", 1, "Generative Adversarial Networks", [new("Ian J. Goodfellow"), new("Yoshua Bengio")],
            "A placeholder summary about a generator and a discriminator trained against each other.") { Categories = ["stat.ML"], Published = new(2014, 6, 10, 0, 0, 0, TimeSpan.Zero) },
    ];
}
