using ReadingBot.Core.Recommendations;

namespace ReadingBot.Core.Tests.Recommendations;

/// <summary>A synthetic corpus with topical clusters: words of one topic's vocabulary among shared filler words.</summary>
internal static class TopicCorpus
{
    public const int Topics = 5;
    public const int PerTopic = 200;

    /// <summary>Topic t's papers are keys t*200 .. t*200+199.</summary>
    public static List<FeatureDocument> Build(int seed = 7, double topicShare = 0.25)
    {
        var random = new Random(seed);
        var filler = Enumerable.Range(0, 400).Select(i => Word(random, 4 + (i % 5))).Distinct().ToArray();
        var topicWords = Enumerable.Range(0, Topics).Select(_ => Enumerable.Range(0, 40).Select(i => Word(random, 5 + (i % 4))).ToArray()).ToArray();
        var docs = new List<FeatureDocument>();
        for (var t = 0; t < Topics; t++)
        {
            for (var i = 0; i < PerTopic; i++)
            {
                string Next() => random.NextDouble() < topicShare
                    ? topicWords[t][Zipf(random, topicWords[t].Length)]
                    : filler[Zipf(random, filler.Length)];
                var title = string.Join(' ', Enumerable.Range(0, 7).Select(_ => Next()));
                var abstractText = string.Join(' ', Enumerable.Range(0, 90).Select(_ => Next())) + ".";
                docs.Add(new FeatureDocument($"synthetic:{(t * PerTopic) + i}", title, abstractText, [$"Author {Word(random, 6)}"]));
            }
        }

        return docs;
    }

    public static int TopicOf(int index) => index / PerTopic;

    private static string Word(Random random, int length) => new(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray());

    // Zipf-like rank: a few words very common, most rare.
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Pow(n + 1, random.NextDouble())) - 1);

    /// <summary>The share of (positive, negative) pairs the scores order correctly (ties count half).</summary>
    public static double Auc(IReadOnlyList<float> positives, IReadOnlyList<float> negatives)
    {
        double wins = 0;
        foreach (var p in positives)
        {
            foreach (var n in negatives)
            {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }

        return wins / (positives.Count * (double)negatives.Count);
    }
}

public sealed class ModelQualityTests
{
    private static readonly List<FeatureDocument> Corpus = TopicCorpus.Build();
    private static readonly FeatureSpace Space = FeatureSpace.Fit(Corpus, new FeatureOptions { MaxFeatures = 3000 }, 1);
    private static readonly SparseRow[] Rows = Corpus.Select(Space.Transform).ToArray();

    [Fact]
    public void A_linear_svm_trained_on_a_few_likes_ranks_held_out_papers_of_the_same_topic_above_the_rest()
    {
        var liked = Enumerable.Range(0, 12).ToHashSet();
        var examples = Enumerable.Range(0, Rows.Length).Select(i => new TrainingExample(Rows[i], liked.Contains(i), 1.0)).ToList();
        var model = LinearModels.TrainSvm(examples, Space.Count, Space.Version);

        var heldOut = Enumerable.Range(12, TopicCorpus.PerTopic - 12).Select(i => model.Score(Rows[i])).ToList();
        var others = Enumerable.Range(TopicCorpus.PerTopic, Rows.Length - TopicCorpus.PerTopic).Select(i => model.Score(Rows[i])).ToList();

        Assert.True(TopicCorpus.Auc(heldOut, others) > 0.95, $"AUC {TopicCorpus.Auc(heldOut, others):0.000}");
    }

    [Fact]
    public void The_centroid_of_two_likes_already_separates_the_topic()
    {
        var model = LinearModels.Centroid([(Rows[400], 1.0), (Rows[401], 1.0)], Space.Count, Space.Version);

        var sameTopic = Enumerable.Range(402, 198).Select(i => model.Score(Rows[i])).ToList();
        var others = Enumerable.Range(0, Rows.Length).Where(i => TopicCorpus.TopicOf(i) != 2).Select(i => model.Score(Rows[i])).ToList();

        Assert.True(TopicCorpus.Auc(sameTopic, others) > 0.9, $"AUC {TopicCorpus.Auc(sameTopic, others):0.000}");
    }

    [Fact]
    public void The_top_ranked_papers_of_a_trained_model_come_from_the_liked_topic_with_reasons_from_its_words()
    {
        var liked = Enumerable.Range(600, 10).ToHashSet();
        var examples = Enumerable.Range(0, Rows.Length).Select(i => new TrainingExample(Rows[i], liked.Contains(i), 1.0)).ToList();
        var model = LinearModels.TrainSvm(examples, Space.Count, Space.Version);

        var top = LinearModels.Top(model, Rows, Enumerable.Range(0, Rows.Length).Where(i => !liked.Contains(i)), 20);

        Assert.All(top, t => Assert.Equal(3, TopicCorpus.TopicOf(t.Candidate)));
        var reasons = model.Reasons(Rows[top[0].Candidate], 3).Select(Space.Display).ToList();
        Assert.Equal(3, reasons.Count);
        var topicText = string.Join(' ', Enumerable.Range(600, 200).Select(i => Corpus[i].Title + " " + Corpus[i].Abstract));
        Assert.All(reasons, r => Assert.Contains(r.Split(' ')[0], topicText, StringComparison.Ordinal));
    }

    [Fact]
    public void Features_are_unigrams_and_bigrams_bounded_by_the_limit_and_rows_are_unit_length()
    {
        Assert.Equal(3000, Space.Count);
        Assert.Contains(Space.Terms, t => t.Contains(' ', StringComparison.Ordinal) && !t.StartsWith("a:", StringComparison.Ordinal));
        Assert.Contains(Space.Terms, t => !t.Contains(' ', StringComparison.Ordinal));
        Assert.All(Rows.Take(50), r => Assert.InRange(Math.Sqrt(Enumerable.Range(0, r.Count).Sum(k => (double)r.ValueAt(k) * r.ValueAt(k))), 0.98, 1.02));
        Assert.All(Rows.Take(50), r => Assert.True(r.Indices.Zip(r.Indices.Skip(1)).All(p => p.First < p.Second)));
    }

    [Fact]
    public void Bigram_counting_stays_bounded_and_still_keeps_the_frequent_bigrams()
    {
        var bounded = FeatureSpace.Fit(Corpus, new FeatureOptions { MaxFeatures = 3000, MaxBigramCandidates = 10_000 }, 2);

        var frequentBigrams = Space.Terms.Take(200).Where(t => t.Contains(' ', StringComparison.Ordinal) && !t.StartsWith("a:", StringComparison.Ordinal)).ToList();
        Assert.All(frequentBigrams, b => Assert.Contains(b, bounded.Terms));
    }

    [Fact]
    public void A_paper_with_no_text_has_an_empty_row_and_is_never_ranked()
    {
        var empty = Space.Transform(new FeatureDocument("x:1", null, null, []));
        var unknownWords = Space.Transform(new FeatureDocument("x:2", "zzzz qqqq", "the of and", []));
        var model = LinearModels.Centroid([(Rows[0], 1.0)], Space.Count, Space.Version);

        Assert.True(empty.IsEmpty);
        Assert.True(unknownWords.IsEmpty);
        Assert.Empty(LinearModels.Top(model, [empty, unknownWords], [0, 1], 5));
    }

    [Fact]
    public void Tokens_are_lower_cased_words_without_stop_words_numbers_or_plural_s()
    {
        var words = new List<string>();
        FeatureSpace.Tokenize("The Transformers use attention in 2017 and GANs, a b x2", new char[64], w => words.Add(w.ToString()));

        Assert.Equal(["transformer", "attention", "gan", "x2"], words);
    }
}
