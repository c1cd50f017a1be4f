using System.Globalization;

namespace ReadingBot.Core.Replies;

/// <summary>Counts in replies: "1 week", "2 weeks", "0 papers". One place, so no reply says "1 volunteers".</summary>
internal static class Plural
{
    /// <summary><paramref name="count"/> and the noun, singular for exactly one.</summary>
    /// <param name="count">How many.</param>
    /// <param name="singular">The noun for one, such as "week".</param>
    /// <param name="plural">The noun for any other count; by default <paramref name="singular"/> + "s".</param>
    public static string Count(long count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
}
