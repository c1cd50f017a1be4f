using System.Globalization;

namespace ReadingBot.Core.Recommendations;

/// <summary>The text of one paper that features are computed from.</summary>
public sealed record FeatureDocument(string Key, string? Title, string? Abstract, IReadOnlyList<string> Authors)
{
    public static FeatureDocument Of(Papers.Paper paper, string? fallbackText = null) =>
        new(paper.Key, paper.Title, paper.Abstract ?? fallbackText, paper.Authors);
}

/// <summary>Limits of the tf-idf vocabulary.</summary>
public sealed record FeatureOptions
{
    /// <summary>The most features kept (the most frequent unigrams and bigrams by document frequency); at most 65,536.</summary>
    public int MaxFeatures { get; init; } = 20_000;

    /// <summary>A term must occur in at least this many documents (1 for libraries under 200 papers).</summary>
    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>Terms in more than this share of documents carry no information and are dropped.</summary>
    public double MaxDocumentShare { get; init; } = 0.5;

    /// <summary>
    /// Distinct bigrams counted at once while fitting. When the table is full, rare bigrams are pruned (lossy
    /// counting), so fitting memory stays bounded however large the corpus.
    /// </summary>
    public int MaxBigramCandidates { get; init; } = 2_000_000;
}

/// <summary>
/// A fitted tf-idf vocabulary over titles, abstracts and authors: unigrams and bigrams (within a title or an
/// abstract), each author as one term, sublinear tf (1 + ln tf), smooth idf, rows L2-normalised. Fitting reads the
/// corpus twice and bounds its memory; the result is immutable and can transform new papers (fold-in) with the
/// same feature ids until the next fit.
/// </summary>
public sealed class FeatureSpace
{
    private const string AuthorPrefix = "a:";

    private static readonly HashSet<string> StopWords = new(
        [
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
            "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "et", "al", "few", "for", "from",
            "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "if", "in", "into", "is", "it", "its",
            "itself", "just", "may", "me", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
            "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these",
            "they", "this", "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "use", "used", "using", "very", "via", "was", "we", "were", "what",
            "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "you", "your", "paper", "propose", "proposed",
            "show", "shows", "present", "new", "based", "one", "two", "well", "many", "often", "i", "e", "g",
        ],
        StringComparer.Ordinal);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopLookup = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly Dictionary<string, int> unigramIds;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> unigramLookup;
    private readonly int[] unigramFeature;
    private readonly Dictionary<long, int> bigramFeature;
    private readonly float[] idf;

    private FeatureSpace(Dictionary<string, int> unigramIds, int[] unigramFeature, Dictionary<long, int> bigramFeature, string[] terms, float[] idf, int documents, long version)
    {
        this.unigramIds = unigramIds;
        unigramLookup = unigramIds.GetAlternateLookup<ReadOnlySpan<char>>();
        this.unigramFeature = unigramFeature;
        this.bigramFeature = bigramFeature;
        Terms = terms;
        this.idf = idf;
        Documents = documents;
        Version = version;
    }

    /// <summary>The feature names: a word, two words, or an author (<c>a:</c> prefix; see <see cref="Display"/>).</summary>
    public IReadOnlyList<string> Terms { get; }

    public IReadOnlyList<float> Idf => idf;

    public int Count => Terms.Count;

    /// <summary>How many documents the vocabulary was fitted on.</summary>
    public int Documents { get; }

    /// <summary>Changes with every fit: models trained on another version use other feature ids.</summary>
    public long Version { get; }

    /// <summary>A feature name as a person reads it.</summary>
    public string Display(int feature)
    {
        var term = Terms[feature];
        return term.StartsWith(AuthorPrefix, StringComparison.Ordinal)
            ? "author " + CultureInfo.InvariantCulture.TextInfo.ToTitleCase(term[AuthorPrefix.Length..])
            : term;
    }

    /// <summary>Fits the vocabulary on <paramref name="documents"/> (enumerated twice: once to count, once to select).</summary>
    public static FeatureSpace Fit(IEnumerable<FeatureDocument> documents, FeatureOptions options, long version)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var unigramDf = new List<int>();
        var bigramDf = new Dictionary<long, int>(PairComparer.Instance);
        var docUnigrams = new HashSet<int>();
        var docBigrams = new HashSet<long>(PairComparer.Instance);
        var sequence = new List<int>();
        var pruneBelow = 1;
        var n = 0;
        var buffer = new char[64];
        foreach (var doc in documents)
        {
            n++;
            docUnigrams.Clear();
            docBigrams.Clear();
            foreach (var text in new[] { doc.Title, doc.Abstract })
            {
                sequence.Clear();
                Tokenize(text, buffer, word =>
                {
                    if (!lookup.TryGetValue(word, out var id))
                    {
                        id = ids.Count;
                        lookup[word] = id;
                        unigramDf.Add(0);
                    }

                    sequence.Add(id);
                });
                for (var i = 0; i < sequence.Count; i++)
                {
                    docUnigrams.Add(sequence[i]);
                    if (i > 0)
                    {
                        docBigrams.Add(Pair(sequence[i - 1], sequence[i]));
                    }
                }
            }

            foreach (var author in doc.Authors)
            {
                if (AuthorTerm(author) is { } term)
                {
                    if (!ids.TryGetValue(term, out var id))
                    {
                        id = ids.Count;
                        ids[term] = id;
                        unigramDf.Add(0);
                    }

                    docUnigrams.Add(id);
                }
            }

            foreach (var id in docUnigrams)
            {
                unigramDf[id]++;
            }

            foreach (var pair in docBigrams)
            {
                bigramDf[pair] = bigramDf.TryGetValue(pair, out var c) ? c + 1 : 1;
            }

            if (bigramDf.Count > options.MaxBigramCandidates)
            {
                // Lossy counting: drop the rarest bigrams; a bigram frequent enough to be kept comes back often.
                foreach (var (pair, count) in bigramDf)
                {
                    if (count <= pruneBelow)
                    {
                        bigramDf.Remove(pair);
                    }
                }

                if (bigramDf.Count > options.MaxBigramCandidates / 2)
                {
                    pruneBelow++;
                }
            }
        }

        var minDf = n < 200 ? 1 : Math.Max(1, options.MinDocumentFrequency);
        var maxDf = n < 20 ? n : Math.Max(minDf, (int)(options.MaxDocumentShare * n));
        var candidates = new List<(long Id, int Df, bool Bigram)>();
        for (var i = 0; i < unigramDf.Count; i++)
        {
            if (unigramDf[i] >= minDf && unigramDf[i] <= maxDf)
            {
                candidates.Add((i, unigramDf[i], false));
            }
        }

        foreach (var (pair, df) in bigramDf)
        {
            if (df >= Math.Max(2, minDf) && df <= maxDf)
            {
                candidates.Add((pair, df, true));
            }
        }

        var selected = candidates
            .OrderByDescending(c => c.Df).ThenBy(c => c.Bigram).ThenBy(c => c.Id)
            .Take(Math.Min(options.MaxFeatures, 65_536))
            .ToList();
        var names = new string[ids.Count];
        foreach (var (name, id) in ids)
        {
            names[id] = name;
        }

        var unigramFeature = new int[ids.Count];
        Array.Fill(unigramFeature, -1);
        var bigramFeature = new Dictionary<long, int>(PairComparer.Instance);
        var terms = new string[selected.Count];
        var idf = new float[selected.Count];
        for (var f = 0; f < selected.Count; f++)
        {
            var (id, df, bigram) = selected[f];
            if (bigram)
            {
                bigramFeature[id] = f;
                terms[f] = names[(int)(id >> 32)] + " " + names[(int)(id & 0xFFFFFFFF)];
            }
            else
            {
                unigramFeature[id] = f;
                terms[f] = names[id];
            }

            idf[f] = (float)(Math.Log((1.0 + n) / (1.0 + df)) + 1.0);
        }

        // Unigrams that are neither features nor parts of a feature bigram are not needed to transform.
        var needed = new HashSet<int>();
        foreach (var pair in bigramFeature.Keys)
        {
            needed.Add((int)(pair >> 32));
            needed.Add((int)(pair & 0xFFFFFFFF));
        }

        var keptIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var keptFeature = new List<int>();
        var remap = new Dictionary<int, int>();
        for (var id = 0; id < names.Length; id++)
        {
            if (unigramFeature[id] >= 0 || needed.Contains(id))
            {
                remap[id] = keptFeature.Count;
                keptIds[names[id]] = keptFeature.Count;
                keptFeature.Add(unigramFeature[id]);
            }
        }

        var keptBigrams = new Dictionary<long, int>(bigramFeature.Count, PairComparer.Instance);
        foreach (var (pair, f) in bigramFeature)
        {
            keptBigrams[Pair(remap[(int)(pair >> 32)], remap[(int)(pair & 0xFFFFFFFF)])] = f;
        }

        return new FeatureSpace(keptIds, [.. keptFeature], keptBigrams, terms, idf, n, version);
    }

    /// <summary>The L2-normalised tf-idf row of a document (empty when it has no known term).</summary>
    public SparseRow Transform(FeatureDocument doc)
    {
        var counts = new Dictionary<int, int>();
        var buffer = new char[64];
        var previous = -1;
        foreach (var text in new[] { doc.Title, doc.Abstract })
        {
            previous = -1;
            Tokenize(text, buffer, word =>
            {
                if (!unigramLookup.TryGetValue(word, out var id))
                {
                    previous = -1;
                    return;
                }

                var f = unigramFeature[id];
                if (f >= 0)
                {
                    counts[f] = counts.TryGetValue(f, out var c) ? c + 1 : 1;
                }

                if (previous >= 0 && bigramFeature.TryGetValue(Pair(previous, id), out var bf))
                {
                    counts[bf] = counts.TryGetValue(bf, out var c) ? c + 1 : 1;
                }

                previous = id;
            });
        }

        foreach (var author in doc.Authors)
        {
            if (AuthorTerm(author) is { } term && unigramIds.TryGetValue(term, out var id) && unigramFeature[id] is var f and >= 0)
            {
                counts[f] = 1;
            }
        }

        if (counts.Count == 0)
        {
            return SparseRow.Empty;
        }

        var indices = counts.Keys.ToArray();
        Array.Sort(indices);
        var values = new float[indices.Length];
        double norm = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var v = (1.0 + Math.Log(counts[indices[i]])) * idf[indices[i]];
            values[i] = (float)v;
            norm += v * v;
        }

        var scale = (float)(1.0 / Math.Sqrt(norm));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }

        return SparseRow.FromValues(indices, values);
    }

    private static long Pair(int first, int second) => ((long)first << 32) | (uint)second;

    /// <summary>
    /// Hashes a pair of word ids well: <see cref="long.GetHashCode"/> xors the halves, so pairs of small ids collide
    /// by the thousand and the bigram table degrades to linear scans.
    /// </summary>
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)((ulong)obj * 0x9E3779B97F4A7C15UL >> 32);
    }

    private static string? AuthorTerm(string author)
    {
        var letters = new string(author.Where(c => char.IsLetter(c) || c == ' ' || c == '-').ToArray()).Trim().ToLowerInvariant();
        return letters.Length < 3 ? null : AuthorPrefix + string.Join(' ', letters.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Lower-cased words of letters and digits (words of digits only, one-letter words and stop words dropped, a
    /// plural <c>s</c> stripped), handed to <paramref name="onWord"/> as spans of a reused buffer: no string per token.
    /// </summary>
    public static void Tokenize(string? text, char[] buffer, WordAction onWord)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var length = 0;
        var letters = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }

                letters |= char.IsLetter(c);
                continue;
            }

            if (length >= 2 && letters)
            {
                var word = buffer.AsSpan(0, length);
                if (length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i'))
                {
                    word = word[..^1];
                }

                if (!StopLookup.Contains(word))
                {
                    onWord(word);
                }
            }

            length = 0;
            letters = false;
        }
    }

    /// <summary>Receives one token.</summary>
    public delegate void WordAction(ReadOnlySpan<char> word);
}
