using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Recommendations;

internal sealed record LikePaper(string Reference) : Command;

/// <summary><c>/recommend [me|group]</c>.</summary>
internal sealed record RecommendPapers(bool ForGroup) : Command;

internal sealed record SimilarPapers(string Reference) : Command;

internal sealed record DislikePaper(string Reference) : Command;

/// <summary><c>/like</c>, <c>/recommend</c> and <c>/similar</c>: recommendations the arxiv-sanity way.</summary>
internal sealed class RecommendationCommands(RecommendationService recommendations, RecommendationOptions options) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("like", null, "like a paper (again to take it back); likes teach your recommendations",
            [SharedOptions.PaperRef], a => new LikePaper(a.Required("ref"))) { Ephemeral = true },
        new("recommend", null, "recommend papers for you or for the group, with the terms behind each pick",
            [new OptionSpec("for", OptionKind.Choice, "who to recommend for: me or the group", Required: false) { Choices = ["me", "group"], Label = "audience" }],
            a => new RecommendPapers(a.Optional("for") == "group")) { Ephemeral = true },
        new("similar", null, "papers similar to one paper", [SharedOptions.PaperRef], a => new SimilarPapers(a.Required("ref"))),
        new("dislike", null, "not for me: hide a paper from your recommendations and follow lists (again to take it back)",
            [SharedOptions.PaperRef], a => new DislikePaper(a.Required("ref"))) { Ephemeral = true },
    ];

    // Likes are kept even while recommendations are off, so turning them on later starts from what members liked.
    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => Task.FromResult(command switch
    {
        LikePaper c => recommendations.Like(invocation, c.Reference),
        DislikePaper c => recommendations.Dislike(invocation, c.Reference),
        _ when !options.Enabled => new TextReply("Recommendations are turned off on this bot (Recommendations:Enabled); likes are still kept.") { Ephemeral = true },
        RecommendPapers c => recommendations.Recommend(invocation, c.ForGroup),
        SimilarPapers c => recommendations.Similar(invocation, c.Reference),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    });
}
