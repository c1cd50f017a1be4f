using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Core.Wayr;

/// <summary>What members posted in WAYR and finished with <c>/read … done</c> teaches their recommendations.</summary>
public sealed class WayrReadingSignals(IWayrStore wayr, IProgressStore progress) : IReadingSignalSource
{
    public IEnumerable<PaperSignal> ForMember(GroupId group, string userId) => ForGroup(group).Where(s => s.UserId == userId);

    public IEnumerable<PaperSignal> ForGroup(GroupId group) => Signals(wayr.AllPosts(group), group, DateTimeOffset.MinValue);

    // WAYR weeks are the group's local weeks, so the range starts at the earliest week any zone could give the instant.
    public IEnumerable<PaperSignal> ForGroupSince(GroupId group, DateTimeOffset since) =>
        Signals(wayr.PostsBetween(group, Weeks.WeekKey.EarliestFor(since), new Weeks.WeekKey(9999, 1)), group, since);

    private IEnumerable<PaperSignal> Signals(IEnumerable<WayrPost> posts, GroupId group, DateTimeOffset since) =>
        posts.Where(p => p.PaperKey is not null && p.At >= since)
            .Select(p => new PaperSignal(p.PaperKey!, SignalKind.PostedInWayr, SignalWeights.PostedInWayr, p.Author, p.At))
            .Concat(progress.FinishedBetween(group, since, DateTimeOffset.MaxValue)
                .Select(p => new PaperSignal(p.PaperKey, SignalKind.FinishedReading, SignalWeights.FinishedReading, p.Member, p.At)));
}
