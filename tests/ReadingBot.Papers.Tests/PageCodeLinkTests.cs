using ReadingBot.Core.Papers;

namespace ReadingBot.Papers.Tests;

/// <summary>Code links on a paper's own page: a meta tag, or a link labelled as code to a code host.</summary>
public sealed class PageCodeLinkTests
{
    private const string Head = "<html><head><meta name=\"citation_title\" content=\"A Paper\">";

    [Fact]
    public void A_code_meta_tag_or_a_link_labelled_code_is_the_papers_code()
    {
        var fromMeta = PageMetadataClient.Read(Head + "<meta name=\"citation_code_url\" content=\"https://github.com/org/repo\"></head><body></body></html>", "https://example.org/paper");
        var fromLink = PageMetadataClient.Read(Head + "</head><body><a href=\"https://example.org/slides\">Slides</a> <a href=\"https://github.com/org/repo2\">Code</a></body></html>", "https://example.org/paper");

        Assert.Equal("https://github.com/org/repo", fromMeta!.CodeUrl);
        Assert.Equal("https://github.com/org/repo2", fromLink!.CodeUrl);
    }

    [Fact]
    public void Links_that_are_not_code_are_not_taken()
    {
        var paper = PageMetadataClient.Read(Head + "</head><body><a href=\"https://github.com/org/repo\">our lab</a> <a href=\"https://example.org/code\">Code</a></body></html>", "https://example.org/paper");

        Assert.Null(paper!.CodeUrl);
    }
}
