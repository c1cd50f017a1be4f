using ReadingBot.Core.Follows;

namespace ReadingBot.Core.Tests.Follows;

public sealed class AuthorNameTests
{
    private static AuthorName Name(string text) => AuthorName.Parse(text) ?? throw new InvalidOperationException(text);

    [Theory]
    [InlineData("Yann LeCun", "Y. LeCun")]
    [InlineData("Yann LeCun", "Yann Le Cun")]
    [InlineData("Yann LeCun", "LeCun, Yann")]
    [InlineData("Yann LeCun", "yann lecun")]
    [InlineData("Bernhard Schölkopf", "Bernhard Scholkopf")]
    [InlineData("Ian Goodfellow", "Ian J. Goodfellow")]
    [InlineData("J.-P. Sartre", "Jean-Paul Sartre")]
    [InlineData("JP Sartre", "Jean Paul Sartre")]
    [InlineData("Chris Olah", "Olah")]
    [InlineData("Sean O'Brien", "Sean OBrien")]
    public void Spellings_of_one_person_match(string followed, string printed) =>
        Assert.True(Name(followed).SamePersonAs(Name(printed)), $"{followed} / {printed}");

    [Theory]
    [InlineData("Yann LeCun", "Yves LeCun")]
    [InlineData("Yann LeCun", "Y. Lecunn")]
    [InlineData("Ian J. Goodfellow", "Ian K. Goodfellow")]
    [InlineData("Andrej Karpathy", "Andrej Karpaty")]
    public void Different_people_do_not(string followed, string printed) =>
        Assert.False(Name(followed).SamePersonAs(Name(printed)), $"{followed} / {printed}");

    [Fact]
    public void A_surname_with_a_particle_is_searched_in_both_spellings()
    {
        Assert.Equal(["au:lecun", "au:le_cun"], Name("Yann Le Cun").ArxivTerms());
        Assert.Equal(["au:lecun", "au:le_cun"], Name("Y. LeCun").ArxivTerms());
        Assert.Equal(["au:olah"], Name("Chris Olah").ArxivTerms());
        Assert.Equal("Y. Le Cun", Name("y. le cun").ToString());
    }

    [Fact]
    public void Nothing_but_punctuation_is_no_name() => Assert.Null(AuthorName.Parse(" .,- "));

    [Fact]
    public void Authors_are_batched_with_or_each_surname_once_within_the_limits()
    {
        var followed = new[] { "Yann LeCun", "Y. LeCun", "Bernhard Schölkopf", "Chris Olah", "Andrej Karpathy" }.Select(Name).ToList();

        Assert.Equal(["(au:karpathy OR au:le_cun OR au:lecun OR au:olah OR au:scholkopf)"], ArxivAuthorBatches.Queries(followed));
        Assert.Equal(["(au:karpathy OR au:le_cun)", "(au:lecun OR au:olah)", "(au:scholkopf)"], ArxivAuthorBatches.Queries(followed, maxTerms: 2));
        Assert.All(ArxivAuthorBatches.Queries(followed, maxChars: 30), q => Assert.True(q.Length <= 30, q));
    }

    [Fact]
    public void Five_thousand_authors_take_a_bounded_number_of_requests()
    {
        var followed = Enumerable.Range(0, 5000).Select(i => Name($"Given Surname{Letters(i)}")).ToList();

        var queries = ArxivAuthorBatches.Queries(followed);

        Assert.Equal(5000, queries.Sum(q => q.Split(" OR ").Length));
        Assert.True(queries.Count <= 100, $"{queries.Count} requests");
        Assert.All(queries, q => Assert.True(q.Length <= 1500));
    }

    [Fact]
    public void A_paper_matches_the_followed_people_among_its_authors_not_their_namesakes_initials()
    {
        var followed = new[] { "Yann LeCun", "Ian J. Goodfellow", "Yves Other" }.Select(Name).ToList();

        var matched = ArxivAuthorBatches.Matching(["Ian Goodfellow", "Y. Le Cun", "Zed Other"], followed);

        Assert.Equal([followed[0], followed[1]], matched);
    }

    private static string Letters(int i) => new([(char)('a' + (i % 26)), (char)('a' + (i / 26 % 26)), (char)('a' + (i / 676 % 26))]);
}
