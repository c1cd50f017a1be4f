using System.Text.RegularExpressions;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Help;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Tests.Commands;

public sealed class CommandParsingTests
{
    private readonly TextCommandParser parser = new(new CommandCatalogue());

    [Fact]
    public void A_subcommand_takes_its_options_and_the_rest_of_the_line_as_text()
    {
        var bound = parser.Parse("/paper add 1706.03762 Attention   Is All You Need");

        var add = Assert.IsType<AddPaper>(bound.Command);
        Assert.Equal("1706.03762", add.Reference);
        Assert.Equal("Attention   Is All You Need", add.Title);
    }

    [Fact]
    public void Quotes_group_words_and_a_fully_quoted_text_loses_its_quotes()
    {
        var bound = parser.Parse("paper add \"1706.03762\" \"Attention Is All You Need\"");

        var add = Assert.IsType<AddPaper>(bound.Command);
        Assert.Equal("1706.03762", add.Reference);
        Assert.Equal("Attention Is All You Need", add.Title);
    }

    [Fact]
    public void Optional_options_may_be_left_out()
    {
        Assert.Equal(new AddPaper("1706.03762", null), parser.Parse("/paper add 1706.03762").Command);
        Assert.Equal(new ListPapers(1), parser.Parse("/paper list").Command);
        Assert.Equal(new ShowHelp(null), parser.Parse("/help").Command);
    }

    [Fact]
    public void Settings_without_a_value_shows_and_with_a_value_changes()
    {
        Assert.Equal(new ShowSettings(null), parser.Parse("/settings").Command);
        Assert.Equal(new ShowSettings("timezone"), parser.Parse("/settings timezone").Command);
        Assert.Equal(new ChangeSetting("timezone", "Europe/Berlin"), parser.Parse("/settings timezone Europe/Berlin").Command);
    }

    [Fact]
    public void A_group_name_alone_runs_its_default_subcommand()
    {
        var bound = parser.Parse("/week");

        Assert.Equal("week show", bound.Spec!.Path);
    }

    [Theory]
    [InlineData("/nonsense", "Unknown command /nonsense")]
    [InlineData("/paper", "needs a subcommand")]
    [InlineData("/paper frobnicate", "has no subcommand 'frobnicate'")]
    [InlineData("/paper add", "/paper add needs an arXiv id or link, a DOI, any link, or a library number such as #3. Usage: /paper add <ref> [title...]")]
    [InlineData("/paper show #1 extra", "Too many words")]
    [InlineData("/paper list two", "whole number")]
    [InlineData("/export docx", "'docx' is not a choice here: /export takes markdown, bibtex, json, csv, rss or ics (the file format).")]
    [InlineData("/recommend bob", "'bob' is not a choice here: /recommend takes me or group (who to recommend for: me or the group). Usage: /recommend [me|group]")]
    [InlineData("/wayr delete first", "The post number must be a whole number, not 'first'.")]
    [InlineData("", "Type a command")]
    public void Bad_input_gets_a_one_line_reason(string line, string expected)
    {
        var bound = parser.Parse(line);

        Assert.Null(bound.Command);
        Assert.Contains(expected, bound.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', bound.Error!);
    }

    public static TheoryData<string, string> EveryOption()
    {
        var data = new TheoryData<string, string>();
        foreach (var spec in new CommandCatalogue().All)
        {
            foreach (var option in spec.Options)
            {
                data.Add(spec.Path, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void No_error_about_an_option_shows_its_internal_name(string path, string name)
    {
        var spec = new CommandCatalogue().All.Single(s => s.Path == path);
        var option = spec.Options.Single(o => o.Name == name);
        var others = spec.Options.Where(o => o != option).ToDictionary(o => o.Name, Valid);
        var errors = new List<string?>
        {
            CommandBinder.Bind(spec, new Dictionary<string, string>(others) { [name] = new string('x', option.MaxLength + 1) }).Error,
        };
        if (option.Kind is OptionKind.Choice or OptionKind.Integer)
        {
            errors.Add(CommandBinder.Bind(spec, new Dictionary<string, string>(others) { [name] = "bob" }).Error);
        }

        if (option.Required)
        {
            errors.Add(CommandBinder.Bind(spec, others).Error);
        }

        Assert.All(errors, error =>
        {
            Assert.NotNull(error);
            Assert.DoesNotContain("must be one of", error, StringComparison.Ordinal);
            Assert.DoesNotContain($"needs <{name}", error, StringComparison.Ordinal);
            Assert.DoesNotContain($"needs [{name}", error, StringComparison.Ordinal);
            if (!option.Noun.StartsWith(name, StringComparison.Ordinal))
            {
                Assert.DoesNotContain($"The {name} ", error, StringComparison.Ordinal);
            }
        });

        static string Valid(OptionSpec o) => o.Kind switch
        {
            OptionKind.Integer => "1",
            OptionKind.Choice => o.Choices[0],
            OptionKind.PaperRef => "#1",
            _ => "x",
        };
    }

    [Fact]
    public void An_over_long_title_is_refused_with_the_limit()
    {
        var bound = parser.Parse("/paper add 1706.03762 " + new string('x', PaperCommands.MaxTitleLength + 1));

        Assert.Null(bound.Command);
        Assert.Contains($"at most {PaperCommands.MaxTitleLength}", bound.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_over_long_line_is_refused()
    {
        var bound = parser.Parse("/paper add " + new string('x', TextCommandParser.MaxLineLength));

        Assert.Contains("too long", bound.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Choices_are_matched_without_regard_to_case_and_stored_canonically()
    {
        var bound = CommandBinder.Bind(new CommandCatalogue().Find("export", null)!, new Dictionary<string, string> { ["format"] = "BibTeX" });

        Assert.Null(bound.Error);
    }

    [Fact]
    public void Control_characters_are_removed_from_values()
    {
        var add = Assert.IsType<AddPaper>(parser.Parse("/paper add 1706.03762 Title\u0007 with bell").Command);

        Assert.Equal("Title with bell", add.Title);
    }
}

public sealed class CommandCatalogueTests
{
    private static readonly Regex DiscordName = new(@"^[-_\p{Ll}\p{N}]{1,32}$", RegexOptions.CultureInvariant);
    private readonly CommandCatalogue catalogue = new();

    [Fact]
    public void Every_name_and_option_is_a_valid_slash_command_name()
    {
        foreach (var spec in catalogue.All)
        {
            Assert.Matches(DiscordName, spec.Name);
            if (spec.Subcommand is not null)
            {
                Assert.Matches(DiscordName, spec.Subcommand);
            }

            Assert.All(spec.Options, o => Assert.Matches(DiscordName, o.Name));
        }
    }

    [Fact]
    public void Descriptions_fit_the_platform_limits()
    {
        Assert.All(catalogue.All, s => Assert.InRange(s.Description.Length, 1, 100));
        Assert.All(catalogue.All.SelectMany(s => s.Options), o => Assert.InRange(o.Description.Length, 1, 100));
    }

    [Fact]
    public void Required_options_come_first_and_text_only_last()
    {
        foreach (var spec in catalogue.All)
        {
            var firstOptional = spec.Options.ToList().FindIndex(o => !o.Required);
            Assert.True(firstOptional < 0 || spec.Options.Skip(firstOptional).All(o => !o.Required), spec.Path);
            var text = spec.Options.ToList().FindIndex(o => o.Kind == OptionKind.Text);
            Assert.True(text < 0 || text == spec.Options.Count - 1, spec.Path);
        }
    }

    [Fact]
    public void A_name_either_groups_subcommands_or_is_a_plain_command()
    {
        foreach (var name in catalogue.Names)
        {
            var specs = catalogue.ForName(name);
            Assert.True(specs.All(s => s.Subcommand is null) ? specs.Count == 1 : specs.All(s => s.Subcommand is not null), name);
            Assert.True(specs.Count(s => s.IsDefault) <= 1, name);
        }
    }

    [Fact]
    public void The_whole_product_surface_is_listed()
    {
        var paths = catalogue.All.Select(s => s.Path).ToHashSet();
        string[] expected =
        [
            "help", "paper add", "paper show", "paper list", "paper search", "paper suggest", "paper vote", "paper queue",
            "week show", "week pick", "week schedule", "week skip", "discuss", "wayr post", "wayr list", "digest", "streak show",
            "leaderboard", "read", "progress", "like", "recommend", "similar", "roadmap show", "roadmap next", "roadmap list",
            "roadmap import", "export", "settings",
        ];

        Assert.All(expected, p => Assert.Contains(p, paths));
    }

    [Fact]
    public void A_duplicate_command_is_refused_at_construction()
    {
        var spec = catalogue.Find("help", null)!;

        Assert.Throws<InvalidOperationException>(() => new CommandCatalogue([spec, spec]));
    }
}
