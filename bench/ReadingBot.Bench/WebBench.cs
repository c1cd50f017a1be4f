using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;
using ReadingBot.Charts;
using ReadingBot.Core;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;

namespace ReadingBot.Bench;

/// <summary>
/// Issue #9: a group with five years of history (260 closed WAYR weeks, 1,000 papers, 50 members), built through the
/// command dispatcher and the weekly scheduler on a fake clock, then its pages rendered by the real
/// <see cref="WebPages"/> from a signed member link: in process (the server's own time) and over HTTP from Kestrel on
/// 127.0.0.1. Targets: under 50 ms on the server and under 200 KB a page.
/// </summary>
internal static class WebBench
{
    private const double TargetMs = 50;
    private const double TargetKb = 200;

    public static async Task RunAsync(string[] args)
    {
        var renders = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 200;
        var saveTo = args.Length > 1 ? Directory.CreateDirectory(args[1]).FullName : null;
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(GroupHistory.FirstMonday(now));
        var corpus = new SyntheticCorpus();
        await using var site = await WebSite.StartAsync(time, new CorpusMetadataSource(corpus));

        var sw = Stopwatch.StartNew();
        var history = new GroupHistory(site, time, now);
        await history.BuildAsync();
        Console.WriteLine($"setup: {history.Describe()} in {sw.Elapsed.TotalSeconds:0.0} s ({history.Commands:N0} commands, {history.SchedulerPasses:N0} scheduler passes)");
        Console.WriteLine($"  memory after setup: {Machine.MemoryLine()}; load: {Machine.LoadAverage()}");

        var pages = site.Get<WebPages>();
        var dashboard = PlainTextRenderer.Render(await history.SendAsync(GroupHistory.Founder, "/dashboard"));
        var basePath = Regex.Match(dashboard, @"https?://[^\s/]+(/g/[A-Za-z0-9_\-.]+)/").Groups[1].Value;
        var token = basePath[3..];
        var viewer = pages.Resolve(WebLinkKind.Member, token) ?? throw new InvalidOperationException("the /dashboard link did not resolve");
        var cases = history.Pages(viewer);

        Console.WriteLine();
        Console.WriteLine($"server-side render (link check + page + writing the response body), {renders} renders each after a warm-up; targets < {TargetMs:0} ms, < {TargetKb:0} KB (1 KB = 1,000 bytes)");
        Console.WriteLine($"{"page",-34} {"first",7} {"median",7} {"p95",7} {"p99",7} {"max",7} {"KB",7} {"SVG KB",7}  verdict");
        var weights = new Dictionary<string, int>();
        foreach (var page in cases)
        {
            var first = Stopwatch.StartNew();
            var html = await RenderAsync(pages, token, page.Render);
            var firstMs = first.Elapsed.TotalMilliseconds;
            var times = await TimeAsync(renders, () => RenderAsync(pages, token, page.Render));
            weights[page.Name] = html.Length;
            if (saveTo is not null)
            {
                await File.WriteAllBytesAsync(Path.Combine(saveTo, Regex.Replace(page.Name, "[^a-z0-9]+", "-").Trim('-') + ".html"), html);
            }

            var kb = html.Length / 1000.0;
            var svgKb = SvgBytes(html) / 1000.0;
            var (median, p95, p99) = (Machine.Percentile(times, 50), Machine.Percentile(times, 95), Machine.Percentile(times, 99));
            Console.WriteLine($"{page.Name,-34} {firstMs,7:0.0} {median,7:0.0} {p95,7:0.0} {p99,7:0.0} {times[^1],7:0.0} {kb,7:0.0} {svgKb,7:0.0}  {Verdict(median, p99, kb)}");
        }

        Console.WriteLine();
        Console.WriteLine($"HTTP round trip from HttpClient to Kestrel on {site.BaseAddress} (keep-alive, one request at a time), {renders} requests each after a warm-up");
        Console.WriteLine($"{"page",-34} {"median",7} {"p95",7} {"p99",7} {"KB",7}");
        foreach (var page in cases)
        {
            var path = basePath + page.Path;
            var body = await site.GetAsync(path);
            if (body.Length != weights[page.Name])
            {
                Console.WriteLine($"  note: {page.Name} is {body.Length:N0} bytes over HTTP and {weights[page.Name]:N0} in process");
            }

            var times = await TimeAsync(renders, () => site.GetAsync(path));
            Console.WriteLine($"{page.Name,-34} {Machine.Percentile(times, 50),7:0.0} {Machine.Percentile(times, 95),7:0.0} {Machine.Percentile(times, 99),7:0.0} {body.Length / 1000.0,7:0.0}");
        }

        Console.WriteLine();
        Console.WriteLine("where the time goes (median of 30 calls of each part the page makes, ms):");
        foreach (var page in cases)
        {
            var parts = page.Parts.Select(p => $"{p.Name} {Median(p.Run):0.00}");
            Console.WriteLine($"  {page.Name}: {string.Join("; ", parts)}");
        }

        Console.WriteLine($"memory at the end: {Machine.MemoryLine()}; load: {Machine.LoadAverage()}");
    }

    /// <summary>Ten runs to warm up, then <paramref name="count"/> timed ones; the times in ms, sorted.</summary>
    private static async Task<List<double>> TimeAsync(int count, Func<Task> run)
    {
        for (var i = 0; i < 10; i++)
        {
            await run();
        }

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    /// <summary>What the endpoint does for a request: check the link, render the page, write the response body.</summary>
    private static async Task<byte[]> RenderAsync(WebPages pages, string token, Func<WebPages, WebViewer, IResult> page)
    {
        var viewer = pages.Resolve(WebLinkKind.Member, token) ?? throw new InvalidOperationException("the link stopped resolving");
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await page(pages, viewer).ExecuteAsync(context);
        return context.Response.StatusCode == 200 ? body.ToArray() : throw new InvalidOperationException($"status {context.Response.StatusCode}");
    }

    private static int SvgBytes(byte[] html)
    {
        var text = System.Text.Encoding.UTF8.GetString(html);
        var total = 0;
        for (var start = text.IndexOf("<svg", StringComparison.Ordinal); start >= 0; start = text.IndexOf("<svg", start + 1, StringComparison.Ordinal))
        {
            var end = text.IndexOf("</svg>", start, StringComparison.Ordinal);
            total += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(start, end + "</svg>".Length - start));
        }

        return total;
    }

    private static string Verdict(double median, double p99, double kb)
    {
        var speed = p99 < TargetMs ? "time met" : median < TargetMs ? "time: median met, p99 missed" : "time MISSED";
        return $"{speed}, {(kb < TargetKb ? "weight met" : "weight MISSED")}";
    }

    private static double Median(Func<object?> part)
    {
        part();
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(part());
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return Machine.Median(times);
    }
}

/// <summary>A page of the site: how the endpoint renders it, its path under the link, and the parts it is made of.</summary>
internal sealed record WebPageCase(string Name, string Path, Func<WebPages, WebViewer, IResult> Render, IReadOnlyList<(string Name, Func<object?> Run)> Parts);

/// <summary>
/// Five years of one reading group, week by week on the fake clock: members join over time, papers arrive through
/// <c>/paper add</c> and <c>/paper suggest</c>, members vote, a moderator picks the next week's paper every Friday
/// (a break now and then), members post to WAYR, record <c>/read</c> passes, like papers and add discussion notes,
/// and the scheduler opens and closes every WAYR week (ledger, streaks, standings and digest) and announces the papers.
/// </summary>
internal sealed class GroupHistory(WebSite site, FakeTimeProvider time, DateTimeOffset now)
{
    public const int Weeks = 260;
    public const int Papers = 1_000;
    public const int MemberCount = 50;
    public const string Founder = "m00";

    private static readonly string[] FirstNames = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Geoffrey", "Yoshua", "Fei-Fei", "Judea", "Daphne", "Michael", "Leslie", "Radia", "John", "Shafi", "Tim", "Margaret", "Claude", "Hedy", "Sophie", "Andrew", "Cynthia", "Richard"];
    private static readonly string[] LastNames = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Hinton", "Bengio", "Li", "Pearl", "Koller", "Jordan", "Lamport", "Perlman", "McCarthy", "Goldwasser", "Berners", "Hamilton", "Shannon", "Lamarr", "Wilson", "Ng", "Dwork", "Sutton"];

    private static readonly string[] Notes =
    [
        "the ablation in section 4 finally made the method click for me",
        "tried to reproduce table 2 on a small model and the numbers roughly match",
        "the related work is a good map of the area, worth it for that alone",
        "not convinced by the baselines, they look under-tuned",
        "the appendix has the real derivation, skip straight to it",
        "nice figure 3, explains the whole idea in one picture",
        "the loss is simple but the data pipeline does most of the work",
        "reimplemented the core layer in about a hundred lines",
        "the scaling curves stop one size too early to settle the question",
        "good follow-up to last week's paper, same authors",
        "the evaluation leaks test data through the tokenizer, I think",
        "would love to discuss the assumptions behind theorem 1 on Thursday",
    ];

    private readonly Random random = new(20261126);
    private readonly GroupAddress address = new(Platforms.Local, "five-years");
    private readonly DateTimeOffset firstMonday = FirstMonday(now);
    private readonly List<(string Id, string Name, int JoinWeek, double Activity)> members = [];
    private readonly HashSet<(string Member, string Paper)> votes = [];
    private readonly Dictionary<string, List<int>> postedNumbers = [];
    private readonly Dictionary<string, int> errors = [];
    private int papersAdded;

    public int Commands { get; private set; }
    public int SchedulerPasses { get; private set; }
    public GroupId Group => address.Id;

    /// <summary>Midnight (UTC) of the Monday <see cref="Weeks"/> weeks before the week of <paramref name="now"/>: where the history starts.</summary>
    public static DateTimeOffset FirstMonday(DateTimeOffset now) =>
        new DateTimeOffset(WeekKey.Of(now, TimeZoneInfo.Utc).Monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-7 * Weeks);

    public async Task BuildAsync()
    {
        for (var i = 0; i < MemberCount; i++)
        {
            // A dozen founders; the others join one by one over the first four years.
            var joinWeek = i < 12 ? 0 : 4 + ((i - 12) * 200 / (MemberCount - 12));
            members.Add(($"m{i:D2}", $"{FirstNames[i % FirstNames.Length]} {LastNames[(i + (i / FirstNames.Length * 3)) % LastNames.Length]}", joinWeek, 0.3 + (0.65 * random.NextDouble())));
        }

        for (var w = 0; w <= Weeks; w++)
        {
            await RunWeekAsync(w);
        }

        time.SetUtcNow(now);
        await PassAsync();
        if (errors.Count > 0)
        {
            Console.WriteLine("  refused during setup (expected a few: votes on a paper picked meanwhile and the like): " + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}")));
        }
    }

    public string Describe()
    {
        var wayr = site.Get<IWayrStore>();
        var streaks = site.Get<IStreakStore>();
        var posts = wayr.AllPosts(Group);
        var ledger = site.Get<IMemberStore>().List(Group).Sum(m => streaks.Ledger(Group, m.UserId).Count);
        var closed = wayr.ClosedWeeks(Group, int.MaxValue);
        var digests = closed.Count(w => site.Get<IDigestStore>().Find(Group, w.Week) is not null);
        var notes = closed.Sum(w => site.Get<IDiscussionStore>().ForWeek(Group, w.Week).Count);
        return $"{site.Get<IMemberStore>().List(Group).Count} members, {site.Get<ILibraryStore>().Count(Group):N0} papers, {closed.Count} closed WAYR weeks with {digests} digests, " +
            $"{posts.Count:N0} WAYR posts ({posts.Count(p => p.PaperKey is not null):N0} naming a paper), {ledger:N0} ledger entries, {site.Get<IProgressStore>().ForGroup(Group).Count:N0} reading records, " +
            $"{notes:N0} discussion notes, {site.Get<ISuggestionStore>().ListOpen(Group).Count} open suggestions, {site.Outbound.Posts:N0} posts by the bot";
    }

    public Task<Reply> SendAsync(string member, string line)
    {
        var who = members.First(m => m.Id == member);
        Commands++;
        var moderator = member is Founder or "m01";
        return site.Dispatcher.HandleTextAsync(new CommandContext(address, new Actor(who.Id, who.Name, moderator), "home"), line, CancellationToken.None);
    }

    /// <summary>The pages members open most, each at its heaviest for this group.</summary>
    public IReadOnlyList<WebPageCase> Pages(WebViewer viewer)
    {
        var pages = site.Get<WebPages>();
        var wayr = site.Get<IWayrStore>();
        var progress = site.Get<IProgressStore>();
        var discussion = site.Get<IDiscussionStore>();
        var library = site.Get<LibraryService>();
        var weekly = site.Get<WeeklyPaperService>();
        var wayrService = site.Get<WayrService>();
        var streakService = site.Get<StreakService>();
        var progressService = site.Get<ReadingBot.Core.Progress.ProgressService>();
        var entries = site.Get<ILibraryStore>();
        var memberStore = site.Get<IMemberStore>();
        var index = site.Get<PaperSearchIndex>();
        var v = viewer.Invocation;
        var lastClosed = wayr.ClosedWeeks(Group, 1)[0].Week.ToString();
        var lastPage = (entries.Count(Group) + WebPages.LibraryPageSize - 1) / WebPages.LibraryPageSize;
        // The paper most written about, and the member with the longest reading record: the heaviest of their pages.
        var busiest = entries.List(Group, 0, Papers).Select(library.Item)
            .MaxBy(i => discussion.ForPaper(Group, i.Paper.Key).Count + progress.ForPaper(Group, i.Paper.Key).Count + wayr.PostsForPaper(Group, i.Paper.Key).Count)!;
        var reader = memberStore.List(Group).MaxBy(m => progress.ForMember(Group, m.UserId).Count)!;
        var query = string.Join(' ', busiest.Title.Split(' ').Take(3));
        return
        [
            new("home", "/", (p, w) => p.Home(w),
            [
                ("week card", () => weekly.ShowAsync(v, CancellationToken.None).GetAwaiter().GetResult()), ($"queue (top {WebPages.QueueOnHome})", () => weekly.Queue(v, WebPages.QueueOnHome)), ("leaderboard", () => streakService.Leaderboard(v)),
                ("reading chart", () => pages.ReadingChart(viewer)), ("members", () => memberStore.List(Group)),
                ("inside those, all WAYR posts", () => wayr.AllPosts(Group)), ("all reading records", () => progress.ForGroup(Group)),
                ("reading signals (queue's rising line)", () => site.Get<IReadingSignals>().ForGroupSince(Group, time.GetUtcNow().AddDays(-28))),
            ]),
            new("wayr (this week)", "/wayr", (p, w) => p.Wayr(w, null),
                [("closed weeks", () => wayr.ClosedWeeks(Group, 52)), ("week's posts", () => wayrService.List(v, null))]),
            new($"wayr ({lastClosed}, with digest)", $"/wayr?week={lastClosed}", (p, w) => p.Wayr(w, lastClosed),
                [("closed weeks", () => wayr.ClosedWeeks(Group, 52)), ("week's posts", () => wayrService.List(v, lastClosed)), ("digest", () => site.Get<IDigestStore>().Find(Group, WeekKey.TryParse(lastClosed, out var k) ? k : default))]),
            new("library (page 1)", "/library", (p, w) => p.Library(w, null, null),
                [("count", () => entries.Count(Group)), ("page of 50 with papers", () => entries.List(Group, 0, WebPages.LibraryPageSize).Select(library.Item).ToList())]),
            new($"library (page {lastPage}, the last)", $"/library?page={lastPage}", (p, w) => p.Library(w, null, lastPage.ToString(CultureInfo.InvariantCulture)),
                [("page of 50 with papers", () => entries.List(Group, (lastPage - 1) * WebPages.LibraryPageSize, WebPages.LibraryPageSize).Select(library.Item).ToList())]),
            new($"library search ({query.Split(' ').Length} words)", "/library?q=" + Uri.EscapeDataString(query), (p, w) => p.Library(w, query, null),
                [("BM25 search", () => index.Search(Group, query, WebPages.LibraryPageSize))]),
            new($"paper (#{busiest.Entry.Number}, the most discussed)", $"/papers/{busiest.Entry.Number}", (p, w) => p.Paper(w, busiest.Entry.Number),
            [
                ("card with contributors", () => library.Show(v, busiest.Label)), ("discussion notes", () => discussion.ForPaper(Group, busiest.Paper.Key)),
                ("readers", () => progress.ForPaper(Group, busiest.Paper.Key)), ("WAYR posts naming it", () => wayr.PostsForPaper(Group, busiest.Paper.Key)),
            ]),
            new($"member ({reader.UserId}, the longest record)", $"/members/{reader.UserId}", (p, w) => p.Member(w, reader.UserId),
                [("streak card", () => streakService.ShowStreak(v, reader.UserId, picture: false)), ("heatmap", () => pages.Heatmap(viewer, reader)), ("reading list", () => progressService.ShowProgress(v, reader.UserId))]),
        ];
    }

    private async Task RunWeekAsync(int w)
    {
        var monday = firstMonday.AddDays(7 * w);
        var week = WeekKey.Of(monday, TimeZoneInfo.Utc);
        var steps = new List<(TimeSpan At, Func<Task> Run)>();
        for (var day = 0; day < 7; day++)
        {
            foreach (var hour in new[] { 3, 9, 18 })
            {
                steps.Add((TimeSpan.FromDays(day) + TimeSpan.FromHours(hour) + TimeSpan.FromMinutes(5), PassAsync));
            }
        }

        // The WAYR week closes on Sunday at 20:00.
        steps.Add((TimeSpan.FromDays(6) + TimeSpan.FromHours(20) + TimeSpan.FromMinutes(5), PassAsync));
        var joined = members.Where(m => m.JoinWeek <= w).ToList();
        if (w == 0)
        {
            steps.Add((TimeSpan.FromHours(7), async () =>
            {
                await Do(Founder, "/settings presenters on");
                await AddPaperAsync(Founder, suggest: false);
                await Do(Founder, "/week pick #1");
            }));
        }

        // Every fourth member volunteers to present in the week they join.
        foreach (var m in members.Where((m, i) => m.JoinWeek == w && i % 4 == 1))
        {
            steps.Add((Hours(1, 12, 20), () => Do(m.Id, "/week present")));
        }

        var adds = (Papers * (w + 1) / (Weeks + 1)) - (Papers * w / (Weeks + 1)) - (w == 0 ? 1 : 0);
        for (var i = 0; i < adds; i++)
        {
            var adder = Pick(joined).Id;
            var suggest = i % 3 == 0;
            steps.Add((Hours(0, 10, 72), () => AddPaperAsync(adder, suggest)));
        }

        if (random.NextDouble() < 0.5)
        {
            var suggester = Pick(joined).Id;
            steps.Add((Hours(1, 9, 48), () => SuggestOlderPaperAsync(suggester)));
        }

        for (var i = 0; i < 4 + random.Next(9); i++)
        {
            var voter = Pick(joined).Id;
            steps.Add((Hours(1, 9, 90), () => VoteAsync(voter)));
        }

        steps.Add((Hours(4, 10, 0), () => PickNextWeekAsync(w)));
        foreach (var m in joined)
        {
            var posts = m.JoinWeek == w ? 1 : random.NextDouble() < m.Activity ? (random.NextDouble() < 0.1 ? 2 : 1) : 0;
            for (var i = 0; i < posts; i++)
            {
                steps.Add((Hours(0, 10, 151), () => PostWayrAsync(m.Id, week)));
            }

            if (random.NextDouble() < 0.35)
            {
                steps.Add((Hours(5, 8, 30), () => ReadAsync(m.Id)));
            }

            if (random.NextDouble() < 0.08)
            {
                steps.Add((Hours(2, 8, 60), () => LikeAsync(m.Id)));
            }
        }

        for (var i = 0; i < 3 + random.Next(6); i++)
        {
            var author = Pick(joined).Id;
            steps.Add((Hours(3, 18, 40), () => DiscussAsync(author, week)));
        }

        foreach (var (at, run) in steps.OrderBy(s => s.At))
        {
            if (monday + at > now)
            {
                break;
            }

            time.SetUtcNow(monday + at);
            await run();
        }
    }

    /// <summary>A moment in the week: <paramref name="day"/> at <paramref name="hour"/>, plus up to <paramref name="spreadHours"/> more.</summary>
    private TimeSpan Hours(int day, int hour, int spreadHours) =>
        TimeSpan.FromDays(day) + TimeSpan.FromHours(hour) + TimeSpan.FromMinutes(random.Next((spreadHours * 60) + 1));

    private T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];

    private async Task PassAsync()
    {
        SchedulerPasses++;
        await site.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);
    }

    private async Task Do(string member, string line)
    {
        if (await SendAsync(member, line) is ErrorReply error)
        {
            var kind = string.Join(' ', line.Split(' ').Take(2));
            errors[kind] = errors.GetValueOrDefault(kind) + 1;
            if (errors[kind] == 1 && Environment.GetEnvironmentVariable("READINGBOT_BENCH_VERBOSE") is not null)
            {
                Console.WriteLine($"  {member}: {line} -> {error.Message}");
            }
        }
    }

    private Task AddPaperAsync(string member, bool suggest)
    {
        if (papersAdded >= Papers)
        {
            return Task.CompletedTask;
        }

        // arXiv-style ids of the month the paper arrives in; the number is the paper's index in the synthetic corpus.
        var id = $"{time.GetUtcNow():yyMM}.{papersAdded++:D5}";
        return suggest
            ? Do(member, $"/paper suggest {id} {Pick(Notes)}")
            : Do(member, $"/paper add {id}");
    }

    private Task SuggestOlderPaperAsync(string member)
    {
        var count = site.Get<ILibraryStore>().Count(Group);
        return count < 10 ? Task.CompletedTask : Do(member, $"/paper suggest #{1 + random.Next(count)} {Pick(Notes)}");
    }

    private Task VoteAsync(string member)
    {
        var open = site.Get<ISuggestionStore>().ListOpen(Group).Where(s => !votes.Contains((member, s.PaperKey))).ToList();
        if (open.Count == 0)
        {
            return Task.CompletedTask;
        }

        var key = Pick(open).PaperKey;
        votes.Add((member, key));
        return Do(member, $"/paper vote {key["arxiv:".Length..]}");
    }

    private Task PickNextWeekAsync(int w)
    {
        // A break every quarter (not in the week the pages are looked at).
        if (w % 13 == 6)
        {
            return Do(Founder, "/week skip");
        }

        var ranked = WeeklyPaperService.Rank(site.Get<ISuggestionStore>().ListOpen(Group));
        var reference = ranked.Count > 0 ? ranked[0].PaperKey["arxiv:".Length..] : $"#{1 + random.Next(site.Get<ILibraryStore>().Count(Group))}";
        return Do(w % 2 == 0 ? Founder : "m01", $"/week pick {reference}");
    }

    private Task PostWayrAsync(string member, WeekKey week)
    {
        var status = random.NextDouble() switch { < 0.25 => "skimmed", < 0.6 => "reading", < 0.9 => "read", _ => "implemented" };
        if (random.NextDouble() < 0.2)
        {
            return Do(member, $"/wayr {Pick(Notes)}; {Pick(Notes)}");
        }

        var count = site.Get<ILibraryStore>().Count(Group);
        var planned = site.Get<IWeekPlanStore>().Find(Group, week)?.PaperKey;
        int number;
        if (planned is not null && random.NextDouble() < 0.35)
        {
            number = site.Get<ILibraryStore>().FindByPaper(Group, planned)!.Number;
        }
        else
        {
            // Mostly recent papers, now and then an old one.
            number = Math.Max(1, count - (int)(-Math.Log(1 - random.NextDouble()) * 40));
        }

        if (!postedNumbers.TryGetValue(member, out var list))
        {
            postedNumbers[member] = list = [];
        }

        list.Add(number);
        var entry = site.Get<ILibraryStore>().FindByNumber(Group, number)!;
        var reference = random.NextDouble() < 0.5 ? $"#{number}" : entry.PaperKey["arxiv:".Length..];
        return Do(member, $"/wayr {reference} {status}: {Pick(Notes)}");
    }

    private Task ReadAsync(string member)
    {
        if (!postedNumbers.TryGetValue(member, out var list) || list.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pass = random.NextDouble() switch { < 0.25 => "pass1", < 0.45 => "pass2", < 0.6 => "pass3", _ => "done" };
        return Do(member, $"/read #{list[^(1 + random.Next(Math.Min(5, list.Count)))]} {pass}");
    }

    private Task LikeAsync(string member)
    {
        var count = site.Get<ILibraryStore>().Count(Group);
        return Do(member, $"/like #{1 + random.Next(count)}");
    }

    private Task DiscussAsync(string member, WeekKey week) =>
        site.Get<IWeekPlanStore>().Find(Group, week) is { State: WeekPlanState.Planned, PaperKey: not null }
            ? Do(member, $"/discuss {Pick(Notes)}")
            : Task.CompletedTask;
}

/// <summary>Answers metadata requests from the synthetic corpus (the number after the dot is the paper's index): no network.</summary>
internal sealed class CorpusMetadataSource(SyntheticCorpus corpus) : IPaperMetadataSource
{
    public Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        var index = int.Parse(reference.Id[(reference.Id.IndexOf('.', StringComparison.Ordinal) + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        var (title, abstractText, authors) = corpus.Paper(index);
        var paper = Paper.Pending(reference) with
        {
            Title = title,
            Abstract = abstractText,
            Authors = authors,
            Year = 2000 + int.Parse(reference.Id[..2], CultureInfo.InvariantCulture),
            Categories = ["cs.LG"],
            LatestVersion = "v1",
        };
        return Task.FromResult<MetadataResult>(new MetadataResult.Found(paper));
    }
}

/// <summary>
/// The host's composition for the web (AddReadingBotCore, AddCharts, AddLiteDbStorage, AddWeb and MapWeb) on Kestrel
/// at 127.0.0.1:0, over a LiteDB file in a temporary directory, with the fake clock and a counting outbound port.
/// </summary>
internal sealed class WebSite : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ReadingBotDatabase database;
    private readonly string directory;
    private readonly HttpClient client;

    private WebSite(WebApplication app, ReadingBotDatabase database, string directory, CountingOutbound outbound)
    {
        this.app = app;
        this.database = database;
        this.directory = directory;
        Outbound = outbound;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }
    public CountingOutbound Outbound { get; }
    public CommandDispatcher Dispatcher => Get<CommandDispatcher>();

    public static async Task<WebSite> StartAsync(TimeProvider time, IPaperMetadataSource metadata)
    {
        var directory = Path.Combine(Path.GetTempPath(), "readingbot-bench-" + Guid.NewGuid().ToString("N"));
        var database = ReadingBotDatabase.OpenFile(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Web:Urls"] = "http://127.0.0.1:0", ["Papers:Enabled"] = "false" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        // Registered first, so the composition's offline default (TryAdd) leaves it in place.
        builder.Services.AddSingleton(metadata);
        builder.Services.AddReadingBotCore(builder.Configuration);
        builder.Services.AddCharts();
        builder.Services.AddLiteDbStorage(database);
        builder.Services.AddWeb(builder.Configuration);
        var outbound = new CountingOutbound();
        builder.Services.AddSingleton<IChatOutbound>(outbound);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapWeb();
        await app.StartAsync();
        return new WebSite(app, database, directory, outbound);
    }

    public T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public async Task<byte[]> GetAsync(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        database.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
