using ReadingBot.Core.Follows;

namespace ReadingBot.Core.Tests.Follows;

public sealed class TopicQueryTests
{
    private static TopicQuery Parse(string text) => TopicQuery.Parse(text).Query ?? throw new InvalidOperationException(TopicQuery.Parse(text).Problem);

    private static IReadOnlyList<string> Matching(string topic, params string[] texts)
    {
        var index = new TopicIndex<string>([(topic, Parse(topic))]);
        return index.MatchAll(texts).Select((hits, i) => hits.Count > 0 ? texts[i] : null).OfType<string>().ToList();
    }

    [Fact]
    public void Words_phrases_and_exclusions_are_read_apart()
    {
        var query = Parse("Diffusion \"World Models\" -medical -\"protein folding\"");

        Assert.Equal(["diffusion", "\"world model\""], query.Required.Select(TopicQuery.Show));
        Assert.Equal(["medical", "\"protein folding\""], query.Excluded.Select(TopicQuery.Show));
        Assert.Equal("diffusion \"world model\" -medical -\"protein folding\"", query.ToString());
    }

    [Fact]
    public void Two_spellings_of_one_topic_share_a_key()
    {
        Assert.Equal(Parse("world Transformers -vision").Key, Parse("transformer  WORLD -Vision").Key);
        Assert.NotEqual(Parse("world transformers").Key, Parse("world transformers -vision").Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-medical")]
    [InlineData("\"\"")]
    [InlineData("a")]
    public void A_topic_with_nothing_to_look_for_is_refused_in_one_line(string text)
    {
        var (query, problem) = TopicQuery.Parse(text);

        Assert.Null(query);
        Assert.StartsWith("Give at least one word", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_terms_or_too_long_a_word_are_refused()
    {
        Assert.Contains("at most 12", TopicQuery.Parse(string.Join(' ', Enumerable.Range(0, 13).Select(i => "word" + (char)('a' + i)))).Problem, StringComparison.Ordinal);
        Assert.Contains("at most 40 letters", TopicQuery.Parse(new string('x', 41)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_required_word_must_appear_and_case_plurals_and_diacritics_do_not_count()
    {
        Assert.Equal(["Sparse Autoencoders for vision"], Matching("sparse autoencoder", "Sparse Autoencoders for vision", "Sparse coding", "autoencoders alone"));
        Assert.Equal(["Schrödinger bridges"], Matching("schrodinger bridge", "Schrödinger bridges"));
    }

    [Fact]
    public void A_phrase_needs_its_words_together_and_in_order()
    {
        Assert.Equal(["learned world models for planning"], Matching("\"world model\"", "learned world models for planning", "a model of the world", "world and model"));
    }

    [Fact]
    public void An_excluded_word_or_phrase_rejects_the_paper()
    {
        Assert.Equal(["diffusion for images"], Matching("diffusion -medical -\"protein folding\"", "diffusion for images", "medical diffusion", "diffusion and protein folding"));
    }

    [Fact]
    public void Words_that_only_look_plural_keep_their_s()
    {
        Assert.Equal(["a contrastive loss"], Matching("loss", "a contrastive loss", "lost"));
        Assert.Equal(["an analysis"], Matching("analysis", "an analysis"));
    }

    [Fact]
    public void Many_topics_over_many_texts_each_say_which_terms_matched()
    {
        var topics = new[] { "diffusion", "\"world model\" planning", "sparse autoencoder -vision", "graph" };
        var index = new TopicIndex<string>(topics.Select(t => (t, Parse(t))));
        var texts = new[] { "Diffusion world models for planning", "Sparse autoencoders in vision", "Sparse autoencoders in language", "nothing here" };

        var hits = index.MatchAll(texts);

        Assert.Equal(["\"world model\" planning", "diffusion"], hits[0].Select(h => h.Item).Order(StringComparer.Ordinal));
        Assert.Equal(["\"world model\"", "planning"], hits[0].Single(h => h.Item.StartsWith('"')).Terms);
        Assert.Empty(hits[1]);
        Assert.Equal("sparse autoencoder -vision", Assert.Single(hits[2]).Item);
        Assert.Empty(hits[3]);
    }
}
