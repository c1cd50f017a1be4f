using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Tests.Papers;

public sealed class PaperRefParserTests
{
    [Theory]
    [InlineData("1706.03762", "arxiv:1706.03762", null)]
    [InlineData("1706.03762v5", "arxiv:1706.03762", "v5")]
    [InlineData("arXiv:1706.03762", "arxiv:1706.03762", null)]
    [InlineData("arxiv:1706.03762v2", "arxiv:1706.03762", "v2")]
    [InlineData("https://arxiv.org/abs/1706.03762", "arxiv:1706.03762", null)]
    [InlineData("http://arxiv.org/abs/1706.03762v3", "arxiv:1706.03762", "v3")]
    [InlineData("arxiv.org/abs/1706.03762", "arxiv:1706.03762", null)]
    [InlineData("https://arxiv.org/pdf/1706.03762", "arxiv:1706.03762", null)]
    [InlineData("https://arxiv.org/pdf/1706.03762.pdf", "arxiv:1706.03762", null)]
    [InlineData("https://arxiv.org/pdf/1706.03762v7.pdf", "arxiv:1706.03762", "v7")]
    [InlineData("https://arxiv.org/html/2301.00001v1", "arxiv:2301.00001", "v1")]
    [InlineData("https://www.arxiv.org/abs/2301.00001", "arxiv:2301.00001", null)]
    [InlineData("hep-th/9901001", "arxiv:hep-th/9901001", null)]
    [InlineData("cs/0112017v1", "arxiv:cs/0112017", "v1")]
    [InlineData("math.GT/0309136", "arxiv:math/0309136", null)]
    [InlineData("math/0309136", "arxiv:math/0309136", null)]
    [InlineData("https://arxiv.org/abs/math.GT/0309136v2", "arxiv:math/0309136", "v2")]
    [InlineData("https://arxiv.org/abs/1409.1556.", "arxiv:1409.1556", null)]
    [InlineData("(https://arxiv.org/abs/1409.4842)", "arxiv:1409.4842", null)]
    [InlineData("<https://arxiv.org/abs/1409.4842>,", "arxiv:1409.4842", null)]
    [InlineData("\"1706.03762\".", "arxiv:1706.03762", null)]
    [InlineData("[arXiv:1706.03762]", "arxiv:1706.03762", null)]
    [InlineData("https://arxiv.org/abs/hep-th/9901001", "arxiv:hep-th/9901001", null)]
    [InlineData("0704.0001", "arxiv:0704.0001", null)]
    [InlineData("10.48550/arXiv.1706.03762", "arxiv:1706.03762", null)]
    public void Arxiv_forms_all_name_one_record(string input, string key, string? version)
    {
        var parsed = PaperRefParser.Parse(input);

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal(key, parsed.Reference!.Key);
        Assert.Equal(version, parsed.Reference.Version);
    }

    [Theory]
    [InlineData("10.1145/3065386", "doi:10.1145/3065386")]
    [InlineData("doi:10.1145/3065386", "doi:10.1145/3065386")]
    [InlineData("https://doi.org/10.1145/3065386", "doi:10.1145/3065386")]
    [InlineData("https://dx.doi.org/10.1038/NATURE14539", "doi:10.1038/nature14539")]
    [InlineData("https://openreview.net/forum?id=YicbFdNTTy", "openreview:YicbFdNTTy")]
    [InlineData("https://openreview.net/pdf?id=YicbFdNTTy", "openreview:YicbFdNTTy")]
    [InlineData("https://distill.pub/2017/momentum/", "url:https://distill.pub/2017/momentum")]
    [InlineData("https://papers.nips.cc/paper/4824-imagenet#top", "url:https://papers.nips.cc/paper/4824-imagenet")]
    [InlineData("HTTPS://Distill.PUB/2017/momentum", "url:https://distill.pub/2017/momentum")]
    [InlineData("(https://doi.org/10.1145/3065386).", "doi:10.1145/3065386")]
    [InlineData("https://en.wikipedia.org/wiki/Transformer_(deep_learning)", "url:https://en.wikipedia.org/wiki/Transformer_(deep_learning)")]
    [InlineData("(see https://en.wikipedia.org/wiki/Transformer_(deep_learning))", null)]
    [InlineData("10.1016/S0140-6736(97)11096-0", "doi:10.1016/s0140-6736(97)11096-0")]
    public void Other_references_get_their_source_key(string input, string? key)
    {
        var parsed = PaperRefParser.Parse(input);

        if (key is null)
        {
            Assert.False(parsed.Success);
            return;
        }

        Assert.True(parsed.Success, parsed.Error);
        Assert.Equal(key, parsed.Reference!.Key);
    }

    [Theory]
    [InlineData("1706.0376")]
    [InlineData("arxiv:abc")]
    [InlineData("1713.03762")]
    [InlineData("1412.123456")]
    [InlineData("1501.0001")]
    [InlineData("9912.12345")]
    [InlineData("9912.1234")]
    [InlineData("0703.0001")]
    [InlineData("arXiv:9105.00001")]
    [InlineData("https://arxiv.org/abs/9912.12345")]
    [InlineData("hep-th/9013001")]
    [InlineData("hep-th/0704001")]
    [InlineData("hep-th/9107001")]
    [InlineData("ftp://example.org/paper.pdf")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a paper")]
    [InlineData("")]
    [InlineData("https://arxiv.org/list/cs.LG/recent")]
    [InlineData("https://openreview.net/forum")]
    public void Malformed_references_are_refused_with_a_reason(string input)
    {
        var parsed = PaperRefParser.Parse(input);

        Assert.False(parsed.Success);
        Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
    }

    [Fact]
    public void A_short_new_style_id_explains_the_digit_rule()
    {
        var parsed = PaperRefParser.Parse("1706.0376");

        Assert.Contains("5 digits", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_from_the_nineties_explains_that_new_style_ids_start_in_april_2007()
    {
        var parsed = PaperRefParser.Parse("9912.12345");

        Assert.Contains("0704", parsed.Error, StringComparison.Ordinal);
    }
}
