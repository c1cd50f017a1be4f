using System.Text.RegularExpressions;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Commands;

/// <summary>The recipe of CONTRIBUTING.md, checked: a command is a record, a spec and an arm in its module's file.</summary>
public sealed partial class CommandModuleTests
{
    private const string SomethingWentWrong = "Something went wrong on our side";

    [Fact]
    public async Task Every_command_of_the_catalogue_reaches_its_module()
    {
        using var bot = TestBot.Create();
        var catalogue = bot.Get<CommandCatalogue>();
        var dispatcher = bot.Dispatcher;
        await bot.SendAsync("/paper add 1706.03762 Attention Is All You Need", moderator: true);

        foreach (var spec in catalogue.All)
        {
            var values = spec.Options.Where(o => o.Required).ToDictionary(o => o.Name, SampleValue);
            var reply = await dispatcher.HandleOptionsAsync(TestBot.Context(moderator: true), spec, values, CancellationToken.None);

            var text = PlainTextRenderer.Render(reply);
            Assert.False(text.Contains(SomethingWentWrong, StringComparison.Ordinal), $"/{spec.Path} did not reach a handler: {text}");
        }
    }

    [Fact]
    public void Every_module_in_core_is_registered_and_owns_its_specs()
    {
        var modules = typeof(CommandCatalogue).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(ICommandModule).IsAssignableFrom(t))
            .ToHashSet();
        var catalogue = new CommandCatalogue();

        Assert.Equal(modules.OrderBy(t => t.Name), CommandModules.Entries.Select(e => e.Module).OrderBy(t => t.Name));
        Assert.All(catalogue.All, spec => Assert.Contains(catalogue.ModuleOf(spec)!, modules));
    }

    [Fact]
    public void Command_records_live_in_their_modules_files()
    {
        var src = ArchitectureTests.FindSrc();
        var misplaced = Directory.EnumerateFiles(Path.Combine(src, "ReadingBot.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).EndsWith("Commands.cs", StringComparison.Ordinal) && CommandRecord().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(misplaced);
    }

    private static string SampleValue(OptionSpec option) => option.Kind switch
    {
        OptionKind.Integer => "1",
        OptionKind.Choice => option.Choices[0],
        OptionKind.PaperRef => "#1",
        OptionKind.Member => "alice",
        OptionKind.Word when option.Name == "week" => "2026-W40",
        OptionKind.Word when option.Name == "time" => "18:00",
        OptionKind.Word when option.Name == "zone" => "Europe/Berlin",
        OptionKind.Word when option.Name == "url" => "http://127.0.0.1:9/none.md",
        _ => "words",
    };

    // A record deriving from Command, other than the abstract base in Commands/ICommandModule.cs.
    [GeneratedRegex(@"sealed record \w+(\([^)]*\))? : Command;")]
    private static partial Regex CommandRecord();
}
