namespace ReadingBot.Core.Commands;

/// <summary>
/// Every command of the product, once, joined from the feature modules' specs: adapters register from it (Discord
/// slash commands, Slack's one command), the text grammar parses against it and <c>/help</c> prints it.
/// </summary>
public sealed class CommandCatalogue
{
    private readonly Dictionary<string, Type> modules = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue of every module <see cref="CommandModules.AddCommandModules"/> registers.</summary>
    public CommandCatalogue()
        : this(CommandModules.Entries)
    {
    }

    /// <summary>The specs of the given modules joined, in registration order.</summary>
    public CommandCatalogue(IEnumerable<CommandModuleEntry> entries)
    {
        var list = entries.ToList();
        All = Checked(list.SelectMany(e => e.Specs));
        foreach (var entry in list)
        {
            foreach (var spec in entry.Specs)
            {
                modules[spec.Path] = entry.Module;
            }
        }
    }

    /// <summary>A catalogue of bare specs that no module handles (tests of the grammar).</summary>
    public CommandCatalogue(IEnumerable<CommandSpec> specs)
    {
        All = Checked(specs);
    }

    public IReadOnlyList<CommandSpec> All { get; }

    /// <summary>Top-level command names in catalogue order.</summary>
    public IEnumerable<string> Names => All.Select(s => s.Name).Distinct();

    public IReadOnlyList<CommandSpec> ForName(string name) =>
        All.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>True when the name groups subcommands (<c>/paper add</c>), false for a plain command (<c>/discuss</c>).</summary>
    public bool HasSubcommands(string name) => ForName(name).Any(s => s.Subcommand is not null);

    private static List<CommandSpec> Checked(IEnumerable<CommandSpec> specs)
    {
        var all = specs.ToList();
        var duplicate = all.GroupBy(s => s.Path).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? all : throw new InvalidOperationException($"the command '{duplicate.Key}' is listed twice");
    }

    /// <summary>The module that handles the command, or null for a spec no module registered.</summary>
    public Type? ModuleOf(CommandSpec spec) => modules.GetValueOrDefault(spec.Path);

    public CommandSpec? Find(string name, string? subcommand) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(s.Subcommand, subcommand, StringComparison.OrdinalIgnoreCase));
}
