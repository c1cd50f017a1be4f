using System.Globalization;

namespace ReadingBot.Core.Papers;

/// <summary>
/// The words the library search indexes and looks for: the same rules for papers and queries, so a query word meets
/// the indexed one. (The recommender's tf-idf has its own, stricter tokenizer in <see cref="Recommendations.FeatureSpace"/>.)
/// </summary>
internal static class SearchTokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "that", "the", "this", "to", "we", "with", "our", "via", "its",
    };

    /// <summary>Lower-cased words and numbers, stop words dropped, a plural <c>s</c> stripped.</summary>
    public static IEnumerable<string> Tokens(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].ToLower(CultureInfo.InvariantCulture);
                start = -1;
                if (word.Length < 2 || StopWords.Contains(word))
                {
                    continue;
                }

                if (word.Length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i'))
                {
                    word = word[..^1];
                }

                yield return word;
            }
        }
    }
}
