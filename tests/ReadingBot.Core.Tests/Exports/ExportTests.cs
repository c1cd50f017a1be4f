using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Exports;

public sealed class ExportTests : IDisposable
{
    private readonly TestBot bot;

    public ExportTests()
    {
        var source = new FixedMetadataSource();
        source.Answers["arxiv:1706.03762"] = new MetadataResult.Found(new Paper
        {
            Key = "x", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/1706.03762", Title = "Attention, \"Really\", Is All You Need {50% & more}",
            Authors = ["Ashish Vaswani", "Łukasz Kaiser"], Year = 2017, Venue = "arXiv", ArxivId = "1706.03762", Categories = ["cs.CL"],
            Abstract = "Line one,\nline two with a comma, and \"quotes\".", PdfUrl = "https://arxiv.org/pdf/1706.03762v7", LatestVersion = "v7",
            Published = new DateTimeOffset(2017, 6, 12, 17, 57, 34, TimeSpan.Zero), State = MetadataState.Resolved,
        });
        source.Answers["arxiv:1706.03763"] = new MetadataResult.Found(new Paper
        {
            Key = "y", Source = PaperSource.Arxiv, Url = "https://arxiv.org/abs/1706.03763", Title = "Attention Revisited", Authors = ["Ashish Vaswani"], Year = 2017,
            ArxivId = "1706.03763", State = MetadataState.Resolved,
        });
        source.Answers["doi:10.1145/3065386"] = new MetadataResult.Found(new Paper
        {
            Key = "z", Source = PaperSource.Doi, Url = "https://doi.org/10.1145/3065386", Title = "ImageNet classification with deep convolutional neural networks",
            Authors = ["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"], Year = 2017, Venue = "Communications of the ACM", Doi = "10.1145/3065386", State = MetadataState.Resolved,
        });
        bot = TestBot.Create(s =>
        {
            s.AddSingleton<IPaperMetadataSource>(source);
            s.AddSingleton<IExportContributions>(new Sessions());
        });
    }

    public void Dispose() => bot.Dispose();

    private sealed class Sessions : IExportContributions
    {
        public IReadOnlyList<CalendarEvent> CalendarEvents(GroupId group) =>
        [
            new("week-2026-W48", "Reading group: Attention Is All You Need; bring questions, notes and a long summary that needs folding across lines", new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), "Paper #1\nSecond line; with, specials"),
        ];

        public IReadOnlyList<FeedEntry> FeedEntries(GroupId group) => [];
    }

    private async Task<FileReply> ExportAsync(string format)
    {
        await bot.SendAsync("paper add 1706.03762", user: "alice");
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.SendAsync("paper add 1706.03763", user: "bob");
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        await bot.SendAsync("paper add 10.1145/3065386", user: "alice");
        await bot.SendAsync("paper add 2101.00001", user: "carol");
        return Assert.IsType<FileReply>(await bot.SendAsync($"export {format}"));
    }

    // Lists compare by reference in records; compare them apart. Retry bookkeeping is not bibliographic and not exported.
    private static Paper Normal(Paper p) => p with { Authors = [], Categories = [], Attempts = 0, NextAttemptAt = null, LastError = null, FetchedAt = null };

    private static string Text(FileReply file) => new UTF8Encoding(false, true).GetString(file.Content);

    [Fact]
    public async Task Markdown_lists_every_paper_with_links_and_who_added_it()
    {
        var file = await ExportAsync("markdown");
        var text = Text(file);

        Assert.EndsWith(".md", file.FileName, StringComparison.Ordinal);
        Assert.StartsWith("# Reading group library", text, StringComparison.Ordinal);
        Assert.Contains("1. **[Attention, \"Really\", Is All You Need {50% & more}](https://arxiv.org/abs/1706.03762)**", text, StringComparison.Ordinal);
        Assert.Contains("[doi:10.1145/3065386](https://doi.org/10.1145/3065386)", text, StringComparison.Ordinal);
        Assert.Contains("added by bob", text, StringComparison.Ordinal);
        Assert.Equal(4, text.Split('\n').Count(l => l.Length > 0 && char.IsAsciiDigit(l[0])));
    }

    [Fact]
    public async Task BibTeX_parses_with_stable_unique_keys_and_escaped_specials()
    {
        var first = BibTex.Parse(Text(await ExportAsync("bibtex")));
        var second = BibTex.Parse(Text(Assert.IsType<FileReply>(await bot.SendAsync("export bibtex"))));

        Assert.Equal(["vaswani2017attention", "vaswani2017attentiona", "krizhevsky2017imagenet", "arXiv:2101.00001"], first.Select(e => e.Key));
        Assert.Equal(first.Select(e => e.Key), second.Select(e => e.Key));
        var attention = first[0];
        Assert.Equal("misc", attention.Type);
        Assert.Equal("Attention, \"Really\", Is All You Need \\{50\\% \\& more\\}", attention.Fields["title"]);
        Assert.Equal("Vaswani, Ashish and Kaiser, {Ł}ukasz", attention.Fields["author"]);
        Assert.Equal("1706.03762", attention.Fields["eprint"]);
        Assert.Equal("arXiv", attention.Fields["archiveprefix"]);
        Assert.Equal("article", first[2].Type);
        Assert.Equal("Communications of the ACM", first[2].Fields["journal"]);
        Assert.Equal("10.1145/3065386", first[2].Fields["doi"]);
        Assert.Equal("{ImageNet} classification with deep convolutional neural networks", first[2].Fields["title"]);
        Assert.Equal("{arXiv}:2101.00001", first[3].Fields["title"]);
    }

    private static LibraryItem Item(int number, Paper paper, string? givenTitle = null) =>
        new(new LibraryEntry { Group = TestBot.LocalGroup.Id, Number = number, PaperKey = paper.Key, AddedBy = "alice", AddedAt = DateTimeOffset.UnixEpoch, GivenTitle = givenTitle }, paper);

    [Fact]
    public void BibTeX_protects_capitals_inside_words_so_sentence_case_styles_keep_them()
    {
        var paper = new Paper
        {
            Key = "url:https://example.org/p", Source = PaperSource.Url, Url = "https://example.org/p", Authors = ["Dee Writer"], Year = 2020,
            Title = "BERT Meets ImageNet: U-Net Results at CVPR and the arXiv {Way}", State = MetadataState.Resolved,
        };

        var title = BibTex.Parse(BibTexExport.BibTex([Item(1, paper)]))[0].Fields["title"];

        Assert.Equal("{BERT} Meets {ImageNet}: {U-Net} Results at {CVPR} and the {arXiv} \\{Way\\}", title);
    }

    [Theory]
    [InlineData("Łukasz Kaiser", "Kaiser, {Ł}ukasz")]
    [InlineData("Geoffrey E. Hinton", "Hinton, Geoffrey E.")]
    [InlineData("Ludwig van Beethoven", "van Beethoven, Ludwig")]
    [InlineData("Martin Luther King Jr.", "King, Jr., Martin Luther")]
    [InlineData("Krizhevsky, Alex", "Krizhevsky, Alex")]
    [InlineData("Émile Ñúñez", "Ñúñez, {É}mile")]
    [InlineData("Plato", "Plato")]
    public void BibTeX_writes_authors_last_name_first_in_utf8_with_non_ascii_initials_braced(string name, string expected)
    {
        Assert.Equal(expected, BibTexExport.BibName(name));
    }

    [Fact]
    public void BibTeX_keys_pending_papers_by_their_ids_whatever_the_library_order()
    {
        Paper Pending(string reference) => Paper.Pending(PaperRefParser.Parse(reference).Reference!);
        var arxiv = Pending("2101.00001");
        var doi = Pending("10.1145/3065386");
        var link = Pending("https://distill.pub/2017/momentum/");

        var forward = BibTex.Parse(BibTexExport.BibTex([Item(1, arxiv), Item(2, doi), Item(3, link, "Why Momentum Really Works")]));
        var backward = BibTex.Parse(BibTexExport.BibTex([Item(3, link, "Why Momentum Really Works"), Item(2, doi), Item(1, arxiv)]));

        Assert.Equal(["arXiv:2101.00001", "doi:10.1145-3065386", "distill.pub-2017-momentum"], forward.Select(e => e.Key));
        Assert.Equal(forward.Select(e => e.Key).Reverse(), backward.Select(e => e.Key));
        Assert.Equal("{DOI} 10.1145/3065386", forward[1].Fields["title"]);
        Assert.Equal("Why Momentum Really Works", forward[2].Fields["title"]);
    }

    [Fact]
    public async Task Csv_parses_back_row_for_row_with_quotes_commas_and_columns()
    {
        var rows = Csv.Parse(Text(await ExportAsync("csv")));

        Assert.Equal(CsvExport.CsvColumns, rows[0]);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(CsvExport.CsvColumns.Length, r.Count));
        Assert.Equal("Attention, \"Really\", Is All You Need {50% & more}", rows[1][1]);
        Assert.Equal("Ashish Vaswani; Łukasz Kaiser", rows[1][2]);
        Assert.Equal("bob", rows[2][9]);
        Assert.Equal("Pending", rows[4][11]);
    }

    [Fact]
    public async Task Json_holds_everything_and_round_trips()
    {
        var file = await ExportAsync("json");

        var items = JsonExport.ReadJson(Text(file));

        var library = bot.Get<LibraryService>();
        var expected = bot.Get<ILibraryStore>().List(TestBot.LocalGroup.Id, 0, 100).Select(library.Item).ToList();
        Assert.Equal(expected.Count, items.Count);
        foreach (var (a, b) in expected.Zip(items))
        {
            Assert.Equal(a.Entry, b.Entry);
            Assert.Equal(Normal(a.Paper), Normal(b.Paper));
            Assert.Equal(a.Paper.Authors, b.Paper.Authors);
            Assert.Equal(a.Paper.Categories, b.Paper.Categories);
        }
    }

    [Fact]
    public async Task Rss_is_an_atom_feed_of_additions_newest_first()
    {
        var file = await ExportAsync("rss");
        var feed = XDocument.Parse(Text(file)).Root!;
        XNamespace atom = "http://www.w3.org/2005/Atom";

        Assert.Equal(atom + "feed", feed.Name);
        Assert.False(string.IsNullOrEmpty((string?)feed.Element(atom + "id")));
        Assert.NotNull(feed.Element(atom + "title"));
        var entries = feed.Elements(atom + "entry").ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.StartsWith("tag:readingbot,2026:", (string?)e.Element(atom + "id"), StringComparison.Ordinal);
            Assert.NotNull(e.Element(atom + "title"));
            Assert.True(DateTimeOffset.TryParseExact((string?)e.Element(atom + "updated"), "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        });
        var updated = entries.Select(e => DateTimeOffset.Parse((string)e.Element(atom + "updated")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(updated.OrderByDescending(u => u), updated);
        Assert.Equal((string?)feed.Element(atom + "updated"), (string?)entries[0].Element(atom + "updated"));
        Assert.Equal("https://doi.org/10.1145/3065386", (string?)entries.Single(e => ((string)e.Element(atom + "title")!).StartsWith("#3", StringComparison.Ordinal)).Element(atom + "link")!.Attribute("href"));
    }

    [Fact]
    public async Task Rss_loads_in_a_syndication_reader()
    {
        var file = await ExportAsync("rss");
        using var reader = System.Xml.XmlReader.Create(new MemoryStream(file.Content));

        var feed = System.ServiceModel.Syndication.SyndicationFeed.Load(reader);

        Assert.Equal(4, feed.Items.Count());
        Assert.Contains(feed.Items, i => i.Title.Text.StartsWith("#2 Attention Revisited", StringComparison.Ordinal) && i.Authors.Single().Name == "bob");
        Assert.Equal(new Uri("https://arxiv.org/abs/1706.03763"), feed.Items.Single(i => i.Title.Text.StartsWith("#2", StringComparison.Ordinal)).Links[0].Uri);
    }

    [Fact]
    public async Task Ics_is_an_rfc5545_calendar_with_a_vtimezone_for_the_groups_zone()
    {
        await bot.SendAsync("settings timezone Europe/Berlin", user: "mod", moderator: true);
        var file = await ExportAsync("ics");
        var raw = Text(file);

        Assert.Equal("text/calendar", file.ContentType);
        Assert.EndsWith("\r\n", raw, StringComparison.Ordinal);
        var physical = raw[..^2].Split("\r\n");
        Assert.DoesNotContain(physical, l => l.Contains('\n', StringComparison.Ordinal) || l.Contains('\r', StringComparison.Ordinal));
        Assert.All(physical, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"line longer than 75 octets: {l}"));
        // Unfold (RFC 5545 3.1) and check structure: names, nesting, required properties.
        var lines = string.Join("\r\n", physical).Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        Assert.All(lines, l => Assert.Matches("^[A-Z][A-Z0-9-]*(;[A-Z0-9-]+=[^:;]+)*:", l));
        var stack = new Stack<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("BEGIN:", StringComparison.Ordinal))
            {
                stack.Push(line[6..]);
            }
            else if (line.StartsWith("END:", StringComparison.Ordinal))
            {
                Assert.Equal(stack.Pop(), line[4..]);
            }
        }

        Assert.Empty(stack);
        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains(lines, l => l.StartsWith("PRODID:", StringComparison.Ordinal));
        Assert.Contains("TZID:Europe/Berlin", lines);
        Assert.Contains("BEGIN:DAYLIGHT", lines);
        Assert.Contains("BEGIN:STANDARD", lines);
        Assert.Contains("TZOFFSETFROM:+0100", lines);
        Assert.Contains("TZOFFSETTO:+0200", lines);
        Assert.Contains("DTSTART;TZID=Europe/Berlin:20261126T180000", lines);
        Assert.Contains(lines, l => l.StartsWith("UID:week-2026-W48@readingbot", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("DTSTAMP:", StringComparison.Ordinal) && l.EndsWith('Z'));
        Assert.Contains("DESCRIPTION:Paper #1\\nSecond line\\; with\\, specials", lines);
    }

    [Fact]
    public void An_empty_calendar_in_utc_is_still_valid()
    {
        var text = CalendarExport.Calendar(new GroupId("g"), ReadingBot.Core.Settings.TimeZones.FindOrUtc("Etc/UTC"), [], new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

        Assert.Contains("BEGIN:VTIMEZONE\r\nTZID:Etc/UTC\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("VEVENT", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_of_an_empty_library_is_still_a_file()
    {
        var reply = Assert.IsType<FileReply>(await bot.SendAsync("export csv"));

        Assert.Single(Csv.Parse(Text(reply)));
    }

    /// <summary>A small BibTeX reader: entries, keys and brace-delimited fields, with nesting.</summary>
    private static class BibTex
    {
        public sealed record Entry(string Type, string Key, Dictionary<string, string> Fields);

        public static List<Entry> Parse(string text)
        {
            var entries = new List<Entry>();
            var i = 0;
            while ((i = text.IndexOf('@', i)) >= 0)
            {
                var open = text.IndexOf('{', i);
                var type = text[(i + 1)..open].Trim().ToLowerInvariant();
                var comma = text.IndexOf(',', open);
                var key = text[(open + 1)..comma].Trim();
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                i = comma + 1;
                while (true)
                {
                    while (char.IsWhiteSpace(text[i]) || text[i] == ',')
                    {
                        i++;
                    }

                    if (text[i] == '}')
                    {
                        i++;
                        break;
                    }

                    var eq = text.IndexOf('=', i);
                    var name = text[i..eq].Trim();
                    i = eq + 1;
                    while (char.IsWhiteSpace(text[i]))
                    {
                        i++;
                    }

                    Assert.Equal('{', text[i]);
                    var depth = 0;
                    var start = i + 1;
                    for (; ; i++)
                    {
                        if (text[i] == '\\')
                        {
                            i++;
                            continue;
                        }

                        if (text[i] == '{')
                        {
                            depth++;
                        }
                        else if (text[i] == '}' && --depth == 0)
                        {
                            break;
                        }
                    }

                    fields[name] = text[start..i];
                    i++;
                }

                entries.Add(new Entry(type, key, fields));
            }

            return entries;
        }
    }

    /// <summary>An RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks.</summary>
    private static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    row.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    i++;
                }
                else
                {
                    Assert.NotEqual('\n', c);
                    field.Append(c);
                }
            }

            Assert.False(quoted);
            Assert.Empty(row);
            return rows;
        }
    }
}
