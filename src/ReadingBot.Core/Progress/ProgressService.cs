using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Wayr;

namespace ReadingBot.Core.Progress;

/// <summary>Three-pass reading progress: recording a pass of a paper and showing a member's reading.</summary>
public sealed class ProgressService(
    LibraryService library,
    IProgressStore progress,
    IMemberStore members,
    Roadmaps.RoadmapService roadmaps,
    TimeProvider time)
{
    public async Task<Reply> RecordReadingAsync(Invocation invocation, string reference, string passText, CancellationToken cancellationToken)
    {
        var ensured = await library.EnsureAsync(invocation, reference, null, cancellationToken);
        if (ensured.Item is not { } item)
        {
            return new ErrorReply(ensured.Error!);
        }

        var pass = Enum.Parse<ReadingPass>(passText, ignoreCase: true);
        progress.Save(new ReadingProgress(invocation.GroupId, invocation.Member.UserId, item.Paper.Key, pass, time.GetUtcNow()));
        if (pass == ReadingPass.Done)
        {
            // Finishing a roadmap paper moves the member along the roadmap too.
            roadmaps.MarkRead(invocation.GroupId, invocation.Member.UserId, item.Paper.Key);
        }

        return new TextReply(pass == ReadingPass.Done
            ? $"Finished {item.Label} {item.Title}. Well done!"
            : $"You are on {PassName(pass)} of {item.Label} {item.Title}.");
    }

    public Reply ShowProgress(Invocation invocation, string? memberText)
    {
        var member = memberText is null ? invocation.Member : members.FindByIdOrName(invocation.GroupId, memberText);
        if (member is null)
        {
            return new ErrorReply($"No member called '{CommandBinder.Clip(memberText!)}' in this group.");
        }

        var items = progress.ForMember(invocation.GroupId, member.UserId).OrderByDescending(p => p.At)
            .Select(p => library.FindByKey(invocation.GroupId, p.PaperKey) is { } item
                ? new ListItem($"{item.Label} {item.Title} — {PassName(p.Pass)}", item.Paper.Url, PaperNumber: item.Entry.Number)
                : new ListItem($"{p.PaperKey} — {PassName(p.Pass)}"))
            .ToList();
        return new ListReply($"{member.DisplayName}'s reading", items, "Nothing recorded yet. Record a pass with /read <paper> <pass1|pass2|pass3|done>.");
    }

    public static string PassName(ReadingPass pass) => pass switch
    {
        ReadingPass.Pass1 => "the first pass",
        ReadingPass.Pass2 => "the second pass",
        ReadingPass.Pass3 => "the third pass",
        _ => "done",
    };
}
