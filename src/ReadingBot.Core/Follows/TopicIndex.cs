namespace ReadingBot.Core.Follows;

/// <summary>A topic that matched a text, and the terms that did (as replies show them).</summary>
public readonly record struct TopicHit<T>(T Item, IReadOnlyList<string> Terms);

/// <summary>
/// Matches many texts against many topics at once. Only the topics' own words are looked up (a word of a paper that
/// no topic uses costs one failed span lookup and no allocation); each topic is checked only for texts holding its
/// rarest required word in the batch, so a day's feed against thousands of topics stays a few passes over the text.
/// </summary>
public sealed class TopicIndex<T>
{
    private readonly List<(T Item, int[][] Required, int[][] Excluded, string[] Shown)> topics = [];
    private readonly Dictionary<string, int> vocabulary = new(StringComparer.Ordinal);

    public TopicIndex(IEnumerable<(T Item, TopicQuery Query)> entries)
    {
        foreach (var (item, query) in entries)
        {
            topics.Add((item, query.Required.Select(Ids).ToArray(), query.Excluded.Select(Ids).ToArray(), query.Required.Select(TopicQuery.Show).ToArray()));
        }
    }

    /// <summary>For each text, in order, the topics it matches.</summary>
    public IReadOnlyList<IReadOnlyList<TopicHit<T>>> MatchAll(IReadOnlyList<string> texts)
    {
        var lookup = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        var sequences = new int[texts.Count][];
        var frequency = new int[vocabulary.Count];
        var present = new int[vocabulary.Count];
        Array.Fill(present, -1);
        var buffer = new List<int>(256);
        Span<char> word = stackalloc char[TopicQuery.MaxWordLength + 1];
        for (var t = 0; t < texts.Count; t++)
        {
            buffer.Clear();
            Scan(texts[t], lookup, buffer, word);
            sequences[t] = buffer.ToArray();
            foreach (var id in sequences[t])
            {
                if (id >= 0 && present[id] != t)
                {
                    present[id] = t;
                    frequency[id]++;
                }
            }
        }

        // Each topic waits on its rarest required word; a topic with a word no text has matches nothing today.
        var anchored = new List<int>?[vocabulary.Count];
        for (var k = 0; k < topics.Count; k++)
        {
            var anchor = -1;
            foreach (var term in topics[k].Required)
            {
                foreach (var id in term)
                {
                    if (anchor < 0 || frequency[id] < frequency[anchor])
                    {
                        anchor = id;
                    }
                }
            }

            if (anchor >= 0 && frequency[anchor] > 0)
            {
                (anchored[anchor] ??= []).Add(k);
            }
        }

        Array.Fill(present, -1);
        var visited = new int[vocabulary.Count];
        Array.Fill(visited, -1);
        var results = new IReadOnlyList<TopicHit<T>>[texts.Count];
        for (var t = 0; t < texts.Count; t++)
        {
            var sequence = sequences[t];
            foreach (var id in sequence)
            {
                if (id >= 0)
                {
                    present[id] = t;
                }
            }

            List<TopicHit<T>>? hits = null;
            foreach (var id in sequence)
            {
                if (id < 0 || visited[id] == t || anchored[id] is not { } candidates)
                {
                    continue;
                }

                visited[id] = t;

                foreach (var k in candidates)
                {
                    var topic = topics[k];
                    if (HoldsAll(topic.Required, sequence, present, t) && !HoldsAny(topic.Excluded, sequence, present, t))
                    {
                        (hits ??= []).Add(new TopicHit<T>(topic.Item, topic.Shown));
                    }
                }
            }

            results[t] = hits ?? (IReadOnlyList<TopicHit<T>>)[];
        }

        return results;
    }

    private int[] Ids(string[] term) => term.Select(w =>
    {
        if (!vocabulary.TryGetValue(w, out var id))
        {
            id = vocabulary.Count;
            vocabulary[w] = id;
        }

        return id;
    }).ToArray();

    /// <summary>The text as word ids, -1 for a word no topic uses (it still breaks a phrase).</summary>
    private static void Scan(string text, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, List<int> into, Span<char> buffer)
    {
        var scanner = new TopicWords.Scanner(text, buffer);
        while (scanner.Next(out var word))
        {
            into.Add(!word.IsEmpty && lookup.TryGetValue(word, out var id) ? id : -1);
        }
    }

    private static bool HoldsAll(int[][] terms, int[] sequence, int[] present, int text)
    {
        foreach (var term in terms)
        {
            if (!Holds(term, sequence, present, text))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HoldsAny(int[][] terms, int[] sequence, int[] present, int text)
    {
        foreach (var term in terms)
        {
            if (Holds(term, sequence, present, text))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(int[] term, int[] sequence, int[] present, int text)
    {
        foreach (var id in term)
        {
            if (present[id] != text)
            {
                return false;
            }
        }

        if (term.Length == 1)
        {
            return true;
        }

        for (var i = 0; i + term.Length <= sequence.Length; i++)
        {
            var j = 0;
            while (j < term.Length && sequence[i + j] == term[j])
            {
                j++;
            }

            if (j == term.Length)
            {
                return true;
            }
        }

        return false;
    }
}
