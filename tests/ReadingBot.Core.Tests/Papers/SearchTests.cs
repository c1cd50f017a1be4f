using System.Diagnostics;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Papers;

public sealed class SearchTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static Paper P(string key, string? title, string? abstractText = null, params string[] authors) => new()
    {
        Key = key, Source = PaperSource.Url, Url = "https://example.org/" + key, Title = title, Abstract = abstractText, Authors = authors, State = MetadataState.Resolved,
    };

    [Fact]
    public void A_title_match_outranks_a_passing_mention_in_an_abstract()
    {
        var index = new GroupSearchIndex();
        index.Upsert(1, P("a", "Convolutional networks for images", "We compare with attention models briefly."));
        index.Upsert(2, P("b", "Attention is all you need", "Attention mechanisms replace recurrence."));
        index.Upsert(3, P("c", "Residual learning", "Deep residual networks."));

        var hits = index.Search("attention", 10);

        Assert.Equal([2, 1], hits.Select(h => h.Number));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public void A_query_scores_from_nothing_whatever_ran_before_it_and_a_growing_library_is_scored_in_full()
    {
        var used = new GroupSearchIndex();
        var fresh = new GroupSearchIndex();
        foreach (var index in new[] { used, fresh })
        {
            index.Upsert(1, P("a", "Convolutional networks for images", "We compare with attention models briefly."));
            index.Upsert(2, P("b", "Attention is all you need", "Attention mechanisms replace recurrence."));
        }

        used.Search("attention networks", 10);
        used.Search("attention", 1);
        foreach (var index in new[] { used, fresh })
        {
            index.Upsert(3, P("c", "Residual networks", "Deep residual networks."));
            index.Upsert(1, P("a", "Convolutional networks for images", "No mention of the other word."));
        }

        var again = used.Search("attention networks", 10);
        var expected = fresh.Search("attention networks", 10);

        Assert.Equal(expected.Select(h => (h.Number, h.Score)), again.Select(h => (h.Number, h.Score)));
        Assert.Equal([2, 3, 1], again.Select(h => h.Number));
    }

    [Fact]
    public void A_trimmed_index_grows_again_and_a_word_said_512_times_is_capped_not_wrapped_to_zero()
    {
        var trimmed = new GroupSearchIndex();
        var untrimmed = new GroupSearchIndex();
        var spam = string.Join(' ', Enumerable.Repeat("dropout", 512));
        foreach (var index in new[] { trimmed, untrimmed })
        {
            index.Upsert(1, P("a", "Dropout as regularisation", "Dropout prevents co-adaptation."));
            index.Upsert(2, P("b", "Batch normalization", spam));
        }

        trimmed.TrimExcess();
        foreach (var index in new[] { trimmed, untrimmed })
        {
            index.Upsert(3, P("c", "Dropout in recurrent networks", "Variational dropout."));
            index.Upsert(4, P("d", "Weight decay", null));
        }

        var hits = trimmed.Search("dropout", 10);

        Assert.Equal(untrimmed.Search("dropout", 10).Select(h => (h.Number, h.Score)), hits.Select(h => (h.Number, h.Score)));
        Assert.Equal([2, 1, 3], hits.Select(h => h.Number));
    }

    [Fact]
    public void Rare_words_count_more_than_common_ones_and_plurals_match()
    {
        var index = new GroupSearchIndex();
        index.Upsert(1, P("a", "Deep networks for speech"));
        index.Upsert(2, P("b", "Deep networks for vision"));
        index.Upsert(3, P("c", "Deep network distillation"));

        var hits = index.Search("deep network distillation", 10);

        Assert.Equal(3, hits[0].Number);
        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public void Authors_are_searchable()
    {
        var index = new GroupSearchIndex();
        index.Upsert(1, P("a", "Generative adversarial nets", null, "Ian Goodfellow", "Yoshua Bengio"));
        index.Upsert(2, P("b", "Neural machine translation", null, "Dzmitry Bahdanau", "Yoshua Bengio"));

        Assert.Equal([1], index.Search("goodfellow", 10).Select(h => h.Number));
        Assert.Equal(2, index.Search("bengio", 10).Count);
    }

    [Fact]
    public void A_paper_filled_in_later_is_reindexed_in_place()
    {
        var index = new GroupSearchIndex();
        index.Upsert(1, P("a", null), givenTitle: "my notes on transformers");
        Assert.Equal([1], index.Search("transformers", 10).Select(h => h.Number));

        index.Update(P("a", "Attention is all you need", "Self-attention for sequence transduction."));

        Assert.Empty(index.Search("notes", 10));
        Assert.Equal([1], index.Search("self attention", 10).Select(h => h.Number));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Searching_100k_papers_takes_milliseconds_not_seconds()
    {
        var random = new Random(7);
        var vocabulary = Enumerable.Range(0, 20_000).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => vocabulary[(int)Math.Min(vocabulary.Length - 1, Math.Abs(random.NextDouble() * random.NextDouble()) * vocabulary.Length)]));
        var index = new GroupSearchIndex();
        for (var i = 1; i <= 100_000; i++)
        {
            index.Upsert(i, P("p" + i, Words(8), Words(60), "Author " + (i % 5000)));
        }

        index.Search("w1 w2 w3", 10);
        var times = new List<double>();
        foreach (var query in new[] { "w1 w2 w3", "w10 w500", "w3000 w7 w19999", "w0", "w42 w43 w44 w45" })
        {
            var sw = Stopwatch.StartNew();
            var hits = index.Search(query, 10);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.NotEmpty(hits);
        }

        times.Sort();
        output.WriteLine($"100k papers: query times {string.Join(", ", times.Select(t => t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        Assert.True(times[2] < 250, $"median query took {times[2]} ms");
    }

    [Fact]
    public async Task Paper_search_ranks_the_groups_library_through_the_command_path()
    {
        var source = new FixedMetadataSource();
        source.Answers["arxiv:1706.03762"] = new MetadataResult.Found(P("x", "Attention Is All You Need", "Transformers use self-attention.", "Ashish Vaswani"));
        source.Answers["arxiv:1512.03385"] = new MetadataResult.Found(P("y", "Deep Residual Learning for Image Recognition", "Residual networks ease training; no attention here.", "Kaiming He"));
        source.Answers["arxiv:1409.0473"] = new MetadataResult.Found(P("z", "Neural Machine Translation by Jointly Learning to Align and Translate", "An attention mechanism aligns source and target.", "Dzmitry Bahdanau"));
        using var bot = TestBot.Create(s => s.AddSingleton<IPaperMetadataSource>(source));
        await bot.SendAsync("paper add 1706.03762");
        // The index loads on the first search, then follows additions without a rebuild.
        Assert.Contains("#1 Attention", await bot.TextAsync("paper search attention"), StringComparison.Ordinal);
        await bot.SendAsync("paper add 1512.03385");
        await bot.SendAsync("paper add 1409.0473");

        var reply = Assert.IsType<ListReply>(await bot.SendAsync("paper search attention translation"));
        var other = Assert.IsType<ListReply>(await bot.SendAsync("paper search group", user: "bob", group: new Core.Groups.GroupAddress("local", "other")));

        Assert.Equal(["#3", "#1", "#2"], reply.Items.Select(i => i.Text.Split(' ')[0]));
        Assert.Equal("paper show #3", reply.Items[0].Button!.CommandLine);
        Assert.Empty(other.Items);
        Assert.Contains("No paper in the library matches", (await bot.TextAsync("paper search quantum chromodynamics")), StringComparison.Ordinal);
        Assert.Contains("Give some words", (await bot.TextAsync("paper search the of")), StringComparison.Ordinal);
    }
}
