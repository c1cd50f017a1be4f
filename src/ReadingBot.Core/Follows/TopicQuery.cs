using System.Text;

namespace ReadingBot.Core.Follows;

/// <summary>
/// A followed topic: words and "quoted phrases" that must all appear in a paper's title or abstract, and
/// <c>-excluded</c> words or phrases that must not. Words compare lower-cased, without diacritics and without a plural
/// <c>s</c>, so "Transformers" meets "transformer".
/// </summary>
public sealed record TopicQuery(IReadOnlyList<string[]> Required, IReadOnlyList<string[]> Excluded)
{
    public const int MaxTerms = 12;
    public const int MaxWordLength = 40;

    /// <summary>The normalised form two spellings of one topic share: the store's key.</summary>
    public string Key => string.Join(' ', Required.Select(Show).Order(StringComparer.Ordinal))
        + string.Concat(Excluded.Select(t => " -" + Show(t)).Order(StringComparer.Ordinal));

    /// <summary>A term as replies show it: a word, or a phrase in quotes.</summary>
    public static string Show(string[] term) => term.Length == 1 ? term[0] : "\"" + string.Join(' ', term) + "\"";

    /// <summary>Reads <c>diffusion "world model" -medical</c>; a problem in one line when nothing usable is left.</summary>
    public static (TopicQuery? Query, string? Problem) Parse(string text)
    {
        var required = new List<string[]>();
        var excluded = new List<string[]>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var negative = text[i] == '-';
            if (negative)
            {
                i++;
            }

            string raw;
            var quoted = i < text.Length && text[i] is '"' or '“' or '”';
            if (quoted)
            {
                var end = text.IndexOfAny(['"', '“', '”'], i + 1);
                raw = end < 0 ? text[(i + 1)..] : text[(i + 1)..end];
                i = end < 0 ? text.Length : end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                raw = text[i..end];
                i = end;
            }

            if (raw.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.Count(char.IsLetterOrDigit) > MaxWordLength))
            {
                return (null, $"Words in a topic can be at most {MaxWordLength} letters long.");
            }

            var words = Words(raw).ToArray();
            if (words.Length == 0)
            {
                continue;
            }

            // Outside quotes, "graph-neural" is two words that must both appear; inside quotes, a phrase.
            var terms = quoted || negative ? [words] : words.Select(w => new[] { w });
            (negative ? excluded : required).AddRange(terms.Where(t => !(negative ? excluded : required).Any(e => e.SequenceEqual(t))));
        }

        if (required.Count == 0)
        {
            return (null, "Give at least one word to look for, for example: /follow topic diffusion \"world model\" -medical");
        }

        if (required.Count + excluded.Count > MaxTerms)
        {
            return (null, $"A topic can have at most {MaxTerms} words and phrases.");
        }

        return (new TopicQuery(required, excluded), null);
    }

    /// <summary>The normalised words of a text, in order (the same rules the matcher applies to papers).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var scanner = new TopicWords.Scanner(text, stackalloc char[MaxWordLength + 1]);
        while (scanner.Next(out var word))
        {
            if (!word.IsEmpty)
            {
                words.Add(new string(word));
            }
        }

        return words;
    }

    public override string ToString()
    {
        var text = new StringBuilder(string.Join(' ', Required.Select(Show)));
        foreach (var term in Excluded)
        {
            text.Append(" -").Append(Show(term));
        }

        return text.ToString();
    }
}

/// <summary>The word rules topics and papers share, on spans so a day's feed is read without a string per word.</summary>
internal static class TopicWords
{
    /// <summary>
    /// Writes the word lower-cased, without diacritics and without a plural <c>s</c> into <paramref name="into"/>;
    /// returns its length (0 for a single letter, which says nothing on its own).
    /// </summary>
    public static int Normalise(ReadOnlySpan<char> word, Span<char> into)
    {
        if (word.Length < 2 || word.Length > into.Length)
        {
            return 0;
        }

        for (var i = 0; i < word.Length; i++)
        {
            var ch = word[i];
            into[i] = ch < 128
                ? (ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch)
                : char.ToLowerInvariant(NameFolding.Fold(ch));
        }

        var length = word.Length;
        // "models" → "model", "transformers" → "transformer"; "loss", "analysis" and "gas" keep theirs.
        if (length > 3 && into[length - 1] == 's' && into[length - 2] is not 's' and not 'u' and not 'i')
        {
            length--;
        }

        return length;
    }

    /// <summary>
    /// Walks a text's words without allocating: each <see cref="Next"/> gives the next word normalised into the
    /// buffer, or an empty span for a word that normalises to nothing (a single letter, or longer than the buffer),
    /// which still separates the words around it.
    /// </summary>
    public ref struct Scanner(string text, Span<char> buffer)
    {
        private readonly Span<char> buffer = buffer;
        private int position;

        public bool Next(out ReadOnlySpan<char> word)
        {
            while (position < text.Length && !IsWordChar(text[position]))
            {
                position++;
            }

            if (position >= text.Length)
            {
                word = default;
                return false;
            }

            var start = position;
            while (position < text.Length && IsWordChar(text[position]))
            {
                position++;
            }

            word = buffer[..Normalise(text.AsSpan(start, position - start), buffer)];
            return true;
        }

        private static bool IsWordChar(char ch) => ch < 128 ? char.IsAsciiLetterOrDigit(ch) : char.IsLetterOrDigit(ch);
    }
}
