using System.Globalization;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Replies;
using ScottPlot;

namespace ReadingBot.Charts;

/// <summary>
/// Draws the streak heatmap and the papers-read-per-week chart as PNGs with ScottPlot. The colours match the web page's
/// SVG so a member sees the same picture in chat and in the browser.
/// </summary>
public sealed class ScottPlotChartRenderer : IChartRenderer
{
    public const int Width = 640;
    public const int HeatmapHeight = 260;
    public const int ReadingHeight = 300;

    /// <summary>Weeks per row of the heatmap: a quarter, so two rows are half a year.</summary>
    public const int Columns = 13;

    public static readonly Color Kept = Color.FromHex("#2da44e");
    public static readonly Color Frozen = Color.FromHex("#54aeff");
    public static readonly Color Missed = Color.FromHex("#cf222e");
    public static readonly Color Empty = Color.FromHex("#d0d7de");
    public static readonly Color Read = Color.FromHex("#0969da");
    public static readonly Color OpenOutline = Color.FromHex("#57606a");

    public CardImage RenderStreak(StreakHeatmap heatmap)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        var plot = new Plot();
        var weeks = heatmap.Weeks;
        var rows = Math.Max(1, (weeks.Count + Columns - 1) / Columns);
        for (var i = 0; i < weeks.Count; i++)
        {
            var column = i % Columns;
            var row = i / Columns;
            var cell = plot.Add.Rectangle(column + 0.06, column + 0.94, -row - 0.94, -row - 0.06);
            cell.FillColor = Colour(weeks[i].Cell);
            cell.LineWidth = weeks[i].Cell == StreakCell.Open ? 2 : 0;
            cell.LineColor = OpenOutline;
        }

        // Each row is labelled by its first week, so the reader can place any cell in time.
        var rowTicks = Enumerable.Range(0, rows).Where(r => r * Columns < weeks.Count).ToArray();
        plot.Axes.Left.SetTicks([.. rowTicks.Select(r => -r - 0.5)], [.. rowTicks.Select(r => weeks[r * Columns].Week.ToString())]);
        plot.Axes.Bottom.SetTicks([], []);
        plot.Axes.SetLimits(0, Columns, -rows, 0);
        plot.Grid.IsVisible = false;
        plot.Title(Clip($"{heatmap.MemberName}'s weekly streak, last {weeks.Count} weeks", 70));
        foreach (var (label, colour) in new[] { ("kept", Kept), ("frozen", Frozen), ("missed", Missed), ("not counted", Empty) })
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = colour });
        }

        plot.ShowLegend(Edge.Bottom);
        var kept = weeks.Count(w => w.Cell == StreakCell.Kept);
        var alt = string.Create(CultureInfo.InvariantCulture,
            $"Weekly streak heatmap of {heatmap.MemberName}: {kept} kept, {weeks.Count(w => w.Cell == StreakCell.Frozen)} frozen, {weeks.Count(w => w.Cell == StreakCell.Missed)} missed of the last {weeks.Count} weeks.");
        return Png(plot, $"streak-{FileSafe(heatmap.MemberName)}.png", HeatmapHeight, alt);
    }

    public CardImage RenderReading(ReadingChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plot = new Plot();
        var weeks = chart.Weeks;
        var bars = plot.Add.Bars(weeks.Select(w => (double)w.Count).ToArray());
        foreach (var bar in bars.Bars)
        {
            // An empty week keeps a thin grey stub so the gap reads as "none", not as missing data.
            bar.FillColor = bar.Value == 0 ? Empty : Read;
            bar.LineWidth = 0;
            if (bar.Value == 0)
            {
                bar.Value = 0.04;
            }
        }

        var ticks = WeekTicks(weeks.Count);
        plot.Axes.Bottom.SetTicks([.. ticks.Select(i => (double)i)], [.. ticks.Select(i => "W" + weeks[i].Week.Week.ToString("00", CultureInfo.InvariantCulture))]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Margins(bottom: 0);
        var most = weeks.Count == 0 ? 0 : weeks.Max(w => w.Count);
        plot.Axes.SetLimitsY(0, Math.Max(1, most) * 1.1);
        plot.YLabel("papers");
        var first = weeks.Count > 0 ? weeks[0].Week.ToString() : "";
        var last = weeks.Count > 0 ? weeks[^1].Week.ToString() : "";
        plot.Title($"Papers read per week, {first} to {last}");
        var alt = string.Create(CultureInfo.InvariantCulture,
            $"Bar chart of papers read per week from {first} to {last}: {weeks.Sum(w => w.Count)} in all, at most {most} in one week.");
        return Png(plot, $"reading-{last}.png", ReadingHeight, alt);
    }

    /// <summary>
    /// Which bars get a week label: every step-th counted back from the newest, so the newest week is always named and
    /// no two labels stand closer than one step (a label beside the last one would overlap it, as W48 did W49).
    /// </summary>
    internal static int[] WeekTicks(int count)
    {
        var step = Math.Max(1, count / 6);
        return [.. Enumerable.Range(0, count).Where(i => (count - 1 - i) % step == 0)];
    }

    private static CardImage Png(Plot plot, string fileName, int height, string alt) =>
        new(fileName, "image/png", plot.GetImageBytes(Width, height, ImageFormat.Png), alt);

    private static Color Colour(StreakCell cell) => cell switch
    {
        StreakCell.Kept => Kept,
        StreakCell.Frozen => Frozen,
        StreakCell.Missed => Missed,
        _ => Empty,
    };

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>
    /// A member's display name is user text: only letters, digits and dashes reach a file name. A name that loses
    /// characters on the way (Łukasz, 张伟, "bob!") gets a short hash of the whole name, so two members never share a
    /// picture's file name while the same member always gets the same one.
    /// </summary>
    internal static string FileSafe(string name)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]).Trim('-');
        if (safe.Length > 40)
        {
            safe = safe[..40].TrimEnd('-');
        }

        if (safe.Equals(name, StringComparison.Ordinal))
        {
            return safe;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        return safe.Length == 0 ? "member-" + hash : safe + "-" + hash;
    }
}
