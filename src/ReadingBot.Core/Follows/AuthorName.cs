using System.Text;

namespace ReadingBot.Core.Follows;

/// <summary>
/// A researcher's name as papers print it, reduced to what decides whether two spellings are one person: the
/// surname with its particles joined (<c>Le Cun</c> and <c>LeCun</c> are one surname), and the given names, each
/// possibly only an initial. Case and diacritics do not count (<c>Schölkopf</c> is <c>Scholkopf</c>).
/// </summary>
public sealed record AuthorName(string Surname, IReadOnlyList<string> GivenNames, IReadOnlyList<string> SurnameWords)
{
    // Particles that belong to the surname after them: "Yann Le Cun", "Ludwig van Beethoven", "Maria de la Cruz".
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "le", "la", "de", "del", "della", "der", "den", "di", "da", "du", "van", "von", "ter", "ten", "dos", "das", "st",
    };

    /// <summary>Reads <c>Yann LeCun</c>, <c>Y. LeCun</c>, <c>Yann Le Cun</c> or <c>LeCun, Yann</c>; null when no surname is left.</summary>
    public static AuthorName? Parse(string name)
    {
        string[] given;
        string[] family;
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            family = Words(name[..comma]);
            given = Words(name[(comma + 1)..]);
        }
        else
        {
            var words = Words(name);
            if (words.Length == 0)
            {
                return null;
            }

            // The particles before the last word join the surname, but the first word is always a given name.
            var start = words.Length - 1;
            while (start > 1 && Particles.Contains(words[start - 1].ToLowerInvariant()))
            {
                start--;
            }

            family = words[start..];
            given = words[..start];
        }

        if (family.Length == 0)
        {
            return null;
        }

        var surnameWords = family.Select(w => w.ToLowerInvariant()).ToList();
        return new AuthorName(string.Concat(surnameWords), given.SelectMany(SplitInitials).Select(g => g.ToLowerInvariant()).ToList(), surnameWords);
    }

    /// <summary>
    /// One person: the same surname, and given names that agree as far as both go, where an initial agrees with any
    /// name it starts (<c>Y.</c> with <c>Yann</c>). A missing middle name is no disagreement (<c>Ian Goodfellow</c>
    /// and <c>Ian J. Goodfellow</c>); a different one is.
    /// </summary>
    public bool SamePersonAs(AuthorName other)
    {
        if (!string.Equals(Surname, other.Surname, StringComparison.Ordinal))
        {
            return false;
        }

        if (GivenNames.Count == 0 || other.GivenNames.Count == 0)
        {
            return true;
        }

        if (!Agree(GivenNames[0], other.GivenNames[0]))
        {
            return false;
        }

        for (var i = 1; i < Math.Min(GivenNames.Count, other.GivenNames.Count); i++)
        {
            if (!Agree(GivenNames[i], other.GivenNames[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The arXiv <c>au:</c> terms that find this surname in either spelling: joined, and split after a particle
    /// (<c>au:lecun</c> and <c>au:le_cun</c>, whichever way the follower wrote it). arXiv matches words, so each
    /// spelling needs its own term; the extra ones only widen the search, and <see cref="SamePersonAs"/> filters.
    /// </summary>
    public IReadOnlyList<string> ArxivTerms()
    {
        var terms = new List<string> { "au:" + Surname };
        if (SurnameWords.Count > 1)
        {
            terms.Add("au:" + string.Join('_', SurnameWords));
        }
        else
        {
            terms.AddRange(Particles.Where(p => Surname.StartsWith(p, StringComparison.Ordinal) && Surname.Length - p.Length >= 3)
                .Order(StringComparer.Ordinal).Select(p => $"au:{p}_{Surname[p.Length..]}"));
        }

        return terms;
    }

    /// <summary>The name as one line: given names (initials with a dot) and the surname words.</summary>
    public override string ToString() =>
        string.Join(' ', GivenNames.Select(g => g.Length == 1 ? g.ToUpperInvariant() + "." : char.ToUpperInvariant(g[0]) + g[1..])
            .Concat(SurnameWords.Select(w => char.ToUpperInvariant(w[0]) + w[1..])));

    private static bool Agree(string a, string b) =>
        a.Length == 1 || b.Length == 1 ? a[0] == b[0] : string.Equals(a, b, StringComparison.Ordinal);

    // "J.-P." or "JP" written as initials are two given names.
    private static IEnumerable<string> SplitInitials(string word) =>
        word.Length is 2 or 3 && word.All(char.IsAsciiLetterUpper) ? word.Select(c => c.ToString()) : [word];

    // Letters kept with their case (initials written as "JP" are found by it), apostrophes dropped (O'Brien is
    // OBrien), everything else a word break.
    private static string[] Words(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var folded = NameFolding.Fold(ch);
            if (char.IsLetter(folded))
            {
                sb.Append(folded);
            }
            else if (folded is not ('\'' or '\u2019'))
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
