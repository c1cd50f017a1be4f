using System.Text;

namespace ReadingBot.Bench;

/// <summary>
/// Abstracts of 150–250 words from a Zipfian vocabulary of 50,000 words (exponent 1.07, like English) mixed with
/// one of 50 topic vocabularies (20 % of words), titles of 8–12 words and 2–5 authors. Each paper is generated from
/// its index alone, so stores can regenerate text on demand instead of holding 100,000 abstracts in memory.
/// </summary>
internal sealed class SyntheticCorpus
{
    public const int Topics = 50;
    private readonly string[] words;
    private readonly double[] cumulative;
    private readonly string[][] topicWords;
    private readonly double[] topicCumulative;
    private readonly string[] names;

    public SyntheticCorpus(int vocabulary = 50_000, int seed = 42)
    {
        var random = new Random(seed);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (set.Count < vocabulary)
        {
            set.Add(Word(random, 3 + (int)Math.Min(9, -Math.Log(1 - random.NextDouble()) * 3)));
        }

        words = [.. set];
        cumulative = Cdf(vocabulary, 1.07);
        topicWords = Enumerable.Range(0, Topics).Select(_ => Enumerable.Range(0, 300).Select(_ => Word(random, 5 + random.Next(6))).ToArray()).ToArray();
        topicCumulative = Cdf(300, 1.0);
        names = Enumerable.Range(0, 5000).Select(_ => Capital(Word(random, 4 + random.Next(4))) + " " + Capital(Word(random, 5 + random.Next(5)))).ToArray();
    }

    public static int TopicOf(int index) => index % Topics;

    /// <summary>The 5,000 author names papers draw from.</summary>
    public IReadOnlyList<string> Names => names;

    public (string Title, string Abstract, string[] Authors) Paper(int index)
    {
        var random = new Random(unchecked((index * 7919) + 1));
        var topic = TopicOf(index);
        var title = Sentence(random, topic, 8 + random.Next(5));
        var abstractText = Sentence(random, topic, 150 + random.Next(101));
        var authors = Enumerable.Range(0, 2 + random.Next(4)).Select(_ => names[random.Next(names.Length)]).ToArray();
        return (title, abstractText, authors);
    }

    private string Sentence(Random random, int topic, int length)
    {
        var sb = new StringBuilder(length * 8);
        for (var i = 0; i < length; i++)
        {
            if (i > 0)
            {
                sb.Append(i % 17 == 0 ? ". " : " ");
            }

            sb.Append(random.NextDouble() < 0.2 ? topicWords[topic][Sample(topicCumulative, random)] : words[Sample(cumulative, random)]);
        }

        return sb.Append('.').ToString();
    }

    private static int Sample(double[] cdf, Random random)
    {
        var i = Array.BinarySearch(cdf, random.NextDouble());
        return Math.Min(cdf.Length - 1, i < 0 ? ~i : i);
    }

    private static double[] Cdf(int n, double exponent)
    {
        var cdf = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, exponent);
            cdf[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            cdf[i] /= sum;
        }

        return cdf;
    }

    private static string Word(Random random, int length) => new(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray());

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
