using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Settings;

internal sealed record ShowSettings(string? Key) : Command;

internal sealed record ChangeSetting(string Key, string Value) : Command;

/// <summary><c>/settings</c>: a member's own settings, and the group's for moderators.</summary>
internal sealed class SettingsCommands(SettingsService settings) : ICommandModule
{
    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("settings", null, "show or change settings (group settings are for moderators)",
            [
                new OptionSpec("key", OptionKind.Word, "a setting such as timezone", Required: false) { MaxLength = 40, Label = "setting name" },
                new OptionSpec("value", OptionKind.Text, "the new value", Required: false) { MaxLength = SettingCatalogue.MaxValueLength, Label = "setting value" },
            ],
            a => a.Optional("value") is { } value ? new ChangeSetting(a.Required("key"), value) : new ShowSettings(a.Optional("key"))),
    ];

    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => Task.FromResult(command switch
    {
        ShowSettings c => settings.Show(invocation, c.Key),
        ChangeSetting c => settings.Change(invocation, c.Key, c.Value),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    });
}
