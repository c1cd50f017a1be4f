using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Follows;

/// <summary>
/// <c>/follow</c> and <c>/unfollow</c>: a member's (or, for moderators, the group's) followed researchers and topics,
/// a preview of an author's latest papers to tell namesakes apart, and the matches the refresh found.
/// </summary>
public sealed class FollowService(IFollowStore store, FollowedAuthorFinder finder, Recommendations.IDislikeStore dislikes, Recommendations.RecommendationEngine engine, FollowOptions options, TimeProvider time)
{
    private const int PreviewCount = 3;

    public async Task<Reply> FollowAuthorAsync(Invocation invocation, string text, CancellationToken cancellationToken)
    {
        var (name, forGroup) = SplitGroup(text);
        if (Refusal(invocation, forGroup, "follow") is { } refusal)
        {
            return refusal;
        }

        if (AuthorName.Parse(name) is not { } author)
        {
            return new ErrorReply($"\"{name}\" is not a name I can search for: give a surname, ideally with a given name or initial, for example /follow author Yann LeCun.");
        }

        // Kept as typed ("Yann LeCun", not a re-capitalised "Yann Lecun"); the key is what spellings share.
        var shown = string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var follow = new Follow(invocation.GroupId, Owner(invocation, forGroup), FollowKind.Author, AuthorKey(author), shown, invocation.Member.UserId, time.GetUtcNow());
        if (Save(invocation, follow) is { } problem)
        {
            return problem;
        }

        var (papers, searchProblem) = await finder.PreviewAsync(author, PreviewCount, cancellationToken);
        var who = forGroup ? "The group now follows" : "You now follow";
        var footer = searchProblem is not null
            ? $"arXiv could not be asked for a preview ({searchProblem}); new papers are looked for every {Hours} anyway."
            : $"Not the person you meant? /unfollow author {shown}{(forGroup ? " group" : "")}, then follow with a fuller name. New papers are looked for every {Hours}.";
        return new ListReply($"{who} {shown} — their latest on arXiv", papers.Select(PaperItem).ToList(),
            searchProblem is null ? "arXiv has no papers under that name yet; new ones will show up in /follow news." : "No preview this time.", footer)
        {
            Ephemeral = !forGroup,
        };
    }

    public Reply FollowTopic(Invocation invocation, string text)
    {
        var (words, forGroup) = SplitGroup(text);
        if (Refusal(invocation, forGroup, "follow") is { } refusal)
        {
            return refusal;
        }

        var (query, problem) = TopicQuery.Parse(words);
        if (query is null)
        {
            return new ErrorReply(problem!);
        }

        var follow = new Follow(invocation.GroupId, Owner(invocation, forGroup), FollowKind.Topic, query.Key, query.ToString(), invocation.Member.UserId, time.GetUtcNow());
        if (Save(invocation, follow) is { } saveProblem)
        {
            return saveProblem;
        }

        var who = forGroup ? "The group now follows" : "You now follow";
        return new TextReply($"{who} the topic {query}: new arXiv papers whose title or abstract has "
            + (query.Required.Count == 1 ? "it" : "all of " + string.Join(", ", query.Required.Select(TopicQuery.Show)))
            + (query.Excluded.Count > 0 ? " and none of " + string.Join(", ", query.Excluded.Select(TopicQuery.Show)) : "")
            + $" show up in /follow news{(forGroup ? " and the weekly digest" : "")}. They are looked for every {Hours}.")
        {
            Ephemeral = !forGroup,
        };
    }

    public Reply Unfollow(Invocation invocation, FollowKind kind, string text)
    {
        var (rest, forGroup) = SplitGroup(text);
        if (Refusal(invocation, forGroup, "unfollow") is { } refusal)
        {
            return refusal;
        }

        var owner = Owner(invocation, forGroup);
        var follows = store.ForOwner(invocation.GroupId, owner).Where(f => f.Kind == kind).ToList();
        Follow? found;
        if (kind == FollowKind.Author)
        {
            var author = AuthorName.Parse(rest);
            found = author is null ? null
                : follows.FirstOrDefault(f => f.Key == AuthorKey(author))
                  ?? (follows.Where(f => AuthorName.Parse(f.Text) is { } n && n.SamePersonAs(author)).ToList() is [var only] ? only : null);
        }
        else
        {
            var key = TopicQuery.Parse(rest).Query?.Key;
            found = follows.FirstOrDefault(f => f.Key == key);
        }

        var whose = forGroup ? "The group does" : "You do";
        if (found is null || !store.Remove(invocation.GroupId, owner, kind, found.Key))
        {
            return new ErrorReply($"{whose} not follow the {Noun(kind)} \"{rest}\". /follow list shows what {(forGroup ? "it follows" : "you follow")}.");
        }

        return new TextReply($"{(forGroup ? "The group no longer follows" : "You no longer follow")} {found.Text}.") { Ephemeral = !forGroup };
    }

    public Reply List(Invocation invocation)
    {
        var own = store.ForOwner(invocation.GroupId, invocation.Member.UserId);
        var group = store.ForOwner(invocation.GroupId, Follow.GroupOwner);
        var items = own.Select(f => new ListItem($"{Noun(f.Kind)}: {f.Text}", Button: new ReplyButton("Unfollow", $"unfollow {Noun(f.Kind)} {f.Text}")))
            .Concat(group.Select(f => new ListItem($"{Noun(f.Kind)}: {f.Text} (the group's)",
                Button: invocation.IsModerator ? new ReplyButton("Unfollow", $"unfollow {Noun(f.Kind)} {f.Text} group") : null)))
            .ToList();
        return new ListReply("Follows", items,
            "Nothing followed yet. Try /follow author Yann LeCun or /follow topic diffusion \"world model\" -medical.",
            $"New papers are looked for every {Hours}; /follow news lists what was found.") { Ephemeral = true };
    }

    public Reply News(Invocation invocation)
    {
        var items = MatchesFor(invocation.GroupId, invocation.Member.UserId, time.GetUtcNow() - TimeSpan.FromDays(options.LookbackDays), before: null, withGroups: true)
            .Take(20).Select(MatchItem).ToList();
        return new ListReply($"New from who and what you follow (last {options.LookbackDays} days)", items,
            items.Count == 0 && store.ForOwner(invocation.GroupId, invocation.Member.UserId).Count + store.ForOwner(invocation.GroupId, Follow.GroupOwner).Count == 0
                ? "You follow nothing yet: /follow author <name> or /follow topic <words>."
                : $"Nothing new yet; arXiv is searched every {Hours}.",
            items.Count > 0 ? "Not for you? /dislike <arXiv id> hides a paper from your lists and teaches your recommendations." : null) { Ephemeral = true };
    }

    /// <summary>
    /// A member's matches found from <paramref name="since"/> (and before <paramref name="before"/>, if given), with the group's own when
    /// <paramref name="withGroups"/>, each paper once, without the ones they disliked; newest first, or in the order
    /// of the member's trained model when there is one (at most 50 are ranked).
    /// </summary>
    public IReadOnlyList<FollowMatch> MatchesFor(GroupId group, string userId, DateTimeOffset since, DateTimeOffset? before, bool withGroups)
    {
        var hidden = dislikes.ForMember(group, userId).ToHashSet(StringComparer.Ordinal);
        var matches = store.Matches(group, userId, since)
            .Concat(withGroups ? store.Matches(group, Follow.GroupOwner, since) : [])
            .Where(m => (before is null || m.FoundAt < before) && !hidden.Contains(m.PaperKey))
            .DistinctBy(m => m.PaperKey)
            .OrderByDescending(m => m.FoundAt).ThenBy(m => m.PaperKey, StringComparer.Ordinal)
            .Take(50)
            .ToList();
        return engine.RankByModel(group, userId, matches, m => (m.PaperKey, m.Title));
    }

    /// <summary>A match as a line of a list: title, why, and the button that adds it to the library.</summary>
    public static ListItem MatchItem(FollowMatch match) =>
        new($"{match.Title} — {match.Why}", match.Url, new ReplyButton("Add to library", $"paper add {match.ArxivId ?? match.Url}"));

    /// <summary>"yann|lecun": given names and surname as the matcher compares them, so spellings of one name meet.</summary>
    public static string AuthorKey(AuthorName author) => string.Join(' ', author.GivenNames) + "|" + author.Surname;

    private string Hours => options.RefreshHours == 1 ? "hour" : $"{options.RefreshHours:0.##} hours";

    private static ListItem PaperItem(Paper paper) =>
        new($"{paper.Title} ({paper.Published:yyyy-MM-dd}) — {string.Join(", ", paper.Authors.Take(4))}{(paper.Authors.Count > 4 ? " et al." : "")}"
            + (paper.Categories.Count > 0 ? $" [{string.Join(", ", paper.Categories.Take(3))}]" : ""),
            paper.Url, new ReplyButton("Add to library", $"paper add {paper.ArxivId ?? paper.Url}"));

    private ErrorReply? Save(Invocation invocation, Follow follow)
    {
        var mine = store.ForOwner(invocation.GroupId, follow.Owner);
        if (mine.FirstOrDefault(f => f.Kind == follow.Kind && f.Key == follow.Key) is { } existing)
        {
            return new ErrorReply($"{(follow.ForGroup ? "The group already follows" : "You already follow")} {existing.Text}.");
        }

        if (!follow.ForGroup && mine.Count >= options.MaxPerMember)
        {
            return new ErrorReply($"You follow {options.MaxPerMember} authors and topics already, the most one member may; /unfollow one first.");
        }

        if (store.CountForGroup(invocation.GroupId) >= options.MaxPerGroup)
        {
            return new ErrorReply($"This group's members follow {options.MaxPerGroup} authors and topics already, the most a group may; /unfollow some first.");
        }

        return store.Add(follow) ? null : new ErrorReply($"{(follow.ForGroup ? "The group already follows" : "You already follow")} {follow.Text}.");
    }

    private static ErrorReply? Refusal(Invocation invocation, bool forGroup, string verb) =>
        forGroup && !invocation.IsModerator
            ? new ErrorReply($"Only moderators can {verb} for the whole group; leave out \"group\" to {verb} for yourself.")
            : null;

    private static string Owner(Invocation invocation, bool forGroup) => forGroup ? Follow.GroupOwner : invocation.Member.UserId;

    private static string Noun(FollowKind kind) => kind == FollowKind.Author ? "author" : "topic";

    // "… group" at the end follows for the group; a topic about the word itself quotes it ("group").
    private static (string Text, bool ForGroup) SplitGroup(string text)
    {
        var trimmed = text.Trim();
        return trimmed.EndsWith(" group", StringComparison.OrdinalIgnoreCase) ? (trimmed[..^6].TrimEnd(), true)
            : string.Equals(trimmed, "group", StringComparison.OrdinalIgnoreCase) ? ("", true) : (trimmed, false);
    }
}
