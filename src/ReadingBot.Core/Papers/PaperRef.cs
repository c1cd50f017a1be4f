using System.Globalization;
using System.Text.RegularExpressions;

namespace ReadingBot.Core.Papers;

/// <summary>Where a paper's metadata comes from.</summary>
public enum PaperSource
{
    Arxiv,
    Doi,
    OpenReview,
    Url,
}

/// <summary>
/// A parsed paper reference: the source, the source's canonical id (an arXiv id without version, a lower-cased
/// DOI, an OpenReview forum id, or a normalised URL) and the version the member named, if any.
/// All versions of one arXiv paper share one <see cref="Key"/>, so they are one record.
/// </summary>
public sealed record PaperRef(PaperSource Source, string Id, string? Version = null)
{
    /// <summary>The key of the one paper record: <c>arxiv:1706.03762</c>, <c>doi:10.1145/…</c>, <c>openreview:…</c>, <c>url:…</c>.</summary>
    public string Key => $"{Source.ToString().ToLowerInvariant()}:{Id}";

    /// <summary>A link a person can open.</summary>
    public string Url => Source switch
    {
        PaperSource.Arxiv => $"https://arxiv.org/abs/{Id}{Version}",
        PaperSource.Doi => $"https://doi.org/{Id}",
        PaperSource.OpenReview => $"https://openreview.net/forum?id={Uri.EscapeDataString(Id)}",
        _ => Id,
    };

    /// <summary>Rebuilds a reference from a stored key.</summary>
    public static PaperRef FromKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var source = Enum.Parse<PaperSource>(key[..colon], ignoreCase: true);
        return new PaperRef(source, key[(colon + 1)..]);
    }

    public override string ToString() => Source == PaperSource.Arxiv ? $"arXiv:{Id}{Version}" : Key;
}

/// <summary>The outcome of reading a reference: a <see cref="PaperRef"/> or a friendly reason.</summary>
public sealed record PaperRefParse(PaperRef? Reference, string? Error)
{
    public bool Success => Reference is not null;
}

/// <summary>Reads every form of paper reference members paste: arXiv ids and URLs, DOIs, OpenReview links and plain URLs.</summary>
public static partial class PaperRefParser
{
    public const int MaxLength = 2000;

    private const string Hint = "Give an arXiv id (1706.03762), a DOI (10.1145/3065386) or a link (https://…).";

    // New-style ids: YYMM.NNNN from 0704 to 1412, YYMM.NNNNN from 1501 on. Two-digit years 91-99 are the 1990s
    // (old-style ids only), so 9912.12345 is refused rather than read as December 2099.
    [GeneratedRegex(@"^(?<yymm>\d{4})\.(?<num>\d{4,5})(?<v>v\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NewStyle();

    // Old-style ids: archive[.SC]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136, cs/0112017v1, from 9108 to 0703.
    // The subject class (.GT) is not part of the id: math.GT/0309136 and math/0309136 are one paper.
    [GeneratedRegex(@"^(?<archive>[a-z]+(?:-[a-z]+)?)(?:\.(?<sc>[A-Za-z]{2}))?/(?<num>\d{7})(?<v>v\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex OldStyle();

    [GeneratedRegex(@"^10\.\d{4,9}/\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex Doi();

    public static PaperRefParse Parse(string text)
    {
        var input = TrimPasted(text ?? "");
        if (input.Length == 0)
        {
            return Fail("A paper reference is missing. " + Hint);
        }

        if (input.Length > MaxLength)
        {
            return Fail($"That reference is longer than {MaxLength} characters. " + Hint);
        }

        if (input.StartsWith("arxiv:", StringComparison.OrdinalIgnoreCase))
        {
            return ParseArxivId(input[6..].Trim(), input);
        }

        if (input.StartsWith("doi:", StringComparison.OrdinalIgnoreCase))
        {
            return ParseDoi(input[4..].Trim());
        }

        if (Doi().IsMatch(input))
        {
            return ParseDoi(input);
        }

        if (NewStyle().IsMatch(input) || OldStyle().IsMatch(input))
        {
            return ParseArxivId(input, input);
        }

        if (LooksLikeBareArxivId(input))
        {
            return ParseArxivId(input, input);
        }

        return ParseUrl(input);
    }

    /// <summary>Parses an arXiv id with optional version, checking the date and digit rules of both id styles.</summary>
    public static PaperRefParse ParseArxivId(string id, string original)
    {
        var m = NewStyle().Match(id);
        if (m.Success)
        {
            var yymm = int.Parse(m.Groups["yymm"].Value, CultureInfo.InvariantCulture);
            int yy = yymm / 100, mm = yymm % 100;
            var digits = m.Groups["num"].Value.Length;
            if (mm is < 1 or > 12 || yymm < 704 || yy >= FirstOldStyleYear)
            {
                return Fail($"'{Clip(original)}' is not an arXiv id: {m.Groups["yymm"].Value} is not a year and month arXiv used (ids like this start at 0704, April 2007). " + Hint);
            }

            if ((yy < 15 && digits != 4) || (yy >= 15 && digits != 5))
            {
                return Fail($"'{Clip(original)}' is not an arXiv id: ids from {(yy < 15 ? "before 2015 have 4" : "2015 on have 5")} digits after the dot. " + Hint);
            }

            return Ok(new PaperRef(PaperSource.Arxiv, $"{m.Groups["yymm"].Value}.{m.Groups["num"].Value}", NullIfEmpty(m.Groups["v"].Value)));
        }

        var old = OldStyle().Match(id);
        if (old.Success)
        {
            var num = old.Groups["num"].Value;
            var yy = int.Parse(num[..2], CultureInfo.InvariantCulture);
            var mm = int.Parse(num[2..4], CultureInfo.InvariantCulture);
            var year = yy >= FirstOldStyleYear ? 1900 + yy : 2000 + yy;
            if (mm is < 1 or > 12 || year * 100 + mm < 199108 || year * 100 + mm > 200703)
            {
                return Fail($"'{Clip(original)}' is not an arXiv id: {num[..4]} is not a year and month of an old-style id (August 1991 to March 2007). " + Hint);
            }

            // The subject class is dropped: arXiv files math.GT/0309136 as math/0309136.
            return Ok(new PaperRef(PaperSource.Arxiv, $"{old.Groups["archive"].Value}/{num}", NullIfEmpty(old.Groups["v"].Value)));
        }

        return Fail($"'{Clip(original)}' is not an arXiv id. arXiv ids look like 1706.03762, 2301.00001v2 or hep-th/9901001.");
    }

    private const int FirstOldStyleYear = 91;

    /// <summary>
    /// A reference copied from a sentence: wrapping brackets and quotes and trailing punctuation go
    /// (<c>(https://arxiv.org/abs/1409.4842)</c>, <c>https://arxiv.org/abs/1409.1556.</c>). A closing bracket stays
    /// when the reference opens it too, as in <c>…/wiki/Transformer_(deep_learning)</c> or a DOI with <c>(97)</c>.
    /// </summary>
    public static string TrimPasted(string text)
    {
        var s = text.Trim();
        while (s.Length > 0)
        {
            var first = s[0];
            var last = s[^1];
            if (first is '(' or '[' or '<' or '{' or '"' or '\'' or '\u201C' or '\u2018' or '`')
            {
                s = s[1..].TrimStart();
            }
            else if (last is '.' or ',' or ';' or ':' or '!' or '?' or '"' or '\'' or '\u201D' or '\u2019' or '`' or '>'
                || (last == ')' && Count(s, '(') < Count(s, ')'))
                || (last == ']' && Count(s, '[') < Count(s, ']'))
                || (last == '}' && Count(s, '{') < Count(s, '}')))
            {
                s = s[..^1].TrimEnd();
            }
            else
            {
                break;
            }
        }

        return s;
    }

    private static int Count(string s, char c) => s.Count(x => x == c);

    private static PaperRefParse ParseDoi(string doi)
    {
        var trimmed = doi.Trim().TrimEnd('.', ',', ';');
        if (!Doi().IsMatch(trimmed))
        {
            return Fail($"'{Clip(doi)}' is not a DOI. DOIs look like 10.1145/3065386.");
        }

        // arXiv's own DOIs (10.48550/arXiv.1706.03762) name an arXiv paper: keep one record for it.
        const string arxivDoi = "10.48550/arxiv.";
        if (trimmed.StartsWith(arxivDoi, StringComparison.OrdinalIgnoreCase))
        {
            return ParseArxivId(trimmed[arxivDoi.Length..], doi);
        }

        return Ok(new PaperRef(PaperSource.Doi, trimmed.ToLowerInvariant()));
    }

    private static PaperRefParse ParseUrl(string input)
    {
        var candidate = input;
        if (!candidate.Contains("://", StringComparison.Ordinal) && LooksLikeHost(candidate))
        {
            candidate = "https://" + candidate;
        }

        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return Fail($"'{Clip(input)}' is not a paper reference. " + Hint);
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return Fail($"Only http and https links can be added, not {uri.Scheme}:. " + Hint);
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        if (host is "arxiv.org" or "export.arxiv.org" or "browse.arxiv.org")
        {
            foreach (var prefix in (string[])["/abs/", "/pdf/", "/html/", "/format/"])
            {
                if (path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var id = path[prefix.Length..].TrimEnd('/');
                    if (id.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
                    {
                        id = id[..^4];
                    }

                    return ParseArxivId(id, input);
                }
            }

            return Fail($"'{Clip(input)}' is an arXiv link but not to a paper. Use the paper's abs or pdf link.");
        }

        if (host is "doi.org" or "dx.doi.org")
        {
            return ParseDoi(path.TrimStart('/'));
        }

        if (host == "openreview.net" && path is "/forum" or "/pdf")
        {
            var id = QueryValue(uri.Query, "id");
            if (string.IsNullOrEmpty(id) || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return Fail("That OpenReview link has no paper id. Use a link such as https://openreview.net/forum?id=… .");
            }

            return Ok(new PaperRef(PaperSource.OpenReview, id));
        }

        return Ok(new PaperRef(PaperSource.Url, NormalizeUrl(uri)));
    }

    private static string NormalizeUrl(Uri uri)
    {
        var builder = new UriBuilder(uri) { Fragment = "", Host = uri.Host.ToLowerInvariant() };
        if (builder.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        var text = builder.Uri.AbsoluteUri;
        return text.EndsWith('/') && builder.Path.Length > 1 ? text.TrimEnd('/') : text;
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair[..eq] == name)
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    private static bool LooksLikeHost(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? text : text[..slash];
        return host.Contains('.', StringComparison.Ordinal) && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':')
            && !char.IsAsciiDigit(host[0]);
    }

    // Things like 1706.0376 or 17060.3762 that a member meant as an arXiv id: give the arXiv error, not a URL error.
    private static bool LooksLikeBareArxivId(string text) =>
        text.Length <= 20 && text.Contains('.', StringComparison.Ordinal) && text.All(c => char.IsAsciiDigit(c) || c is '.' or 'v');

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static PaperRefParse Ok(PaperRef r) => new(r, null);

    private static PaperRefParse Fail(string error) => new(null, error);

    private static string Clip(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
