using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests;

/// <summary>Counts read as English ("1 volunteer", "1 week") and the library's pages say where they end.</summary>
public sealed class CountsAndPagesTests : IDisposable
{
    private readonly TestBot bot = TestBot.Create(start: new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));

    public void Dispose() => bot.Dispose();

    [Theory]
    [InlineData(0, "0 weeks")]
    [InlineData(1, "1 week")]
    [InlineData(2, "2 weeks")]
    public void A_count_takes_the_singular_for_exactly_one(int count, string expected) =>
        Assert.Equal(expected, Plural.Count(count, "week"));

    [Fact]
    public async Task The_first_presenter_volunteer_is_one_volunteer()
    {
        await bot.SendAsync("/settings presenters on", "mod", moderator: true);

        var reply = await bot.TextAsync("/week present", "bob");

        Assert.Contains("(1 volunteer)", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_pages_before_the_last_point_to_more()
    {
        for (var i = 1; i <= 21; i++)
        {
            await bot.SendAsync($"/paper add https://example.org/paper/{i} Paper number {i}");
        }

        var first = Assert.IsType<ListReply>(await bot.SendAsync("/paper list"));
        var last = Assert.IsType<ListReply>(await bot.SendAsync("/paper list 2"));
        var beyond = await bot.TextAsync("/paper list 3");

        Assert.Equal("Page 1 of 2; /paper list 2 for more.", first.Footer);
        Assert.Equal("Page 2 of 2, the last; /paper list 1 goes back to the start.", last.Footer);
        Assert.DoesNotContain("for more", last.Footer, StringComparison.Ordinal);
        Assert.Contains("the library has 2 pages", beyond, StringComparison.Ordinal);
    }
}
