using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Papers;

/// <summary>
/// First commands of a new group arriving at once (a Discord server's members at the same moment): each add gets
/// its own number. LiteDB's transactions read a snapshot, so two adds once read the same next number and one failed
/// with a duplicate key (8 groups in 300 before the fix).
/// </summary>
public sealed class ConcurrentAddTests
{
    [Fact]
    public async Task Adds_racing_in_a_new_group_each_get_their_own_number_and_a_command_beside_them_is_answered()
    {
        using var bot = TestBot.Create();
        var failures = new List<string>();
        for (var g = 0; g < 300; g++)
        {
            var group = new GroupAddress(Platforms.Discord, "guild" + g);
            var replies = await Task.WhenAll(
                Task.Run(() => bot.SendAsync("paper add 2101.00001", "alice", group: group)),
                Task.Run(() => bot.SendAsync("paper add 2101.00002", "alice", group: group)),
                Task.Run(() => bot.SendAsync("help", "bob", group: group)));
            failures.AddRange(replies.OfType<ErrorReply>().Select(e => $"guild{g}: {e.Message}"));
            if (g % 50 == 0)
            {
                var list = await bot.TextAsync("paper list", "bob", group: group);
                Assert.Contains("#1 ", list, StringComparison.Ordinal);
                Assert.Contains("#2 ", list, StringComparison.Ordinal);
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Wayr_posts_racing_in_one_week_each_get_their_own_number()
    {
        using var bot = TestBot.Create();
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => bot.SendAsync($"wayr 2101.{i + 1:00000} reading: note {i}", "member" + i))));

        Assert.Empty(replies.OfType<ErrorReply>().Select(e => e.Message));
        var week = await bot.TextAsync("wayr list");
        Assert.All(Enumerable.Range(1, 40), n => Assert.Contains($"#{n} ", week, StringComparison.Ordinal));
    }
}
