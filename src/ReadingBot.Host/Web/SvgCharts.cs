using System.Globalization;
using System.Text;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Weeks;
using static ReadingBot.Host.Web.Html;

namespace ReadingBot.Host.Web;

/// <summary>
/// The page's charts as server-rendered SVG: no script, no inline style (colours come from classes in the site's
/// stylesheet, so dark mode applies), values in each mark's <c>&lt;title&gt;</c> and again in a table that screen
/// readers read instead of the picture.
/// </summary>
public static class SvgCharts
{
    private const int Width = 640;
    private const int Left = 56;
    private const int Right = 28;
    private const int Top = 12;
    private const int Bottom = 46;

    /// <summary>The room one week label needs on the x axis, in chart units ("30 Nov" at the label's font size, with a gap).</summary>
    private const double LabelRoom = 60;

    /// <summary>
    /// One bar a week, oldest first, with a y axis of whole numbers, week labels (every few weeks, always the last, never
    /// overlapping) and, with <paramref name="averageWeeks"/>, a line of the trailing moving average.
    /// </summary>
    public static string WeeklyBars(string label, IReadOnlyList<WeeklyCount> weeks, string unit, string axisTitle, int height = 220, int? averageWeeks = null)
    {
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        var (step, top) = Ticks(weeks.Count == 0 ? 0 : weeks.Max(w => w.Count));
        var slot = weeks.Count == 0 ? plotWidth : (double)plotWidth / weeks.Count;
        double Y(double value) => Top + plotHeight - (value * plotHeight / top);
        double X(int i) => Left + (i * slot);

        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"weekly-bars\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{E(label)}, last {weeks.Count} weeks\">");
        for (var value = 0; value <= top; value += step)
        {
            var y = F(Y(value));
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"gridline\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"y-label\" x=\"{Left - 6}\" y=\"{F(Y(value) + 4)}\" text-anchor=\"end\">{value}</text>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{16}\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 16 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{E(axisTitle)}</text>");
        var every = Math.Max(1, (int)Math.Ceiling(LabelRoom / slot));
        for (var i = 0; i < weeks.Count; i++)
        {
            var count = weeks[i].Count;
            var barTop = count == 0 ? Y(0) - 1 : Y(count);
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar{(count == 0 ? " empty" : "")}\" x=\"{F(X(i) + (slot * 0.15))}\" y=\"{F(barTop)}\" width=\"{F(slot * 0.7)}\" height=\"{F(Y(0) - barTop)}\" rx=\"2\"><title>{E(weeks[i].Week.ToString())}: {count} {E(unit)}</title></rect>");
            // Counted back from this week, so the newest week always has its label.
            // In a narrow chart the labels grow and every other one is hidden (the stylesheet's "alt"), so they still never overlap.
            if ((weeks.Count - 1 - i) % every == 0)
            {
                var alt = (weeks.Count - 1 - i) / every % 2 == 1 ? " alt" : "";
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"x-label{alt}\" x=\"{F(X(i) + (slot / 2))}\" y=\"{height - Bottom + 20}\" text-anchor=\"middle\">{E(Monday(weeks[i].Week))}</text>");
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\"/>")
            .Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{F(Y(0))}\"/>")
            .Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{Left + (plotWidth / 2)}\" y=\"{height - 4}\" text-anchor=\"middle\">week starting</text>");
        var average = averageWeeks is { } window ? MovingAverage(weeks.Select(w => w.Count).ToList(), window) : null;
        if (average is not null)
        {
            var points = string.Join(' ', average.Select((a, i) => $"{F(X(i) + (slot / 2))},{F(Y(a))}"));
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"trend\" points=\"{points}\"><title>{averageWeeks}-week moving average</title></polyline>");
        }

        sb.Append("</svg>");
        if (average is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<figcaption class=\"legend\"><span class=\"swatch bar\"></span>{E(unit)} per week <span class=\"swatch trend\"></span>{averageWeeks}-week average</figcaption>");
        }

        sb.Append("</figure>");
        return sb.Append(Table(label, weeks.Select((w, i) => new[] { w.Week.ToString(), Monday(w.Week), w.Count.ToString(CultureInfo.InvariantCulture) }
                .Concat(average is null ? [] : [average[i].ToString("0.0", CultureInfo.InvariantCulture)]).ToArray()),
            ["Week", "Starting", unit, .. average is null ? Array.Empty<string>() : [$"{averageWeeks}-week average"]])).ToString();
    }

    /// <summary>A member's weeks as a row of cells, like a contribution graph, with month labels above and a legend below.</summary>
    public static string Heatmap(IReadOnlyList<StreakWeek> weeks)
    {
        const int cell = 18;
        const int gap = 4;
        const int top = 26;
        var width = Math.Max(cell, weeks.Count * (cell + gap));
        var height = top + cell + 2;
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Weekly streak, last {weeks.Count} weeks\">");
        for (var i = 0; i < weeks.Count; i++)
        {
            var monday = weeks[i].Week.Monday;
            if (monday.Day <= 7)
            {
                // A month is labelled at its first Monday: labels are four or five weeks apart, wider than three letters.
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"x-label\" x=\"{i * (cell + gap)}\" y=\"20\">{monday.ToString("MMM", CultureInfo.InvariantCulture)}</text>");
            }

            var name = CellName(weeks[i].Cell);
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"week {name.Replace(' ', '-')}\" x=\"{i * (cell + gap)}\" y=\"{top}\" width=\"{cell}\" height=\"{cell}\" rx=\"3\"><title>{E(weeks[i].Week.ToString())}: {name}</title></rect>");
        }

        sb.Append("</svg><figcaption class=\"legend\">")
            .Append(string.Concat(new[] { StreakCell.Kept, StreakCell.Frozen, StreakCell.Missed, StreakCell.Open, StreakCell.NotCounted }
                .Select(cell => $"<span class=\"swatch {CellName(cell).Replace(' ', '-')}\"></span>{(cell == StreakCell.Open ? "open week" : CellName(cell))} ")))
            .Append("</figcaption></figure>");
        return sb.Append(Table("Weekly streak", weeks.Select(w => new[] { w.Week.ToString(), Monday(w.Week), CellName(w.Cell) }), ["Week", "Starting", "Result"])).ToString();
    }

    /// <summary>A small horizontal bar for a value out of a maximum; decoration beside the number, hidden from screen readers.</summary>
    public static string Meter(int value, int max) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<svg class=\"meter\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"meter-track\" width=\"100\" height=\"8\" rx=\"2\"/><rect class=\"meter-fill\" width=\"{F(max <= 0 ? 0 : Math.Max(value == 0 ? 0 : 3, value * 100.0 / max))}\" height=\"8\" rx=\"2\"/></svg>");

    /// <summary>The trailing average of the last <paramref name="window"/> values (fewer at the start).</summary>
    public static IReadOnlyList<double> MovingAverage(IReadOnlyList<int> values, int window) =>
        values.Select((_, i) => values.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average()).ToList();

    /// <summary>A whole-number tick step and the axis top for a largest value: at most five steps, and never a flat axis.</summary>
    private static (int Step, int Top) Ticks(int max)
    {
        var step = max <= 5 ? 1 : (int)Math.Ceiling(max / 4.0);
        var top = Math.Max(step * (int)Math.Ceiling(Math.Max(1, max) / (double)step), 1);
        return (step, top);
    }

    private static string CellName(StreakCell cell) => cell switch
    {
        StreakCell.Kept => "kept",
        StreakCell.Frozen => "frozen",
        StreakCell.Missed => "missed",
        StreakCell.Open => "open",
        _ => "not counted",
    };

    private static string Monday(WeekKey week) => week.Monday.ToString("d MMM", CultureInfo.InvariantCulture);

    private static string Table(string caption, IEnumerable<string[]> rows, string[] head)
    {
        // The hidden box is a div: a table grows to its content whatever its own width says.
        var sb = new StringBuilder("<div class=\"sr-only\"><table><caption>").Append(E(caption)).Append("</caption><thead><tr>");
        foreach (var h in head)
        {
            sb.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>");
        }

        return sb.Append("</tbody></table></div>").ToString();
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
