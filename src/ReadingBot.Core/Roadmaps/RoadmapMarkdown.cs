using System.Text.RegularExpressions;

namespace ReadingBot.Core.Roadmaps;

/// <summary>A link found in a reading list, with the title the document gives it.</summary>
public sealed record MarkdownLink(string Section, string Title, string Url, int Line);

/// <summary>What a Markdown reading list holds: its title (the first top heading) and its links by section.</summary>
public sealed record MarkdownReadingList(string? Title, IReadOnlyList<MarkdownLink> Links);

/// <summary>
/// Reads a Markdown reading list: headings become sections, each link (<c>[text](url)</c>, an autolink
/// <c>&lt;url&gt;</c>, or a bare <c>http(s)</c> URL) becomes an item. When a line holds one link and quotes a
/// title (<c>"Deep learning."</c>), or the link text is only "pdf", the title comes from the line.
/// </summary>
public static partial class RoadmapMarkdown
{
    public const string DefaultSection = "Papers";

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?<bang>!?)\[(?<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?<url><[^>]+>|[^)\s]+)(?:\s+""[^""]*"")?\)", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"<(?<url>https?://[^>\s]+)>|(?<![(\[<])\b(?<bare>https?://[^\s)\]>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"[""“](?<title>[^""”]{8,}?)[""”]", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"[*_`]|:[a-z_]+:|\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    private static readonly HashSet<string> GenericLinkTexts = new(StringComparer.OrdinalIgnoreCase) { "pdf", "paper", "link", "arxiv", "code", "html", "here", "url", "[pdf]" };

    public static MarkdownReadingList Parse(string markdown)
    {
        string? title = null;
        var section = DefaultSection;
        var links = new List<MarkdownLink>();
        var inFence = false;
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            var heading = Heading().Match(line.Trim());
            if (heading.Success)
            {
                var text = Clean(Link().Replace(heading.Groups["text"].Value, m => m.Groups["text"].Value));
                if (heading.Groups["hashes"].Value.Length == 1 && title is null && links.Count == 0)
                {
                    title = text;
                }
                else if (text.Length > 0)
                {
                    section = text;
                }

                continue;
            }

            var found = new List<(string Text, string Url)>();
            foreach (Match m in Link().Matches(line))
            {
                if (m.Groups["bang"].Value.Length == 0)
                {
                    found.Add((m.Groups["text"].Value, m.Groups["url"].Value.Trim('<', '>')));
                }
            }

            var withoutLinks = Link().Replace(line, " ");
            foreach (Match m in BareUrl().Matches(withoutLinks))
            {
                var url = m.Groups["url"].Success ? m.Groups["url"].Value : m.Groups["bare"].Value.TrimEnd('.', ',', ';');
                found.Add(("", url));
            }

            foreach (var (text, url) in found)
            {
                if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                links.Add(new MarkdownLink(section, TitleFor(text, line, found.Count, url), url, i + 1));
            }
        }

        return new MarkdownReadingList(title, links);
    }

    private static string TitleFor(string linkText, string line, int linksOnLine, string url)
    {
        var text = Clean(linkText);
        if (linksOnLine == 1 && Quoted().Match(line) is { Success: true } quoted)
        {
            return Clean(quoted.Groups["title"].Value).TrimEnd('.');
        }

        if (text.Length > 0 && !GenericLinkTexts.Contains(text))
        {
            return text;
        }

        if (linksOnLine == 1)
        {
            var rest = Clean(Link().Replace(BareUrl().Replace(line, " "), " ")).Trim('-', '+', ' ', '.', ':');
            if (rest.Any(char.IsLetter))
            {
                return rest.Length <= 200 ? rest : rest[..200] + "…";
            }
        }

        return url;
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    private static string Clean(string text) => Spaces().Replace(Markup().Replace(text, ""), " ").Trim();
}
