namespace ReadingBot.Core.Commands;

/// <summary>The type of a command option. Adapters map it to the platform's option types.</summary>
public enum OptionKind
{
    /// <summary>One word (quotes group words in the text grammar).</summary>
    Word,

    /// <summary>The rest of the line; only the last option may be text.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>One of <see cref="OptionSpec.Choices"/>.</summary>
    Choice,

    /// <summary>A paper: an arXiv id, DOI or link, or a library number such as <c>#3</c> (Discord autocompletes it).</summary>
    PaperRef,

    /// <summary>A member: a name or a platform mention.</summary>
    Member,
}

/// <summary>An option of a command: name, type, help and limits.</summary>
public sealed record OptionSpec(string Name, OptionKind Kind, string Description, bool Required = true)
{
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>
    /// What replies call the value, in the member's words ("paper reference", "post number"), where the option's name
    /// is not a word a member would use; the name otherwise.
    /// </summary>
    public string? Label { get; init; }

    /// <summary><see cref="Label"/>, or the name.</summary>
    public string Noun => Label ?? Name;

    /// <summary>The longest value accepted, in characters.</summary>
    public int MaxLength { get; init; } = 200;

    public string Usage => Kind == OptionKind.Text
        ? Required ? $"<{Name}...>" : $"[{Name}...]"
        : Kind == OptionKind.Choice
            ? (Required ? "<" : "[") + string.Join('|', Choices) + (Required ? ">" : "]")
            : Required ? $"<{Name}>" : $"[{Name}]";
}

/// <summary>
/// One command of the catalogue: <c>/name</c> or <c>/name subcommand</c>. <see cref="Bind"/> turns validated option
/// values into the command record the router handles.
/// </summary>
public sealed record CommandSpec(string Name, string? Subcommand, string Description, IReadOnlyList<OptionSpec> Options, Func<CommandArgs, Command> Bind)
{
    /// <summary>Only moderators may run it; the router checks before anything changes.</summary>
    public bool ModeratorOnly { get; init; }

    /// <summary>The subcommand that runs when the group name is typed alone (<c>/week</c> means <c>/week show</c>).</summary>
    public bool IsDefault { get; init; }

    /// <summary>Replies only to the member who asked (personal views).</summary>
    public bool Ephemeral { get; init; }

    public string Path => Subcommand is null ? Name : $"{Name} {Subcommand}";

    public string Usage
    {
        get
        {
            var head = IsDefault && Options.Count > 0 ? $"/{Name}" : $"/{Path}";
            return Options.Count == 0 ? head : head + " " + string.Join(' ', Options.Select(o => o.Usage));
        }
    }
}

/// <summary>Option values of one invocation, already checked against the spec.</summary>
public sealed class CommandArgs(IReadOnlyDictionary<string, string> values)
{
    public string Required(string name) =>
        values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"option '{name}' was not validated");

    public string? Optional(string name) => values.TryGetValue(name, out var v) ? v : null;

    public int? OptionalInt(string name) => values.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public IReadOnlyDictionary<string, string> Values => values;
}

/// <summary>Options several modules share, so each is described and limited the same way everywhere.</summary>
internal static class SharedOptions
{
    /// <summary>The longest note, post or discussion text a member may write.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>A paper: an arXiv id or link, a DOI, any link, or a library number.</summary>
    public static readonly OptionSpec PaperRef = new("ref", OptionKind.PaperRef, "an arXiv id or link, a DOI, any link, or a library number such as #3") { MaxLength = 2000, Label = "paper reference" };

    /// <summary>An optional week, by a date in it or its ISO name.</summary>
    public static readonly OptionSpec WeekOrDate = new("date", OptionKind.Word, "a date in the week (YYYY-MM-DD) or a week (2026-W49)", Required: false) { Label = "week" };

    /// <summary>An optional ISO week such as 2026-W48.</summary>
    public static readonly OptionSpec Week = new("week", OptionKind.Word, "a week such as 2026-W48", Required: false);

    /// <summary>A member, defaulting to the one who asks.</summary>
    public static readonly OptionSpec MemberOrYou = new("member", OptionKind.Member, "a member (you if left out)", Required: false);
}
