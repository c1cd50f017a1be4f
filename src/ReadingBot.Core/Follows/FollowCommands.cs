using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Follows;

internal sealed record FollowAuthor(string Name) : Command;

internal sealed record FollowTopic(string Words) : Command;

internal sealed record ListFollows : Command;

internal sealed record FollowNews : Command;

internal sealed record Unfollow(FollowKind Kind, string Text) : Command;

/// <summary><c>/follow</c> and <c>/unfollow</c>: researchers and topics watched on arXiv.</summary>
internal sealed class FollowCommands(FollowService follows) : ICommandModule
{
    private static readonly OptionSpec Name = new("name", OptionKind.Text, "the researcher's name, e.g. Yann LeCun (add \"group\" at the end to follow for the group)") { MaxLength = 200 };

    private static readonly OptionSpec Words = new("words", OptionKind.Text, "words and \"phrases\" that must appear, -words that must not (add \"group\" at the end for the group)") { MaxLength = 300, Label = "topic" };

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("follow", "list", "list the researchers and topics you and the group follow", [], _ => new ListFollows()) { IsDefault = true, Ephemeral = true },
        new("follow", "author", "follow a researcher's new arXiv papers (shows their latest three first)", [Name], a => new FollowAuthor(a.Required("name"))),
        new("follow", "topic", "follow new arXiv papers about a topic", [Words], a => new FollowTopic(a.Required("words"))),
        new("follow", "news", "new papers by who and what you follow", [], _ => new FollowNews()) { Ephemeral = true },
        new("unfollow", "author", "stop following a researcher", [Name], a => new Unfollow(FollowKind.Author, a.Required("name"))),
        new("unfollow", "topic", "stop following a topic", [Words], a => new Unfollow(FollowKind.Topic, a.Required("words"))),
    ];

    public async Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ListFollows => follows.List(invocation),
        FollowAuthor c => await follows.FollowAuthorAsync(invocation, c.Name, cancellationToken),
        FollowTopic c => follows.FollowTopic(invocation, c.Words),
        FollowNews => follows.News(invocation),
        Unfollow c => follows.Unfollow(invocation, c.Kind, c.Text),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
