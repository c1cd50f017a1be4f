using System.Text;

namespace ReadingBot.TestSupport.Papers;

/// <summary>
/// The arXiv API's <c>search_query</c> grammar as its user manual documents it, evaluated over the emulator's
/// fixtures: field prefixes <c>ti au abs co jr cat id all</c> (a bare word means <c>all:</c>), the operators
/// <c>AND</c>, <c>OR</c>, <c>ANDNOT</c>, parentheses, "quoted phrases" and <c>del_maestro</c>-style underscores
/// (a phrase), and a trailing <c>*</c> for a prefix. The manual gives no precedence, so operators apply left to right
/// and callers group with parentheses; two terms with no operator between them are OR-ed (the search engine's
/// default). Words are compared case- and diacritic-insensitively, as arXiv's index does (<c>Schölkopf</c> and
/// <c>Scholkopf</c> match). Stricter than arXiv on purpose: an unknown prefix or unbalanced parentheses is an error,
/// so a client bug shows up in a test instead of as an empty result.
/// </summary>
public sealed class ArxivSearchQuery
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "ti", "au", "abs", "co", "jr", "cat", "id", "all", "rn" };
    private readonly Node root;

    private ArxivSearchQuery(Node root) => this.root = root;

    /// <summary>Parses a decoded <c>search_query</c>; null with <paramref name="error"/> set when it is malformed.</summary>
    public static ArxivSearchQuery? TryParse(string query, out string? error)
    {
        try
        {
            var tokens = Tokenize(query);
            var position = 0;
            var node = ParseSequence(tokens, ref position);
            if (position != tokens.Count)
            {
                throw new FormatException($"unexpected '{tokens[position].Text}'");
            }

            error = null;
            return new ArxivSearchQuery(node);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>How many term hits the paper has (0 when the query does not match it), the emulator's relevance.</summary>
    public int Score(ArxivFixture paper) => root.Score(paper);

    public bool Matches(ArxivFixture paper) => root.Score(paper) > 0;

    // The repo builds with InvariantGlobalization, where string.Normalize leaves non-ASCII text as it is, so the
    // emulator folds the Latin letters with diacritics that author names use from a table of its own.
    private const string Accented = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįıñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźžżßł";
    private const string Plain = "aaaaaaaaacccddeeeeeeeeiiiiiiinnnoooooooorrsssttuuuuuuuuyyzzzsl";

    /// <summary>Lower case without diacritics, split into words of letters and digits.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var ch in System.Net.WebUtility.HtmlDecode(text))
        {
            var lower = char.ToLowerInvariant(ch);
            var at = Accented.IndexOf(lower, StringComparison.Ordinal);
            folded.Append(at >= 0 ? Plain[at] : char.IsLetterOrDigit(lower) || lower == '*' ? lower : ' ');
        }

        return folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private enum Kind { Term, And, Or, AndNot, Open, Close }

    private sealed record Token(Kind Kind, string Text, string Field = "all");

    private static List<Token> Tokenize(string query)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < query.Length)
        {
            var ch = query[i];
            if (char.IsWhiteSpace(ch) || ch == '+')
            {
                i++;
                continue;
            }

            if (ch is '(' or ')')
            {
                tokens.Add(new Token(ch == '(' ? Kind.Open : Kind.Close, ch.ToString()));
                i++;
                continue;
            }

            var start = i;
            var field = "all";
            while (i < query.Length && (char.IsAsciiLetter(query[i])))
            {
                i++;
            }

            if (i < query.Length && query[i] == ':' && i > start)
            {
                field = query[start..i];
                if (!Fields.Contains(field))
                {
                    throw new FormatException($"unknown field prefix '{field}:'");
                }

                i++;
            }
            else
            {
                i = start;
            }

            string text;
            if (i < query.Length && query[i] == '"')
            {
                var close = query.IndexOf('"', i + 1);
                if (close < 0)
                {
                    throw new FormatException("unclosed quote");
                }

                text = query[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var wordStart = i;
                while (i < query.Length && !char.IsWhiteSpace(query[i]) && query[i] is not ('(' or ')' or '+'))
                {
                    i++;
                }

                text = query[wordStart..i];
                if (field == "all" && text is "AND" or "OR" or "ANDNOT")
                {
                    tokens.Add(new Token(text switch { "AND" => Kind.And, "OR" => Kind.Or, _ => Kind.AndNot }, text));
                    continue;
                }
            }

            if (text.Length == 0)
            {
                throw new FormatException($"empty term after '{field}:'");
            }

            tokens.Add(new Token(Kind.Term, text.Replace('_', ' '), field));
        }

        return tokens;
    }

    private static Node ParseSequence(List<Token> tokens, ref int position)
    {
        var left = ParseOperand(tokens, ref position);
        while (position < tokens.Count && tokens[position].Kind != Kind.Close)
        {
            var op = tokens[position].Kind;
            if (op is Kind.And or Kind.Or or Kind.AndNot)
            {
                position++;
            }
            else
            {
                op = Kind.Or;
            }

            var right = ParseOperand(tokens, ref position);
            left = new Binary(op, left, right);
        }

        return left;
    }

    private static Node ParseOperand(List<Token> tokens, ref int position)
    {
        if (position >= tokens.Count)
        {
            throw new FormatException("the query ends where a term was expected");
        }

        var token = tokens[position++];
        switch (token.Kind)
        {
            case Kind.Term:
                return new Term(token.Field, Words(token.Text));
            case Kind.Open:
                var inner = ParseSequence(tokens, ref position);
                if (position >= tokens.Count || tokens[position].Kind != Kind.Close)
                {
                    throw new FormatException("unbalanced parentheses");
                }

                position++;
                return inner;
            default:
                throw new FormatException($"unexpected '{token.Text}'");
        }
    }

    private abstract record Node
    {
        public abstract int Score(ArxivFixture paper);
    }

    private sealed record Binary(Kind Op, Node Left, Node Right) : Node
    {
        public override int Score(ArxivFixture paper)
        {
            var left = Left.Score(paper);
            var right = Right.Score(paper);
            return Op switch
            {
                Kind.And => left > 0 && right > 0 ? left + right : 0,
                Kind.AndNot => left > 0 && right == 0 ? left : 0,
                _ => left + right,
            };
        }
    }

    private sealed record Term(string Field, IReadOnlyList<string> Phrase) : Node
    {
        public override int Score(ArxivFixture paper)
        {
            if (Phrase.Count == 0)
            {
                return 0;
            }

            return Field switch
            {
                "ti" => Hits(paper.Title),
                "au" => paper.Authors.Sum(a => Hits(a.Name)),
                "abs" => Hits(paper.Summary),
                "co" => Hits(paper.Comment),
                "jr" => Hits(paper.JournalRef),
                "cat" => paper.Categories.Count(CategoryMatches),
                "id" => Hits(paper.Id),
                "rn" => 0,
                _ => Hits(paper.Title) + paper.Authors.Sum(a => Hits(a.Name)) + Hits(paper.Summary) + Hits(paper.Comment)
                    + Hits(paper.JournalRef) + paper.Categories.Count(CategoryMatches),
            };
        }

        // Categories are whole terms (cs.LG), with cs.* for an archive.
        private bool CategoryMatches(string category)
        {
            var wanted = string.Join('.', Phrase);
            var have = string.Join('.', Words(category));
            return wanted.EndsWith('*') ? have.StartsWith(wanted[..^1], StringComparison.Ordinal) : have == wanted;
        }

        // A phrase matches where its words stand next to each other in the one field.
        private int Hits(string? text)
        {
            if (text is null)
            {
                return 0;
            }

            var words = Words(text);
            var hits = 0;
            for (var i = 0; i + Phrase.Count <= words.Count; i++)
            {
                var all = true;
                for (var j = 0; j < Phrase.Count && all; j++)
                {
                    var want = Phrase[j];
                    all = want.EndsWith('*') ? words[i + j].StartsWith(want[..^1], StringComparison.Ordinal) : words[i + j] == want;
                }

                hits += all ? 1 : 0;
            }

            return hits;
        }
    }
}
