using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Weeks;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Weeks;

/// <summary>The scheduler runs only the groups this process serves (another process runs the rest, e.g. other Discord shards).</summary>
public sealed class GroupOwnershipTests
{
    private static readonly DateTimeOffset Due = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly string AnnounceKey = $"{TestBot.LocalGroup.Id.Value}|2026-W48|announce";

    private sealed class SwitchableOwnership : IGroupOwnership
    {
        public bool Serving { get; set; }

        public List<GroupAddress> Asked { get; } = [];

        public string Platform => Platforms.Local;

        public bool Serves(GroupAddress group)
        {
            Asked.Add(group);
            return Serving;
        }
    }

    [Fact]
    public async Task A_group_another_process_serves_gets_no_claim_and_no_post_until_this_process_serves_it()
    {
        var ownership = new SwitchableOwnership();
        using var bot = TestBot.Create(services => services.AddSingleton<IGroupOwnership>(ownership), start: Due.AddDays(-3));
        await bot.SendAsync("/settings timezone Etc/UTC", "mod", moderator: true);
        await bot.SendAsync("/settings announce monday 09:00", "mod", moderator: true);
        bot.Time.SetUtcNow(Due.AddMinutes(1));
        var scheduler = bot.Get<WeeklyScheduler>();

        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Empty(bot.Outbound.Posts);
        Assert.Null(bot.Get<IScheduledPostStore>().Find(AnnounceKey));
        Assert.Contains(TestBot.LocalGroup, ownership.Asked);

        ownership.Serving = true;
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Single(bot.Outbound.Posts, p => p.Key == AnnounceKey);
    }

    [Fact]
    public async Task Without_an_ownership_for_its_platform_every_process_runs_the_group_and_the_claim_decides()
    {
        using var bot = TestBot.Create(start: Due.AddDays(-3));
        await bot.SendAsync("/settings timezone Etc/UTC", "mod", moderator: true);
        await bot.SendAsync("/settings announce monday 09:00", "mod", moderator: true);
        bot.Time.SetUtcNow(Due.AddMinutes(1));

        await bot.Get<WeeklyScheduler>().RunDueAsync(CancellationToken.None);

        Assert.Single(bot.Outbound.Posts, p => p.Key == AnnounceKey);
    }
}
