using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Help;

internal sealed record ShowHelp(string? Topic) : Command;

/// <summary><c>/help</c>: answered from the catalogue, so help never drifts from what the bot accepts.</summary>
internal sealed class HelpCommands(CommandCatalogue catalogue) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("help", null, "list the commands, or explain one",
            [new OptionSpec("command", OptionKind.Text, "a command name such as paper or paper add", Required: false) { MaxLength = 40, Label = "command name" }],
            a => new ShowHelp(a.Optional("command"))) { Ephemeral = true },
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ShowHelp c => Task.FromResult(Show(c.Topic)),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };

    public Reply Show(string? topic)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return new ListReply("ReadingBot commands", catalogue.All.Select(Line).ToList(), Footer: "Type /help <command> for details, e.g. /help paper add.");
        }

        var words = topic.Trim().TrimStart('/').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var specs = catalogue.ForName(words[0]);
        if (words.Length > 1)
        {
            specs = specs.Where(s => string.Equals(s.Subcommand, words[1], StringComparison.OrdinalIgnoreCase)).ToList();
        }

        if (specs.Count == 0)
        {
            return new ErrorReply($"There is no command /{CommandBinder.Clip(topic.Trim().TrimStart('/'))}. Type /help for the list.");
        }

        if (specs.Count == 1)
        {
            var spec = specs[0];
            var card = new Card(spec.Usage)
            {
                Subtitle = spec.Description + (spec.ModeratorOnly ? " (moderators only)" : ""),
                Fields = spec.Options.Select(o => new CardField(o.Name, o.Description + (o.Required ? "" : " (optional)"))).ToList(),
            };
            return new CardReply(card);
        }

        return new ListReply($"/{specs[0].Name}", specs.Select(Line).ToList());
    }

    private static ListItem Line(CommandSpec spec) =>
        new($"{spec.Usage} — {spec.Description}{(spec.ModeratorOnly ? " (moderators)" : "")}");
}
