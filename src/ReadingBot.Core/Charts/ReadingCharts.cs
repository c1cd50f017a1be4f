using Microsoft.Extensions.Logging;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Streaks;
using ReadingBot.Core.Wayr;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Charts;

/// <summary>How a week shows in a member's streak heatmap.</summary>
public enum StreakCell
{
    NotCounted,
    Open,
    Kept,
    Frozen,
    Missed,
}

/// <summary>One cell of the heatmap.</summary>
public sealed record StreakWeek(WeekKey Week, StreakCell Cell);

/// <summary>A member's recent weeks, oldest first, this week last.</summary>
public sealed record StreakHeatmap(string MemberName, IReadOnlyList<StreakWeek> Weeks);

/// <summary>How many papers the group finished in a week.</summary>
public sealed record WeeklyCount(WeekKey Week, int Count);

/// <summary>The group's papers read per week, oldest first, this week last.</summary>
public sealed record ReadingChart(IReadOnlyList<WeeklyCount> Weeks);

/// <summary>
/// Draws the charts as pictures for chat (the web page draws its own SVG from the same data). An implementation lives
/// outside Core because it needs a graphics library.
/// </summary>
public interface IChartRenderer
{
    /// <summary>A PNG of the member's heatmap.</summary>
    CardImage RenderStreak(StreakHeatmap heatmap);

    /// <summary>A PNG of the group's papers read per week.</summary>
    CardImage RenderReading(ReadingChart chart);
}

/// <summary>
/// The data behind the streak heatmap and the papers-read-per-week chart, computed once for the web page (SVG) and
/// for chat (PNG through <see cref="IChartRenderer"/>).
/// </summary>
public sealed class ReadingCharts(IWayrStore wayr, IProgressStore progress, IStreakStore streaks, IChartRenderer renderer, TimeProvider time, ILogger<ReadingCharts> logger)
{
    /// <summary>Half a year: long enough to see a habit, short enough to read each cell.</summary>
    public const int Weeks = 26;

    /// <summary>The member's last <paramref name="count"/> weeks as the ledger has them; weeks without an entry are not counted (or still open).</summary>
    public StreakHeatmap Heatmap(Group group, string memberId, string memberName, int count = Weeks)
    {
        var current = WeekKey.Of(time.GetUtcNow(), group.Zone());
        var ledger = streaks.Ledger(group.Id, memberId).GroupBy(e => e.Week).ToDictionary(g => g.Key, g => g.Last().Outcome);
        var weeks = LastWeeks(current, count).Select(week => new StreakWeek(week, ledger.TryGetValue(week, out var result)
            ? result switch
            {
                WeekResult.Kept => StreakCell.Kept,
                WeekResult.Frozen => StreakCell.Frozen,
                _ => StreakCell.Missed,
            }
            : week == current ? StreakCell.Open : StreakCell.NotCounted));
        return new StreakHeatmap(memberName, [.. weeks]);
    }

    /// <summary>
    /// Papers read per week: a paper counts once per member, in the week of a WAYR post marking it read or implemented,
    /// or of <c>/read … done</c>. The chart ends at <paramref name="lastWeek"/> (a digest's week), or this week.
    /// </summary>
    public ReadingChart Reading(Group group, WeekKey? lastWeek = null, int count = Weeks)
    {
        var zone = group.Zone();
        var current = lastWeek ?? WeekKey.Of(time.GetUtcNow(), zone);
        var first = current.Advance(1 - count);
        var readings = wayr.PostsBetween(group.Id, first, current)
            .Where(p => p.PaperKey is not null && p.Status is ReadingStatus.Read or ReadingStatus.Implemented)
            .Select(p => (p.Week, p.Author, Paper: p.PaperKey!))
            .Concat(progress.FinishedBetween(group.Id, WeeklySchedule.ToInstant(first.Monday, TimeOnly.MinValue, zone), WeeklySchedule.ToInstant(current.Next().Monday, TimeOnly.MinValue, zone))
                .Select(p => (Week: WeekKey.Of(p.At, zone), Author: p.Member, Paper: p.PaperKey)))
            .Distinct()
            .GroupBy(r => r.Week)
            .ToDictionary(g => g.Key, g => g.Count());
        return new ReadingChart([.. LastWeeks(current, count).Select(w => new WeeklyCount(w, readings.GetValueOrDefault(w)))]);
    }

    /// <summary>The heatmap as a picture, or null (logged) when it cannot be drawn: the reply still goes out without it.</summary>
    public CardImage? StreakPicture(Group group, string memberId, string memberName) =>
        Draw(() => renderer.RenderStreak(Heatmap(group, memberId, memberName)), "streak heatmap");

    /// <summary>The reading chart up to <paramref name="lastWeek"/> as a picture, or null (logged) when it cannot be drawn.</summary>
    public CardImage? ReadingPicture(Group group, WeekKey lastWeek) =>
        Draw(() => renderer.RenderReading(Reading(group, lastWeek)), "reading chart");

    private static IEnumerable<WeekKey> LastWeeks(WeekKey current, int count) =>
        Enumerable.Range(0, count).Select(i => current.Advance(i - count + 1));

    private CardImage? Draw(Func<CardImage> draw, string what)
    {
        try
        {
            return draw();
        }
#pragma warning disable CA1031 // A chart is decoration: whatever the graphics library throws, the card goes out without it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not draw the {Chart}; the reply goes out without a picture", what);
            return null;
        }
    }
}
