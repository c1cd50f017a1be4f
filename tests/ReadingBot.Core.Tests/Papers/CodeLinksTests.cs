using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Tests.Papers;

public sealed class CodeLinksTests
{
    [Theory]
    [InlineData("Code: https://github.com/example/ebm-vision", "https://github.com/example/ebm-vision")]
    [InlineData("12 pages. Project page https://example.org/ebm, code at https://github.com/example/ebm-vision/.", "https://github.com/example/ebm-vision")]
    [InlineData("(code: https://gitlab.com/group/repo)", "https://gitlab.com/group/repo")]
    [InlineData("weights at https://huggingface.co/org/model;", "https://huggingface.co/org/model")]
    public void The_first_link_to_a_code_host_is_the_code(string comment, string expected) => Assert.Equal(expected, CodeLinks.Find(comment));

    [Theory]
    [InlineData(null)]
    [InlineData("15 pages, 5 figures")]
    [InlineData("see https://example.org/project")]
    [InlineData("https://github.com/")]
    [InlineData("https://github.com.evil.example/org/repo")]
    [InlineData("ftp://github.com/org/repo")]
    public void Anything_else_is_no_code_link(string? comment) => Assert.Null(CodeLinks.Find(comment));
}
