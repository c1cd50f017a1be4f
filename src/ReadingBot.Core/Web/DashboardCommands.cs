using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Web;

/// <summary><c>/dashboard</c>: a private, expiring link to the group's web page.</summary>
internal sealed record ShowDashboard : Command;

/// <summary><c>/dashboard feeds [reset]</c>: the group's feed links; <c>reset</c> (moderators) revokes the old ones.</summary>
internal sealed record DashboardFeeds(bool Reset) : Command;

/// <summary><c>/dashboard public [reset]</c>: the group's public page link; <c>reset</c> (moderators) revokes the old one.</summary>
internal sealed record DashboardPublic(bool Reset) : Command;

/// <summary><c>/dashboard</c>: links to the group's web page and feeds (this folder is the dashboard feature).</summary>
internal sealed class DashboardCommands(DashboardService dashboard) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("dashboard", "link", "get a private link to the group's web page", [], _ => new ShowDashboard()) { IsDefault = true, Ephemeral = true },
        new("dashboard", "feeds", "get the group's feed links (reset revokes them; moderators)",
            [new OptionSpec("action", OptionKind.Choice, "reset to revoke the old links", Required: false) { Choices = ["reset"] }],
            a => new DashboardFeeds(a.Optional("action") == "reset")) { Ephemeral = true },
        new("dashboard", "public", "get the group's public page link (reset revokes it; moderators)",
            [new OptionSpec("action", OptionKind.Choice, "reset to revoke the old link", Required: false) { Choices = ["reset"] }],
            a => new DashboardPublic(a.Optional("action") == "reset")) { Ephemeral = true },
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => Task.FromResult(command switch
    {
        ShowDashboard => dashboard.Show(invocation),
        DashboardFeeds c => dashboard.Feeds(invocation, c.Reset),
        DashboardPublic c => dashboard.Public(invocation, c.Reset),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    });
}
