using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Wayr;

/// <summary>WAYR posts (post, list, edit, delete) and the weekly digest, as members see them.</summary>
public sealed class WayrService(
    LibraryService library,
    IWayrStore wayr,
    IDigestStore digests,
    IMemberStore members,
    PaperSearchIndex search,
    TimeProvider time)
{
    public async Task<Reply> PostAsync(Invocation invocation, string text, CancellationToken cancellationToken)
    {
        var (week, closedError) = OpenWeek(wayr, invocation.Group, time.GetUtcNow());
        if (closedError is not null)
        {
            return new ErrorReply(closedError);
        }

        var parsed = await ReadAsync(invocation, text, cancellationToken);
        if (parsed.Error is not null)
        {
            return new ErrorReply(parsed.Error);
        }

        var post = wayr.AddPost(new WayrPost
        {
            Group = invocation.GroupId,
            Week = week,
            Number = 0,
            Author = invocation.Member.UserId,
            PaperKey = parsed.Item?.Paper.Key,
            Status = parsed.Status,
            Note = parsed.Note,
            At = time.GetUtcNow(),
        });
        if (post is null)
        {
            return new ErrorReply($"WAYR {week} closed a moment ago. Post again when the next week opens.");
        }

        if (parsed.Item is { } posted)
        {
            search.EntryChanged(invocation.GroupId, posted.Entry.Number);
        }

        var wayrWeek = wayr.EnsureWeek(invocation.GroupId, week);
        return new TextReply($"Posted to WAYR #{wayrWeek.Number} ({week}) as post {post.Number}: {Describe(parsed.Item, post)}. Edit it with /wayr edit {post.Number} <text> or delete it with /wayr delete {post.Number} while the week is open.{StreakNote(invocation, post)}");
    }

    public async Task<Reply> EditAsync(Invocation invocation, int number, string text, CancellationToken cancellationToken)
    {
        var (post, error) = OwnPostThisWeek(invocation, number, "edit");
        if (post is null)
        {
            return new ErrorReply(error!);
        }

        var parsed = await ReadAsync(invocation, text, cancellationToken);
        if (parsed.Error is not null)
        {
            return new ErrorReply(parsed.Error);
        }

        var edited = post with { PaperKey = parsed.Item?.Paper.Key, Status = parsed.Status, Note = parsed.Note, EditedAt = time.GetUtcNow() };
        wayr.SavePost(edited);
        if (parsed.Item is { } editedItem)
        {
            search.EntryChanged(invocation.GroupId, editedItem.Entry.Number);
        }

        return new TextReply($"Post {number} is now: {Describe(parsed.Item, edited)}.{StreakNote(invocation, edited)}");
    }

    public Reply Delete(Invocation invocation, int number)
    {
        var (post, error) = OwnPostThisWeek(invocation, number, "delete");
        if (post is null)
        {
            return new ErrorReply(error!);
        }

        wayr.DeletePost(invocation.GroupId, post.Week, number);
        return new TextReply($"Deleted post {number} from this week's WAYR.");
    }

    public Reply List(Invocation invocation, string? weekText)
    {
        var zone = invocation.Group.Zone();
        var week = WeekKey.Of(time.GetUtcNow(), zone);
        if (weekText is not null && !WeekKey.TryParse(weekText, out week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekText)}' is not a week. Use a week such as 2026-W48.");
        }

        var posts = wayr.Posts(invocation.GroupId, week);
        var number = wayr.FindWeek(invocation.GroupId, week)?.Number;
        var title = number is null ? $"What Are You Reading — {week}" : $"What Are You Reading #{number} — {week}";
        var items = posts.Select(p => new ListItem($"{p.Number}. {Name(invocation.GroupId, p.Author)} — {Describe(p.PaperKey is null ? null : library.FindByKey(invocation.GroupId, p.PaperKey), p)}")).ToList();
        return new ListReply(title, items, "No posts yet. Post with /wayr <paper or note>.");
    }

    public Reply ShowDigest(Invocation invocation, string? weekText)
    {
        Digest? digest;
        if (weekText is null)
        {
            digest = digests.Latest(invocation.GroupId);
            if (digest is null)
            {
                return new ErrorReply($"No digest yet: the first one comes when a WAYR week closes ({invocation.Group.Setting(WayrSettings.Close)}).");
            }
        }
        else if (!WeekKey.TryParse(weekText, out var week))
        {
            return new ErrorReply($"'{CommandBinder.Clip(weekText)}' is not a week. Use a week such as 2026-W48.");
        }
        else if ((digest = digests.Find(invocation.GroupId, week)) is null)
        {
            return new ErrorReply($"There is no digest for {week}: digests are made when a week closes.");
        }

        return new CardReply(DigestBuilder.Render(digest));
    }

    /// <summary>True when a post keeps its author's week: it names a paper, or its note has at least <c>wayr-min-note</c> characters.</summary>
    public static bool Qualifies(WayrPost post, int minNote) => post.PaperKey is not null || post.Note.Length >= minNote;

    /// <summary>For a post that does not keep the week: a sentence saying so and what would; empty otherwise.</summary>
    private string StreakNote(Invocation invocation, WayrPost post)
    {
        var minNote = WayrSettings.MinNoteLength(invocation.Group);
        if (Qualifies(post, minNote))
        {
            return "";
        }

        var keeping = wayr.Posts(invocation.GroupId, post.Week).FirstOrDefault(p => p.Author == post.Author && p.Number != post.Number && Qualifies(p, minNote));
        var why = $"a post without a paper needs a note of at least {minNote} characters (this one has {post.Note.Length})";
        return keeping is not null
            ? $" This post alone would not keep your streak ({why}), but your post {keeping.Number} keeps this week."
            : $" This post does not count toward your streak: {why}. To keep the week, name a paper (a link, an arXiv id, a DOI or #n) or write a longer note, with /wayr edit {post.Number} <text> or a new post.";
    }

    /// <summary>The member's own post <paramref name="number"/> of the open week, or why it cannot be changed.</summary>
    private (WayrPost? Post, string? Error) OwnPostThisWeek(Invocation invocation, int number, string verb)
    {
        var (week, closedError) = OpenWeek(wayr, invocation.Group, time.GetUtcNow());
        if (closedError is not null)
        {
            return (null, closedError);
        }

        var post = wayr.Posts(invocation.GroupId, week).FirstOrDefault(p => p.Number == number);
        return post is null
            ? (null, $"There is no post {number} in this week's WAYR. See them with /wayr list.")
            : post.Author != invocation.Member.UserId
                ? (null, $"Post {number} is {Name(invocation.GroupId, post.Author)}'s; you can {verb} only your own posts.")
                : (post, null);
    }

    /// <summary>The week posts go to now, or why none is open (the week closed and the next has not begun).</summary>
    internal static (WeekKey Week, string? Error) OpenWeek(IWayrStore wayr, Group group, DateTimeOffset now)
    {
        var zone = group.Zone();
        var week = WeekKey.Of(now, zone);
        if (wayr.FindWeek(group.Id, week) is { Closed: true })
        {
            var next = WayrSettings.OpensAt(group, week.Next());
            return (week, $"This week's WAYR ({week}) has closed. The next one opens {group.MomentOf(next, withRelative: true)}; post then.");
        }

        return (week, null);
    }

    private async Task<(LibraryItem? Item, ReadingStatus Status, string Note, string? Error)> ReadAsync(Invocation invocation, string text, CancellationToken cancellationToken)
    {
        var parsed = WayrPostParser.Parse(text);
        if (parsed.Error is not null)
        {
            return (null, parsed.Status, parsed.Note, parsed.Error);
        }

        if (parsed.Reference is null)
        {
            return (null, parsed.Status, parsed.Note, null);
        }

        var ensured = await library.EnsureAsync(invocation, parsed.Reference, null, cancellationToken);
        return (ensured.Item, parsed.Status, parsed.Note, ensured.Error);
    }

    private static string Describe(LibraryItem? item, WayrPost post)
    {
        var paper = item is null ? "" : $"{item.Label} {item.Title} ";
        var note = post.Note.Length == 0 ? "" : $": {post.Note}";
        return $"{paper}[{post.Status.ToString().ToLowerInvariant()}]{note}".Trim();
    }

    private string Name(GroupId group, string userId) => members.Find(group, userId)?.DisplayName ?? userId;
}
