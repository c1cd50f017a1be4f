namespace ReadingBot.Core.Commands;

/// <summary>
/// The one text grammar, shared by the local chat and Slack: <c>/name [subcommand] options…</c>. Words are split
/// on spaces; "double quotes" group words; a text option takes the rest of the line as typed.
/// </summary>
public sealed class TextCommandParser(CommandCatalogue catalogue)
{
    public const int MaxLineLength = 4000;

    public BindResult Parse(string line)
    {
        var input = (line ?? "").Trim();
        if (input.StartsWith('/'))
        {
            input = input[1..];
        }

        if (input.Length == 0)
        {
            return BindResult.Fail("Type a command, such as /help.");
        }

        if (input.Length > MaxLineLength)
        {
            return BindResult.Fail($"That message is too long ({input.Length} characters; at most {MaxLineLength}).");
        }

        var tokens = Tokenize(input);
        var name = tokens[0].Value.ToLowerInvariant();
        var specs = catalogue.ForName(name);
        if (specs.Count == 0)
        {
            return BindResult.Fail($"Unknown command /{BindResultText(tokens[0].Value)}. Type /help for the list of commands.");
        }

        var next = 1;
        CommandSpec spec;
        if (catalogue.HasSubcommands(name))
        {
            var sub = tokens.Count > 1 ? catalogue.Find(name, tokens[1].Value.ToLowerInvariant()) : null;
            if (sub is not null)
            {
                spec = sub;
                next = 2;
            }
            else if (specs.FirstOrDefault(s => s.IsDefault) is { } fallback)
            {
                spec = fallback;
            }
            else
            {
                var choices = string.Join(", ", specs.Select(s => s.Subcommand));
                return tokens.Count > 1
                    ? BindResult.Fail($"/{name} has no subcommand '{BindResultText(tokens[1].Value)}'. Try one of: {choices}.")
                    : BindResult.Fail($"/{name} needs a subcommand: {choices}. Type /help {name} for details.");
            }
        }
        else
        {
            spec = specs[0];
        }

        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in spec.Options)
        {
            if (next >= tokens.Count)
            {
                break;
            }

            if (option.Kind == OptionKind.Text)
            {
                raw[option.Name] = Unquote(input[tokens[next].Start..]);
                next = tokens.Count;
                break;
            }

            raw[option.Name] = tokens[next++].Value;
        }

        if (next < tokens.Count)
        {
            return BindResult.Fail($"Too many words after /{spec.Path}: '{BindResultText(tokens[next].Value)}'. Usage: {spec.Usage}", spec);
        }

        return CommandBinder.Bind(spec, raw);
    }

    private static string BindResultText(string value) => CommandBinder.Clip(value);

    private static string Unquote(string text)
    {
        var t = text.Trim();
        return t.Length >= 2 && t[0] == '"' && t[^1] == '"' && t.IndexOf('"', 1) == t.Length - 1 ? t[1..^1] : t;
    }

    private readonly record struct Token(string Value, int Start);

    private static List<Token> Tokenize(string input)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < input.Length)
        {
            while (i < input.Length && char.IsWhiteSpace(input[i]))
            {
                i++;
            }

            if (i >= input.Length)
            {
                break;
            }

            var start = i;
            if (input[i] == '"')
            {
                var close = input.IndexOf('"', i + 1);
                if (close > i)
                {
                    tokens.Add(new Token(input[(i + 1)..close], start));
                    i = close + 1;
                    continue;
                }
            }

            while (i < input.Length && !char.IsWhiteSpace(input[i]))
            {
                i++;
            }

            tokens.Add(new Token(input[start..i], start));
        }

        return tokens;
    }
}
