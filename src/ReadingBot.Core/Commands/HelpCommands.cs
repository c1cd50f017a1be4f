using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Commands;

/// <summary>Answers <c>/help</c> from the catalogue, so help never drifts from what the bot accepts.</summary>
public sealed class HelpCommands(CommandCatalogue catalogue)
{
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
                Subtitle = spec.Description + (spec.ModeratorOnly ? " (moderators only)" : "") + (spec.ComingWith is null ? "" : " (not available yet)"),
                Fields = spec.Options.Select(o => new CardField(o.Name, o.Description + (o.Required ? "" : " (optional)"))).ToList(),
            };
            return new CardReply(card);
        }

        return new ListReply($"/{specs[0].Name}", specs.Select(Line).ToList());
    }

    private static ListItem Line(CommandSpec spec) =>
        new($"{spec.Usage} — {spec.Description}{(spec.ModeratorOnly ? " (moderators)" : "")}{(spec.ComingWith is null ? "" : " (coming soon)")}");
}
