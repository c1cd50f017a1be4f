using System.Collections.Concurrent;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Roadmaps;

namespace ReadingBot.Core.Recommendations;

/// <summary>A recommended paper as another feature shows it (the digest's "you might like").</summary>
public sealed record RecommendedPaper(string PaperKey, string Title, string Url, int? Number, string? ArxivId, bool FromFeed, IReadOnlyList<string> Reasons)
{
    /// <summary><c>#12</c> for a library paper, <c>arXiv:2511.01234</c> for a feed paper.</summary>
    public string Label => Number is { } n ? $"#{n}" : ArxivId is { } id ? $"arXiv:{id}" : PaperKey;
}

/// <summary>A paper rising in the group: recent likes, suggestions, votes and mentions.</summary>
public sealed record TrendingPaper(string PaperKey, string Title, int? Number, double Score, int Members);

/// <summary>
/// <c>/like</c>, <c>/recommend</c> and <c>/similar</c>, plus what other features show: <see cref="ForDigest"/> for
/// the weekly digest and <see cref="Trending"/> for the queue. Every answer comes from the engine's published
/// snapshot and cached models: nothing here fits features or trains.
/// </summary>
public sealed class RecommendationService(
    RecommendationEngine engine,
    IReadingSignals signals,
    ILikeStore likes,
    IDislikeStore dislikes,
    LibraryService library,
    ILibraryStore entries,
    RoadmapService roadmaps,
    IRoadmapStore roadmapProgress,
    RecommendationOptions options,
    TimeProvider time)
{
    private readonly RequestRateLimiter limiter = new(time);

    public Reply Like(Invocation invocation, string reference)
    {
        var lookup = library.Find(invocation.GroupId, reference);
        if (lookup.Item is not { } item)
        {
            return new ErrorReply(lookup.Error!);
        }

        var liked = likes.Toggle(invocation.GroupId, invocation.Member.UserId, item.Paper.Key, time.GetUtcNow());
        // Retrain in the background now, so the member's next /recommend finds a model that knows this like.
        engine.RequestTraining(invocation.GroupId, invocation.Member.UserId);
        engine.RequestTraining(invocation.GroupId, RecommendationEngine.GroupSubject);
        return liked
            ? new TextReply($"Liked {item.Label} {item.Title}. Your likes teach /recommend; /like {item.Label} again to take it back.") { Ephemeral = true }
            : new TextReply($"Took back your like of {item.Label} {item.Title}.") { Ephemeral = true };
    }

    /// <summary>
    /// "Not for me": a library paper, a feed paper or any paper reference (a follow match not yet in the library).
    /// Again to take it back. A disliked paper the member liked loses the like: the two cannot both hold.
    /// </summary>
    public Reply Dislike(Invocation invocation, string reference)
    {
        var group = invocation.GroupId;
        if (Resolve(group, reference, anyPaper: true) is not ({ } key, { } label))
        {
            return new ErrorReply(library.Find(group, reference).Error!);
        }

        var user = invocation.Member.UserId;
        var now = time.GetUtcNow();
        var disliked = dislikes.Toggle(group, user, key, now);
        if (disliked && likes.ForMember(group, user).Any(l => l.PaperKey == key))
        {
            likes.Toggle(group, user, key, now);
        }

        engine.RequestTraining(group, user);
        return disliked
            ? new TextReply($"Noted: {label} is not for you. It is hidden from your recommendations and follow lists, and papers like it rank lower; /dislike it again to take that back.") { Ephemeral = true }
            : new TextReply($"Took back your dislike of {label}.") { Ephemeral = true };
    }

    /// <summary>
    /// A reference as a paper key and its label: a library paper, else a feed paper, else (with
    /// <paramref name="anyPaper"/>) any parsable reference; null when none fits.
    /// </summary>
    private (string? Key, string? Label) Resolve(GroupId group, string reference, bool anyPaper)
    {
        if (library.Find(group, reference).Item is { } item)
        {
            return (item.Paper.Key, $"{item.Label} {item.Title}");
        }

        if (PaperRefParser.Parse(reference).Reference is not { } parsed)
        {
            return (null, null);
        }

        return engine.Snapshot.FeedPapers.TryGetValue(parsed.Key, out var fed) ? (fed.Key, $"arXiv:{fed.ArxivId} {fed.Title}")
            : anyPaper ? (parsed.Key, Paper.LabelFor(parsed.Key)) : (null, null);
    }

    public Reply Recommend(Invocation invocation, bool forGroup)
    {
        var group = invocation.GroupId;
        if (!limiter.TryAcquire($"m|{group.Value}|{invocation.Member.UserId}", options.MemberRequestsPerMinute, out var wait)
            || !limiter.TryAcquire($"g|{group.Value}", options.GroupRequestsPerMinute, out wait))
        {
            return new ErrorReply($"Recommendations are limited to {options.MemberRequestsPerMinute} a minute for you and {options.GroupRequestsPerMinute} for the group; try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.");
        }

        var title = forGroup ? "Recommended for the group" : $"Recommended for {invocation.Member.DisplayName}";
        var snap = engine.Snapshot;
        if (entries.Count(group) == 0 && snap.FeedRows.Length == 0)
        {
            return new ListReply(title, Roadmap(invocation, new HashSet<string>()),
                "The library is empty. Add papers with /paper add <ref>, then like the ones you enjoyed with /like #n.",
                "The library is empty, so here is the start of the roadmap. Add papers with /paper add <ref> and like them with /like #n.") { Ephemeral = true };
        }

        var subject = forGroup ? RecommendationEngine.GroupSubject : invocation.Member.UserId;
        var own = forGroup ? signals.ForGroup(group) : signals.ForMember(group, invocation.Member.UserId);
        var seen = own.Select(s => s.PaperKey).ToHashSet(StringComparer.Ordinal);
        if (!forGroup)
        {
            seen.UnionWith(dislikes.ForMember(group, invocation.Member.UserId));
        }

        var ranking = engine.Rank(group, subject, own, seen, Math.Clamp(options.Results, 1, 20));
        if (ranking is not null && ranking.Papers.Count > 0)
        {
            var items = ranking.Papers.Select(p => Item(group, p)).Where(i => i is not null).Select(i => i!).ToList();
            return new ListReply(title, items, "Nothing new to recommend.", Footer(ranking, forGroup)) { Ephemeral = true };
        }

        // Too little signal: say so, and fall back to the group's taste and the roadmap.
        var why = own.Count == 0
            ? forGroup
                ? "The group has no signal yet: like papers with /like #n, suggest and vote with /paper suggest and /paper vote."
                : "You have no signal yet: like papers with /like #n, or suggest and vote for papers."
            : ranking is null
                ? $"{(forGroup ? "The group's" : "Your")} {own.Count} signal{(own.Count == 1 ? " is" : "s are")} still being indexed (papers are read in the background, about every {options.RefreshSeconds:0} s)."
                : "Everything that matches your taste is already among the papers you liked, suggested or voted for.";
        var fallback = new List<ListItem>();
        if (!forGroup && engine.Rank(group, RecommendationEngine.GroupSubject, signals.ForGroup(group), seen, 5) is { Papers.Count: > 0 } groupPicks)
        {
            fallback.AddRange(groupPicks.Papers.Select(p => Item(group, p)).Where(i => i is not null).Select(i => i! with { Text = "Group's taste: " + i.Text }));
        }

        fallback.AddRange(Roadmap(invocation, seen));
        return new ListReply(title, fallback, why, why + (fallback.Count > 0 ? " Meanwhile: the group's picks and the roadmap." : "")) { Ephemeral = true };
    }

    public Reply Similar(Invocation invocation, string reference)
    {
        var group = invocation.GroupId;
        if (Resolve(group, reference, anyPaper: false) is not ({ } key, { } label))
        {
            return new ErrorReply(library.Find(group, reference).Error!);
        }

        if (!engine.Knows(key))
        {
            engine.Wake();
            return new TextReply($"{label} is not indexed for recommendations yet; papers are read in the background (about every {options.RefreshSeconds:0} s). Try again shortly.") { Ephemeral = true };
        }

        var ranking = engine.Similar(group, key, Math.Clamp(options.Results, 1, 20));
        if (ranking is null)
        {
            return new TextReply($"{label} has no title or abstract to compare yet (its metadata is pending).") { Ephemeral = true };
        }

        var items = ranking.Papers.Where(p => p.Score > 0).Select(p => Item(group, p)).Where(i => i is not null).Select(i => i!).ToList();
        return new ListReply($"Similar to {label}", items, "No other paper shares its terms yet.",
            items.Count > 0 ? "Nearest by cosine over tf-idf of titles, abstracts and authors; the terms are what they share most." : null);
    }

    /// <summary>
    /// For the weekly digest's "you might like": the group's top papers from its cached model (or centroid), never
    /// waiting for training. Empty when the group has no signal yet.
    /// </summary>
    public IReadOnlyList<RecommendedPaper> ForDigest(GroupId group, int count = 3)
    {
        var own = signals.ForGroup(group);
        var seen = own.Select(s => s.PaperKey).ToHashSet(StringComparer.Ordinal);
        var ranking = engine.Rank(group, RecommendationEngine.GroupSubject, own, seen, Math.Clamp(count, 1, 20));
        return ranking is null ? [] : ranking.Papers.Select(p => Describe(group, p)).Where(p => p is not null).Select(p => p!).ToList();
    }

    /// <summary>
    /// What is rising in the group: likes, suggestions, votes (and mentions, once their source is registered) of the
    /// last <see cref="RecommendationOptions.TrendingWeeks"/> weeks, each weighted and halved for every week of age;
    /// papers already picked for a week are left out.
    /// </summary>
    public IReadOnlyList<TrendingPaper> Trending(GroupId group, int count = 3)
    {
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromDays(7 * Math.Max(1, options.TrendingWeeks));
        var all = signals.ForGroupSince(group, since);
        // A paper already picked for a week has risen: it leaves the list, as it leaves the queue.
        var picked = all.Where(s => s.Kind == SignalKind.Picked).Select(s => s.PaperKey).ToHashSet(StringComparer.Ordinal);
        return all
            .Where(s => s.At is { } at && at >= since && !picked.Contains(s.PaperKey))
            .GroupBy(s => s.PaperKey, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Score: g.Sum(s => s.Weight * Math.Pow(0.5, (now - s.At!.Value).TotalDays / 7)), Members: g.Select(s => s.UserId).Distinct().Count()))
            .OrderByDescending(t => t.Score).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(Math.Max(0, count))
            .Select(t => library.FindByKey(group, t.Key) is { } item
                ? new TrendingPaper(t.Key, item.Title, item.Entry.Number, t.Score, t.Members)
                : new TrendingPaper(t.Key, t.Key, null, t.Score, t.Members))
            .ToList();
    }

    /// <summary>A one-line "Rising" footer for <c>/paper queue</c>, or null when nothing rose lately.</summary>
    public string? RisingLine(GroupId group, int count = 3)
    {
        var rising = Trending(group, count);
        return rising.Count == 0
            ? null
            : "Rising: " + string.Join("; ", rising.Select(t => $"{(t.Number is { } n ? $"#{n} " : "")}{t.Title} ({t.Members} member{(t.Members == 1 ? "" : "s")})"));
    }

    private RecommendedPaper? Describe(GroupId group, RankedPaper paper)
    {
        if (library.FindByKey(group, paper.PaperKey) is { } item)
        {
            return new RecommendedPaper(paper.PaperKey, item.Title, item.Paper.Url, item.Entry.Number, item.Paper.ArxivId, false, paper.Reasons);
        }

        return engine.Snapshot.FeedPapers.TryGetValue(paper.PaperKey, out var fed)
            ? new RecommendedPaper(paper.PaperKey, fed.DisplayTitle(null), fed.Url, null, fed.ArxivId, true, paper.Reasons)
            : null;
    }

    private ListItem? Item(GroupId group, RankedPaper paper)
    {
        if (Describe(group, paper) is not { } p)
        {
            return null;
        }

        var because = p.Reasons.Count == 0 ? "" : " — because: " + string.Join(", ", p.Reasons);
        return p.FromFeed
            ? new ListItem($"{p.Label} {p.Title} (new on arXiv; add it with /paper add {p.ArxivId}){because}", p.Url, new ReplyButton("Add", $"paper add {p.ArxivId}"))
            : new ListItem($"{p.Label} {p.Title}{because}", p.Url, new ReplyButton("Like", $"like {p.Label}"));
    }

    private string Footer(Ranking ranking, bool forGroup)
    {
        var whose = forGroup ? "the group's" : "your";
        var papers = $"{ranking.Positives} paper{(ranking.Positives == 1 ? "" : "s")}";
        return ranking.Kind switch
        {
            ModelKind.Svm => $"Ranked by a linear SVM trained on {whose} {papers} (likes, suggestions, votes, picks) against the rest; the terms weigh most for each pick.",
            _ when ranking.Positives >= options.MinPositives => $"Ranked by similarity to {whose} {papers}; a trained model replaces this shortly.",
            _ => $"Ranked by similarity to {whose} {papers}; with {options.MinPositives} or more a trained model takes over.",
        };
    }

    private List<ListItem> Roadmap(Invocation invocation, ISet<string> seen)
    {
        var done = roadmapProgress.FindProgress(invocation.GroupId, invocation.Member.UserId)?.Done.ToHashSet(StringComparer.Ordinal) ?? [];
        return roadmaps.Current(invocation.GroupId).Items
            .Where(i => !done.Contains(i.Item.PaperKey) && !seen.Contains(i.Item.PaperKey))
            .Take(3)
            .Select(i => entries.FindByPaper(invocation.GroupId, i.Item.PaperKey) is { } entry
                ? new ListItem($"Roadmap ({i.Section.Title}): #{entry.Number} {i.Item.Title}", null, new ReplyButton("Show", $"paper show #{entry.Number}"))
                : new ListItem($"Roadmap ({i.Section.Title}): {i.Item.Title}", StarterRoadmap.PaperFor(i.Item.PaperKey)?.Url))
            .ToList();
    }
}

/// <summary>Sliding one-minute windows per key (a member, a group), on the injected clock.</summary>
internal sealed class RequestRateLimiter(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> windows = new(StringComparer.Ordinal);

    public bool TryAcquire(string key, int perMinute, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        if (windows.Count > 10_000)
        {
            // Keys of members who stopped asking would pile up; drop every window that has emptied.
            foreach (var (stale, q) in windows)
            {
                lock (q)
                {
                    if (q.Count == 0 || now - q.Last() >= Window)
                    {
                        windows.TryRemove(stale, out _);
                    }
                }
            }
        }

        var queue = windows.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= Window)
            {
                queue.Dequeue();
            }

            if (queue.Count >= Math.Max(1, perMinute))
            {
                retryAfter = queue.Peek() + Window - now;
                return false;
            }

            queue.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
