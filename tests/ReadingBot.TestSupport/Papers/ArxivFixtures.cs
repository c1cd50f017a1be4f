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

    /// <summary>
    /// Papers for following authors and topics, kept out of <see cref="Standard"/> so category listings elsewhere
    /// stay as they are: one author written three ways (initials, a space in the surname, diacritics elsewhere),
    /// two namesakes in different fields, and a cross-listed paper in its fourth version.
    /// </summary>
    public static IReadOnlyList<ArxivFixture> Following { get; } =
    [
        new("2611.01001", 1, "Energy-Based Models for Self-Supervised Vision", [new("Yann LeCun", "NYU"), new("Bea Coder")],
            "A placeholder summary about energy-based self-supervised learning, written for tests.")
        {
            Categories = ["cs.CV", "cs.LG"], Published = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero),
            Comment = "Code: https://github.com/example/ebm-vision",
        },
        new("2611.02002", 4, "Joint Embedding Predictive Architectures Revisited", [new("Y. LeCun"), new("Cy Researcher")],
            "A placeholder summary about joint embedding predictive architectures and world models.")
        {
            Categories = ["cs.LG", "cs.AI"], Published = new(2026, 11, 9, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero),
        },
        new("2611.03003", 1, "Hierarchical Planning with Learned World Models", [new("Yann Le Cun"), new("Ada Theorist")],
            "A placeholder summary about hierarchical planning, not about sparse autoencoders.")
        {
            Categories = ["cs.AI"], Published = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero),
        },
        new("2611.04004", 2, "Kernel Methods for Causal Inference", [new("Bernhard Schölkopf", "MPI-IS")],
            "A placeholder summary about kernel methods and causal discovery with sparse autoencoders as a baseline.")
        {
            Categories = ["stat.ML", "cs.LG"], Published = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 10, 10, 0, 0, TimeSpan.Zero),
        },
        new("2611.05005", 1, "Sparse Autoencoders Find Interpretable Features", [new("Wei Wang", "Interpretability Lab")],
            "A placeholder summary about sparse autoencoders and mechanistic interpretability of language models.")
        {
            Categories = ["cs.LG"], Published = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero),
        },
        new("2611.06006", 1, "Spin Chains at Low Temperature", [new("Wei Wang", "Condensed Matter Institute")],
            "A placeholder summary about quantum spin chains and their phase transitions.")
        {
            Categories = ["cond-mat.str-el"], Published = new(2026, 11, 19, 10, 0, 0, TimeSpan.Zero), Updated = new(2026, 11, 19, 10, 0, 0, TimeSpan.Zero),
        },
    ];
}