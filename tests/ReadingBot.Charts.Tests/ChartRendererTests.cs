using ReadingBot.Charts;
using ReadingBot.Core.Charts;
using ReadingBot.Core.Weeks;
using SkiaSharp;

namespace ReadingBot.Charts.Tests;

/// <summary>The PNGs are decoded and their pixels counted: a chart that draws the wrong cells fails here.</summary>
public sealed class ChartRendererTests
{
    private readonly ScottPlotChartRenderer renderer = new();

    private static IReadOnlyList<WeekKey> Weeks(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new WeekKey(2026, 48).Advance(i - count + 1))];

    private static StreakHeatmap Heatmap(params StreakCell[] cells) =>
        new("alice", [.. Weeks(cells.Length).Zip(cells, (w, c) => new StreakWeek(w, c))]);

    /// <summary>Pixels of exactly this colour; the cells are flat fills, and the legend's swatches add a few.</summary>
    private static int Count(byte[] png, ScottPlot.Color colour)
    {
        using var bitmap = SKBitmap.Decode(png);
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (p.Red == colour.R && p.Green == colour.G && p.Blue == colour.B)
                {
                    count++;
                }
            }
        }

        return count;
    }

    [Fact]
    public void The_heatmap_is_a_png_of_the_promised_size()
    {
        var image = renderer.RenderStreak(Heatmap([.. Enumerable.Repeat(StreakCell.Kept, 26)]));
        using var bitmap = SKBitmap.Decode(image.Content);

        Assert.Equal("image/png", image.ContentType);
        Assert.Equal((ScottPlotChartRenderer.Width, ScottPlotChartRenderer.HeatmapHeight), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Each_cell_takes_the_colour_of_its_week()
    {
        var allKept = renderer.RenderStreak(Heatmap([.. Enumerable.Repeat(StreakCell.Kept, 26)])).Content;
        var halfMissed = renderer.RenderStreak(Heatmap([.. Enumerable.Repeat(StreakCell.Kept, 13), .. Enumerable.Repeat(StreakCell.Missed, 13)])).Content;

        var keptAll = Count(allKept, ScottPlotChartRenderer.Kept);
        var keptHalf = Count(halfMissed, ScottPlotChartRenderer.Kept);
        var missedHalf = Count(halfMissed, ScottPlotChartRenderer.Missed);
        var missedNone = Count(allKept, ScottPlotChartRenderer.Missed);

        // The legend shows every colour once, so a chart with no missed week still has a red swatch, but a small one.
        Assert.True(keptAll > 20_000, $"kept pixels: {keptAll}");
        Assert.True(missedNone < 1_000, $"missed pixels with no missed week: {missedNone}");
        Assert.InRange(keptHalf, keptAll * 0.4, keptAll * 0.6);
        Assert.InRange(missedHalf, keptHalf * 0.8, keptHalf * 1.2);
    }

    [Fact]
    public void Frozen_weeks_and_weeks_not_counted_have_their_own_colours()
    {
        var frozen = renderer.RenderStreak(Heatmap([.. Enumerable.Repeat(StreakCell.Frozen, 26)])).Content;
        var empty = renderer.RenderStreak(Heatmap([.. Enumerable.Repeat(StreakCell.NotCounted, 26)])).Content;

        Assert.True(Count(frozen, ScottPlotChartRenderer.Frozen) > 20_000);
        Assert.True(Count(frozen, ScottPlotChartRenderer.Kept) < 1_000);
        Assert.True(Count(empty, ScottPlotChartRenderer.Empty) > 20_000);
    }

    [Fact]
    public void The_alt_text_says_what_the_heatmap_shows()
    {
        var image = renderer.RenderStreak(Heatmap(StreakCell.Kept, StreakCell.Kept, StreakCell.Frozen, StreakCell.Missed, StreakCell.Open));

        Assert.Equal("Weekly streak heatmap of alice: 2 kept, 1 frozen, 1 missed of the last 5 weeks.", image.AltText);
    }

    [Fact]
    public void A_member_name_cannot_shape_the_file_name()
    {
        var image = renderer.RenderStreak(new StreakHeatmap("../../Ünïcode <b>bob</b>", [new StreakWeek(new WeekKey(2026, 48), StreakCell.Kept)]));

        Assert.Matches("^streak-n-code--b-bob--b-[0-9a-f]{8}\\.png$", image.FileName);
    }

    [Fact]
    public void Members_whose_names_are_not_ascii_get_pictures_of_their_own()
    {
        StreakHeatmap For(string name) => new(name, [new StreakWeek(new WeekKey(2026, 48), StreakCell.Kept)]);

        var names = new[] { "张伟", "李娜", "Łukasz", "Lukasz", "bob" };
        var files = names.Select(n => renderer.RenderStreak(For(n)).FileName).ToArray();

        Assert.Equal(names.Length, files.Distinct(StringComparer.Ordinal).Count());
        Assert.All(files, f => Assert.Matches("^streak-[a-z0-9-]+\\.png$", f));
        Assert.Equal("streak-bob.png", files[^1]);
        // The same member keeps the same file name from one /streak to the next.
        Assert.Equal(files[0], renderer.RenderStreak(For("张伟")).FileName);
    }

    [Theory]
    [InlineData(26)]
    [InlineData(25)]
    [InlineData(13)]
    [InlineData(7)]
    [InlineData(3)]
    public void Week_labels_on_the_reading_chart_never_stand_closer_than_one_step_and_name_the_newest_week(int weeks)
    {
        var ticks = ScottPlotChartRenderer.WeekTicks(weeks);

        Assert.Equal(weeks - 1, ticks[^1]);
        Assert.InRange(ticks.Length, Math.Min(weeks, 6), 7);
        var gaps = ticks.Zip(ticks.Skip(1), (a, b) => b - a).Distinct().ToArray();
        Assert.Equal([Math.Max(1, weeks / 6)], gaps);
    }

    [Fact]
    public void Taller_bars_for_busier_weeks_and_none_for_an_empty_half_year()
    {
        var weeks = Weeks(26);
        var busy = renderer.RenderReading(new ReadingChart([.. weeks.Select((w, i) => new WeeklyCount(w, i % 3))])).Content;
        var busier = renderer.RenderReading(new ReadingChart([.. weeks.Select((w, i) => new WeeklyCount(w, i % 3 == 0 ? 0 : 2))])).Content;
        var idle = renderer.RenderReading(new ReadingChart([.. weeks.Select(w => new WeeklyCount(w, 0))]));

        Assert.True(Count(busier, ScottPlotChartRenderer.Read) > Count(busy, ScottPlotChartRenderer.Read) * 1.2);
        Assert.Equal(0, Count(idle.Content, ScottPlotChartRenderer.Read));
        Assert.Equal("reading-2026-W48.png", idle.FileName);
        Assert.Equal("Bar chart of papers read per week from 2026-W23 to 2026-W48: 0 in all, at most 0 in one week.", idle.AltText);
    }
}
