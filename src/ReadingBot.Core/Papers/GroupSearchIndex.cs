using System.Runtime.InteropServices;

namespace ReadingBot.Core.Papers;

/// <summary>
/// The inverted index of one group's library and its BM25 ranking: entries are indexed and queries read with
/// <see cref="SearchTokenizer"/>, so both meet on the same words.
/// </summary>
public sealed class GroupSearchIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int TitleWeight = 3;
    private const int AuthorWeight = 2;

    private readonly Lock gate = new();
    private readonly Dictionary<string, TermPostings> postings = new(StringComparer.Ordinal);
    private readonly List<Doc> docs = [];

    // The fields a query reads for every posting, kept in arrays parallel to docs: a long posting list is scored by
    // walking memory in order instead of visiting one object per document.
    private readonly List<int> docLengths = [];
    private readonly List<bool> docAlive = [];

    // A query's scores by document id, reused (queries run under the lock), and the ids it touched.
    private double[] scoreBuffer = [];
    private readonly List<int> touched = [];
    private readonly Dictionary<int, int> byNumber = [];
    private readonly Dictionary<string, List<int>> byPaper = new(StringComparer.Ordinal);
    private long totalLength;
    private int alive;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return alive;
            }
        }
    }

    /// <summary>Indexes (or re-indexes) the library entry <paramref name="number"/>.</summary>
    public void Upsert(int number, Paper paper, string? givenTitle = null, string? extraText = null)
    {
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        Add(terms, paper.Title ?? givenTitle, TitleWeight);
        foreach (var author in paper.Authors)
        {
            Add(terms, author, AuthorWeight);
        }

        Add(terms, paper.Abstract, 1);
        Add(terms, extraText, 1);
        var length = terms.Values.Sum();
        lock (gate)
        {
            if (byNumber.TryGetValue(number, out var old))
            {
                Retire(old);
            }

            var id = docs.Count;
            docs.Add(new Doc(number, paper.Key, givenTitle));
            docLengths.Add(length);
            docAlive.Add(true);
            byNumber[number] = id;
            if (!byPaper.TryGetValue(paper.Key, out var ids))
            {
                byPaper[paper.Key] = ids = [];
            }

            ids.Add(id);
            foreach (var (term, tf) in terms)
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = new TermPostings();
                }

                list.Add(id, tf);
            }

            totalLength += length;
            alive++;
        }
    }

    /// <summary>Re-indexes every entry of this group that holds <paramref name="paper"/>.</summary>
    public void Update(Paper paper, Func<int, string?>? extraText = null)
    {
        List<(int Number, string? Given)> entries;
        lock (gate)
        {
            if (!byPaper.TryGetValue(paper.Key, out var ids))
            {
                return;
            }

            entries = ids.Where(i => docAlive[i]).Select(i => (docs[i].Number, docs[i].GivenTitle)).ToList();
        }

        foreach (var (number, given) in entries)
        {
            Upsert(number, paper, given, extraText?.Invoke(number));
        }
    }

    /// <summary>Gives back the room the posting arrays grew into, after a bulk load (later additions grow them again).</summary>
    public void TrimExcess()
    {
        lock (gate)
        {
            foreach (var list in postings.Values)
            {
                list.TrimExcess();
            }
        }
    }

    public IReadOnlyList<SearchHit> Search(string query, int limit)
    {
        var queryTerms = SearchTokenizer.Tokens(query).Distinct(StringComparer.Ordinal).ToList();
        if (queryTerms.Count == 0 || limit <= 0)
        {
            return [];
        }

        lock (gate)
        {
            if (alive == 0)
            {
                return [];
            }

            var averageLength = Math.Max(1.0, (double)totalLength / alive);
            if (scoreBuffer.Length < docs.Count)
            {
                scoreBuffer = new double[Math.Max(docs.Count, scoreBuffer.Length * 2)];
            }

            var scores = scoreBuffer;
            var live = CollectionsMarshal.AsSpan(docAlive);
            var lengths = CollectionsMarshal.AsSpan(docLengths);
            touched.Clear();
            foreach (var term in queryTerms)
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    continue;
                }

                var ids = list.Docs;
                var tfs = list.Tfs;

                // Document frequency over live documents only: re-indexed papers leave dead postings behind.
                var df = 0;
                foreach (var doc in ids)
                {
                    if (live[doc])
                    {
                        df++;
                    }
                }

                if (df == 0)
                {
                    continue;
                }

                var idf = Math.Log(1 + ((alive - df + 0.5) / (df + 0.5)));
                var lengthWeight = K1 * B / averageLength;
                for (var i = 0; i < ids.Length; i++)
                {
                    var doc = ids[i];
                    if (!live[doc])
                    {
                        continue;
                    }

                    double tf = tfs[i];
                    var score = idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B)) + (lengthWeight * lengths[doc]));
                    if (scores[doc] == 0)
                    {
                        touched.Add(doc);
                    }

                    scores[doc] += score;
                }
            }

            var top = new PriorityQueue<int, (double Score, int Negative)>();
            foreach (var doc in touched)
            {
                // Ties go to the older entry (lower number): the min-heap keeps the best `limit`.
                var key = (scores[doc], -docs[doc].Number);
                scores[doc] = 0;
                if (top.Count < limit)
                {
                    top.Enqueue(doc, key);
                }
                else if (top.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
                {
                    top.DequeueEnqueue(doc, key);
                }
            }

            var hits = new List<SearchHit>(top.Count);
            while (top.TryDequeue(out var doc, out var key))
            {
                hits.Add(new SearchHit(docs[doc].Number, docs[doc].PaperKey, key.Score));
            }

            hits.Reverse();
            return hits;
        }
    }

    private void Retire(int id)
    {
        var doc = docs[id];
        if (!docAlive[id])
        {
            return;
        }

        docAlive[id] = false;
        totalLength -= docLengths[id];
        alive--;
        if (byPaper.TryGetValue(doc.PaperKey, out var ids))
        {
            ids.Remove(id);
        }
    }

    private static void Add(Dictionary<string, int> terms, string? text, int weight)
    {
        foreach (var token in SearchTokenizer.Tokens(text))
        {
            terms[token] = terms.TryGetValue(token, out var tf) ? tf + weight : weight;
        }
    }

    /// <summary>
    /// One term's postings as two parallel arrays, 5 bytes a posting: the document id, and the weighted term frequency
    /// in a byte (capped at 255, far past where BM25 saturates, so the cap does not change a ranking in practice).
    /// </summary>
    private sealed class TermPostings
    {
        private int[] docs = new int[1];
        private byte[] tfs = new byte[1];
        private int count;

        public ReadOnlySpan<int> Docs => docs.AsSpan(0, count);

        public ReadOnlySpan<byte> Tfs => tfs.AsSpan(0, count);

        public void Add(int doc, int tf)
        {
            if (count == docs.Length)
            {
                Array.Resize(ref docs, count * 2);
                Array.Resize(ref tfs, count * 2);
            }

            docs[count] = doc;
            tfs[count] = (byte)Math.Min(tf, byte.MaxValue);
            count++;
        }

        public void TrimExcess()
        {
            if (count < docs.Length)
            {
                Array.Resize(ref docs, Math.Max(1, count));
                Array.Resize(ref tfs, Math.Max(1, count));
            }
        }
    }

    private sealed class Doc(int number, string paperKey, string? givenTitle)
    {
        public int Number { get; } = number;
        public string PaperKey { get; } = paperKey;
        public string? GivenTitle { get; } = givenTitle;
    }
}
