using ReadingBot.Core.Groups;
using ReadingBot.Core.Recommendations;

namespace ReadingBot.Core.Wayr;

/// <summary>What members posted in WAYR and finished with <c>/read … done</c> teaches their recommendations.</summary>
public sealed class WayrReadingSignals(IWayrStore wayr, IProgressStore progress) : IReadingSignalSource
{
    public IEnumerable<PaperSignal> ForMember(GroupId group, string userId) => ForGroup(group).Where(s => s.UserId == userId);

    public IEnumerable<PaperSignal> ForGroup(GroupId group) =>
        wayr.AllPosts(group).Where(p => p.PaperKey is not null)
            .Select(p => new PaperSignal(p.PaperKey!, SignalKind.PostedInWayr, SignalWeights.PostedInWayr, p.Author, p.At))
            .Concat(progress.ForGroup(group).Where(p => p.Pass == ReadingPass.Done)
                .Select(p => new PaperSignal(p.PaperKey, SignalKind.FinishedReading, SignalWeights.FinishedReading, p.Member, p.At)));
}
