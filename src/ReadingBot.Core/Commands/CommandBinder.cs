using System.Globalization;

namespace ReadingBot.Core.Commands;

/// <summary>A bound command, or a one-line reason it could not be bound.</summary>
public sealed record BindResult(CommandSpec? Spec, Command? Command, string? Error)
{
    public static BindResult Fail(string error, CommandSpec? spec = null) => new(spec, null, error);
}

/// <summary>
/// Checks raw option values against a spec (required, type, length, choices) and binds the command record.
/// The text grammar and the Discord adapter both end here, so every platform enforces the same rules.
/// </summary>
internal static class CommandBinder
{
    public static BindResult Bind(CommandSpec spec, IReadOnlyDictionary<string, string> raw)
    {
        var unknown = raw.Keys.FirstOrDefault(k => spec.Options.All(o => o.Name != k));
        if (unknown is not null)
        {
            return BindResult.Fail($"/{spec.Path} has no option '{unknown}'. Usage: {spec.Usage}", spec);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in spec.Options)
        {
            var value = raw.TryGetValue(option.Name, out var v) ? Clean(v) : "";
            if (value.Length == 0)
            {
                if (option.Required)
                {
                    return BindResult.Fail($"/{spec.Path} needs {option.Description}. Usage: {spec.Usage}", spec);
                }

                continue;
            }

            if (value.Length > option.MaxLength)
            {
                return BindResult.Fail($"The {option.Noun} is too long ({value.Length} characters; at most {option.MaxLength}). Shorten it and try again.", spec);
            }

            switch (option.Kind)
            {
                case OptionKind.Integer when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
                    return BindResult.Fail($"The {option.Noun} must be a whole number, not '{Clip(value)}'. Usage: {spec.Usage}", spec);
                case OptionKind.Choice:
                    var choice = option.Choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));
                    if (choice is null)
                    {
                        return BindResult.Fail($"'{Clip(value)}' is not a choice here: /{spec.Path} takes {Or(option.Choices)} ({option.Description}). Usage: {spec.Usage}", spec);
                    }

                    value = choice;
                    break;
            }

            values[option.Name] = value;
        }

        return new BindResult(spec, spec.Bind(new CommandArgs(values)), null);
    }

    // Control characters never belong in a command value; they would also break log lines and renderers.
    private static string Clean(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Any(char.IsControl)
            ? new string(trimmed.Select(c => c is '\n' or '\t' ? ' ' : c).Where(c => !char.IsControl(c)).ToArray())
            : trimmed;
    }

    /// <summary>"a", "a or b", "a, b or c".</summary>
    internal static string Or(IReadOnlyList<string> words) =>
        words.Count <= 1 ? string.Join("", words) : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];

    internal static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
