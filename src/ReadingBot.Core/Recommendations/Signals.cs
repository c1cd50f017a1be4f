using ReadingBot.Core.Groups;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Recommendations;

/// <summary>A member's like of a paper of the group's library.</summary>
public sealed record PaperLike(GroupId Group, string UserId, string PaperKey, DateTimeOffset At);

/// <summary>Stores likes: one record per group, member and paper.</summary>
public interface ILikeStore
{
    /// <summary>Adds the like, or removes it if the member liked the paper before; returns true when the paper is now liked.</summary>
    bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at);

    IReadOnlyList<PaperLike> ForMember(GroupId group, string userId);

    IReadOnlyList<PaperLike> ForGroup(GroupId group);
}

/// <summary>
/// Members' "not for me": one record per group, member and paper. A disliked paper is a negative example for the
/// member's model and is hidden from that member's recommendations and follow lists.
/// </summary>
public interface IDislikeStore
{
    /// <summary>Adds the dislike, or removes it if the member disliked the paper before; returns true when it is now disliked.</summary>
    bool Toggle(GroupId group, string userId, string paperKey, DateTimeOffset at);

    /// <summary>The keys of the papers the member disliked.</summary>
    IReadOnlyList<string> ForMember(GroupId group, string userId);
}

/// <summary>What a member (or the group) did with a paper that says they care about it.</summary>
public enum SignalKind
{
    Liked,
    Suggested,
    Voted,
    Picked,

    /// <summary>Posted in a WAYR thread (filled by the WAYR feature through <see cref="IReadingSignalSource"/>).</summary>
    PostedInWayr,

    /// <summary>Finished with <c>/read … done</c> (filled by the reading-progress feature).</summary>
    FinishedReading,
}

/// <summary>One piece of evidence that a member or group cares about a paper, with its weight in training.</summary>
public sealed record PaperSignal(string PaperKey, SignalKind Kind, double Weight, string? UserId, DateTimeOffset? At);

/// <summary>Everything a member's or a group's recommendations learn from.</summary>
public interface IReadingSignals
{
    /// <summary>The member's signals (likes, suggestions, votes, and whatever the registered sources add).</summary>
    IReadOnlyList<PaperSignal> ForMember(GroupId group, string userId);

    /// <summary>Every member's signals plus the group's picks.</summary>
    IReadOnlyList<PaperSignal> ForGroup(GroupId group);

    /// <summary>
    /// The group's signals from <paramref name="since"/> on, plus every pick of any age (a picked paper has risen for
    /// good). Reads only the recent part of the history, so it stays cheap for a group with years of it.
    /// </summary>
    IReadOnlyList<PaperSignal> ForGroupSince(GroupId group, DateTimeOffset since);
}

/// <summary>
/// A feature that owns more evidence (WAYR posts, <c>/read … done</c>) registers one of these; its signals join
/// likes, suggestions, votes and picks in training, in the "already read" filter and in <c>Trending</c>.
/// </summary>
public interface IReadingSignalSource
{
    IEnumerable<PaperSignal> ForMember(GroupId group, string userId);

    IEnumerable<PaperSignal> ForGroup(GroupId group);

    /// <summary>The group's signals from <paramref name="since"/> on (more may come back; callers filter by time).</summary>
    IEnumerable<PaperSignal> ForGroupSince(GroupId group, DateTimeOffset since);
}

/// <summary>Weights of each kind of signal (a like counts most, a vote least).</summary>
internal static class SignalWeights
{
    public const double Like = 1.0;
    public const double FinishedReading = 1.0;
    public const double Suggested = 0.8;
    public const double PostedInWayr = 0.8;
    public const double Picked = 0.7;
    public const double Voted = 0.6;
}

/// <summary>Likes, suggestions, votes and picks from the stores, plus the registered <see cref="IReadingSignalSource"/>s.</summary>
public sealed class ReadingSignals(ILikeStore likes, ISuggestionStore suggestions, IWeekPlanStore plans, IEnumerable<IReadingSignalSource> sources) : IReadingSignals
{
    private static readonly WeekKey First = new(1900, 1);
    private static readonly WeekKey Last = new(9999, 1);

    public IReadOnlyList<PaperSignal> ForMember(GroupId group, string userId)
    {
        var signals = likes.ForMember(group, userId).Select(l => new PaperSignal(l.PaperKey, SignalKind.Liked, SignalWeights.Like, userId, l.At)).ToList();
        foreach (var s in AllSuggestions(group, plans.Range(group, First, Last)))
        {
            if (s.SuggestedBy == userId)
            {
                signals.Add(new PaperSignal(s.PaperKey, SignalKind.Suggested, SignalWeights.Suggested, userId, s.SuggestedAt));
            }

            if (s.Voters.Contains(userId))
            {
                // Votes carry no time of their own; the suggestion's is the best bound we have.
                signals.Add(new PaperSignal(s.PaperKey, SignalKind.Voted, SignalWeights.Voted, userId, s.SuggestedAt));
            }
        }

        foreach (var source in sources)
        {
            signals.AddRange(source.ForMember(group, userId));
        }

        return signals;
    }

    public IReadOnlyList<PaperSignal> ForGroup(GroupId group) => Gather(group, null);

    public IReadOnlyList<PaperSignal> ForGroupSince(GroupId group, DateTimeOffset since) => Gather(group, since);

    /// <summary>The group's signals, all of them or those from <paramref name="since"/> on; picks of any age either way.</summary>
    private List<PaperSignal> Gather(GroupId group, DateTimeOffset? since)
    {
        var from = since ?? DateTimeOffset.MinValue;
        var planned = plans.Range(group, First, Last);
        var signals = likes.ForGroup(group).Where(l => l.At >= from).Select(l => new PaperSignal(l.PaperKey, SignalKind.Liked, SignalWeights.Like, l.UserId, l.At)).ToList();
        // A suggestion made since then was picked, if at all, for a week no earlier than the one before it.
        var fromWeek = since is { } t ? WeekKey.EarliestFor(t) : (WeekKey?)null;
        foreach (var s in AllSuggestions(group, planned.Where(p => fromWeek is not { } w || p.Week >= w)).Where(s => s.SuggestedAt >= from))
        {
            signals.Add(new PaperSignal(s.PaperKey, SignalKind.Suggested, SignalWeights.Suggested, s.SuggestedBy, s.SuggestedAt));
            signals.AddRange(s.Voters.Select(v => new PaperSignal(s.PaperKey, SignalKind.Voted, SignalWeights.Voted, v, s.SuggestedAt)));
        }

        foreach (var plan in planned.Where(p => p.State == WeekPlanState.Planned && p.PaperKey is not null))
        {
            signals.Add(new PaperSignal(plan.PaperKey!, SignalKind.Picked, SignalWeights.Picked, plan.PickedBy, plan.PickedAt));
        }

        foreach (var source in sources)
        {
            signals.AddRange(since is { } recent ? source.ForGroupSince(group, recent) : source.ForGroup(group));
        }

        return signals;
    }

    /// <summary>The open suggestions, and the picked ones that <paramref name="weekPlans"/> lead back to.</summary>
    private IEnumerable<Suggestion> AllSuggestions(GroupId group, IEnumerable<WeekPlan> weekPlans)
    {
        var open = suggestions.ListOpen(group);
        var seen = open.Select(s => s.PaperKey).ToHashSet(StringComparer.Ordinal);
        // Picked suggestions leave the open list; their week plans lead back to them (and their voters).
        var picked = weekPlans
            .Where(p => p.PaperKey is not null && !seen.Contains(p.PaperKey))
            .Select(p => suggestions.Find(group, p.PaperKey!))
            .Where(s => s is not null)
            .Select(s => s!)
            .DistinctBy(s => s.PaperKey);
        return open.Concat(picked);
    }
}
