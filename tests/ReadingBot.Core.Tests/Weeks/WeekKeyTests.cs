using ReadingBot.Core.Settings;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Tests.Weeks;

public sealed class WeekKeyTests
{
    [Fact]
    public void The_week_follows_the_groups_zone_at_a_sunday_midnight()
    {
        // Sunday 2026-11-29 23:30 UTC is already Monday 00:30 in Berlin.
        var instant = new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new WeekKey(2026, 48), WeekKey.Of(instant, TimeZones.FindOrUtc("Etc/UTC")));
        Assert.Equal(new WeekKey(2026, 49), WeekKey.Of(instant, TimeZones.FindOrUtc("Europe/Berlin")));
    }

    [Fact]
    public void Iso_week_53_and_the_year_boundary_are_handled()
    {
        // 2026 has 53 ISO weeks; 2027-01-01 (a Friday) still belongs to 2026-W53.
        var newYear = new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var week = WeekKey.Of(newYear, TimeZoneInfo.Utc);

        Assert.Equal(new WeekKey(2026, 53), week);
        Assert.Equal(new WeekKey(2027, 1), week.Next());
        Assert.Equal(new WeekKey(2026, 52), week.Previous());
        Assert.Equal(new DateOnly(2026, 12, 28), week.Monday);
    }

    [Theory]
    [InlineData("2026-W48", 2026, 48)]
    [InlineData("2026w09", 2026, 9)]
    public void Weeks_parse_from_iso_text(string text, int year, int week)
    {
        Assert.True(WeekKey.TryParse(text, out var parsed));
        Assert.Equal(new WeekKey(year, week), parsed);
        Assert.False(WeekKey.TryParse("2025-W53", out _));
    }

    [Theory]
    [InlineData("2026-W49", 2026, 49)]
    [InlineData(" 2026w49 ", 2026, 49)]
    [InlineData("2026-12-03", 2026, 49)]
    [InlineData("2027-01-01", 2026, 53)]
    [InlineData(" 2026-11-29 ", 2026, 48)]
    public void A_week_or_a_date_in_it_names_the_iso_week(string text, int year, int week)
    {
        Assert.True(WeekKey.TryParseWeekOrDate(text, out var parsed));
        Assert.Equal(new WeekKey(year, week), parsed);
    }

    [Theory]
    [InlineData("#3")]
    [InlineData("2026-13-01")]
    [InlineData("2026-W54")]
    [InlineData("03.12.2026")]
    [InlineData("")]
    public void Text_that_is_neither_a_week_nor_a_date_does_not_parse(string text)
    {
        Assert.False(WeekKey.TryParseWeekOrDate(text, out var parsed));
        Assert.Equal(default, parsed);
    }
}
