using System.Globalization;
using Microsoft.Extensions.Logging;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Core.Follows;

/// <summary>What one refresh did.</summary>
public sealed record FollowRefreshResult(int Authors, int Topics, int Papers, int NewMatches, IReadOnlyList<string> Problems);

/// <summary>
/// One refresh of every group's follows: followed authors' new papers from arXiv in batched <c>au:</c> queries (one
/// set of queries for all groups, however many follow the same person), then every followed topic over those papers
/// and the category feed's, each match stored once per owner and paper. It reaches back from the last successful
/// refresh with an overlap (arXiv announces a day's papers with yesterday's dates), or <c>Follow:LookbackDays</c>.
/// </summary>
public sealed class FollowRefresher(
    IFollowStore store,
    FollowedAuthorFinder finder,
    RecommendationEngine engine,
    IAdapterStateStore state,
    IDeliveryLog claims,
    FollowOptions options,
    TimeProvider time,
    ILogger<FollowRefresher> logger)
{
    public const string WatermarkKey = "follows:refreshedAt";

    private static readonly TimeSpan Overlap = TimeSpan.FromDays(2);

    /// <summary>
    /// The start of the refresh period after <paramref name="now"/>: periods are <c>Follow:RefreshHours</c> long,
    /// counted from the Unix epoch, so every process agrees on them.
    /// </summary>
    public DateTimeOffset NextPeriodStart(DateTimeOffset now) => DateTimeOffset.UnixEpoch.AddTicks((PeriodOf(now) + 1) * options.RefreshInterval.Ticks);

    /// <summary>The number of the period <paramref name="now"/> falls in.</summary>
    private long PeriodOf(DateTimeOffset now) => (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / options.RefreshInterval.Ticks;

    /// <summary>
    /// The current period's refresh, once for all processes: every process runs the refresh loop, and the first to
    /// claim the period in the shared store refreshes (arXiv is asked once a period, however many processes there are;
    /// a restart inside a period asks nothing again). Null when the period was claimed before. A process that dies
    /// mid-refresh leaves the period to the next one, which reaches back past it.
    /// </summary>
    public async Task<FollowRefreshResult?> RefreshOncePerPeriodAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = string.Create(CultureInfo.InvariantCulture, $"follows:refresh:{options.RefreshInterval.TotalMinutes}m:{PeriodOf(now)}");
        if (!claims.TryRecord(key, now, NextPeriodStart(now) + options.RefreshInterval))
        {
            return null;
        }

        return await RefreshAsync(cancellationToken);
    }

    public async Task<FollowRefreshResult> RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var follows = store.All();
        var authorFollows = follows.Where(f => f.Kind == FollowKind.Author)
            .Select(f => (Follow: f, Name: AuthorName.Parse(f.Text)))
            .Where(f => f.Name is not null)
            .GroupBy(f => f.Follow.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Name: g.First().Name!, Follows: g.Select(x => x.Follow).ToList()), StringComparer.Ordinal);
        var topicFollows = follows.Where(f => f.Kind == FollowKind.Topic)
            .Select(f => (Follow: f, TopicQuery.Parse(f.Text).Query))
            .Where(f => f.Query is not null)
            .ToList();
        if (authorFollows.Count == 0 && topicFollows.Count == 0)
        {
            return new FollowRefreshResult(0, 0, 0, 0, []);
        }

        var lookback = now - TimeSpan.FromDays(options.LookbackDays);
        var since = LastRefresh() is { } last && last - Overlap > lookback ? last - Overlap : lookback;
        var added = 0;
        IReadOnlyList<string> problems = [];
        var papers = new Dictionary<string, Paper>(StringComparer.Ordinal);
        if (authorFollows.Count > 0)
        {
            var byName = authorFollows.Values.ToDictionary(a => a.Name, a => a.Follows);
            (var matches, problems) = await finder.NewPapersAsync(byName.Keys, since, options.PageSize, options.MaxPages, cancellationToken);
            foreach (var match in matches)
            {
                papers.TryAdd(match.Paper.Key, match.Paper);
                foreach (var follow in match.Authors.SelectMany(a => byName[a]))
                {
                    added += Record(follow, match.Paper, $"by {follow.Text}", now) ? 1 : 0;
                }
            }
        }

        if (topicFollows.Count > 0)
        {
            foreach (var paper in engine.Snapshot.FeedPapers.Values.Where(p => p.Published >= lookback))
            {
                papers.TryAdd(paper.Key, paper);
            }

            var candidates = papers.Values.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            var index = new TopicIndex<Follow>(topicFollows.Select(t => (t.Follow, t.Query!)));
            var hits = index.MatchAll(candidates.Select(p => p.Title + "\n" + p.Abstract).ToList());
            for (var i = 0; i < candidates.Count; i++)
            {
                foreach (var hit in hits[i])
                {
                    added += Record(hit.Item, candidates[i], "topic: " + string.Join(", ", hit.Terms), now) ? 1 : 0;
                }
            }
        }

        if (problems.Count == 0)
        {
            state.Set(WatermarkKey, now.ToString("O", CultureInfo.InvariantCulture));
        }

        logger.LogInformation("Follow refresh: {Authors} authors, {Topics} topics, {Papers} papers, {New} new matches, {Problems} problems",
            authorFollows.Count, topicFollows.Count, papers.Count, added, problems.Count);
        return new FollowRefreshResult(authorFollows.Count, topicFollows.Count, papers.Count, added, problems);
    }

    private DateTimeOffset? LastRefresh() =>
        state.Get(WatermarkKey) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    private bool Record(Follow follow, Paper paper, string why, DateTimeOffset now) =>
        store.AddMatch(new FollowMatch(follow.Group, follow.Owner, paper.Key, paper.Title ?? paper.PendingLabel, paper.Url, paper.ArxivId, why, now));
}
