namespace ReadingBot.Core.Commands;

/// <summary>
/// Every command of the product, once: adapters register from it (Discord slash commands, Slack's one command),
/// the text grammar parses against it and <c>/help</c> prints it.
/// </summary>
public sealed class CommandCatalogue
{
    public const int MaxTitleLength = 300;
    public const int MaxNoteLength = 2000;


    private static readonly OptionSpec Ref = new("ref", OptionKind.PaperRef, "an arXiv id or link, a DOI, any link, or a library number such as #3") { MaxLength = 2000, Label = "paper reference" };

    public CommandCatalogue()
        : this(DefaultSpecs())
    {
    }

    public CommandCatalogue(IEnumerable<CommandSpec> specs)
    {
        All = specs.ToList();
        var duplicate = All.GroupBy(s => s.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"the command '{duplicate.Key}' is listed twice");
        }
    }

    public IReadOnlyList<CommandSpec> All { get; }

    /// <summary>Top-level command names in catalogue order.</summary>
    public IEnumerable<string> Names => All.Select(s => s.Name).Distinct();

    public IReadOnlyList<CommandSpec> ForName(string name) =>
        All.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>True when the name groups subcommands (<c>/paper add</c>), false for a plain command (<c>/discuss</c>).</summary>
    public bool HasSubcommands(string name) => ForName(name).Any(s => s.Subcommand is not null);

    public CommandSpec? Find(string name, string? subcommand) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(s.Subcommand, subcommand, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<CommandSpec> DefaultSpecs()
    {
        yield return new("help", null, "list the commands, or explain one",
            [new OptionSpec("command", OptionKind.Text, "a command name such as paper or paper add", Required: false) { MaxLength = 40, Label = "command name" }],
            a => new ShowHelp(a.Optional("command"))) { Ephemeral = true };

        yield return new("paper", "add", "add a paper to the library from an arXiv id, DOI or link",
            [Ref, new OptionSpec("title", OptionKind.Text, "the title, if the source may not know it", Required: false) { MaxLength = MaxTitleLength }],
            a => new AddPaper(a.Required("ref"), a.Optional("title")));
        yield return new("paper", "show", "show a paper's card",
            [Ref], a => new ShowPaper(a.Required("ref")));
        yield return new("paper", "list", "list the group's library",
            [new OptionSpec("page", OptionKind.Integer, "the page to show", Required: false)],
            a => new ListPapers(a.OptionalInt("page") ?? 1));
        yield return new("paper", "search", "search the library (ranked by BM25 over titles, authors and abstracts)",
            [new OptionSpec("words", OptionKind.Text, "words to look for") { MaxLength = 200, Label = "search" }], a => new SearchPapers(a.Required("words")));
        yield return new("paper", "suggest", "suggest a paper for a coming week",
            [Ref, new OptionSpec("why", OptionKind.Text, "why the group should read it", Required: false) { MaxLength = 500, Label = "reason" }],
            a => new SuggestPaper(a.Required("ref"), a.Optional("why")));
        yield return new("paper", "vote", "vote for a suggested paper (again to take the vote back)",
            [Ref], a => new VotePaper(a.Required("ref")));
        yield return new("paper", "queue", "show the suggestions ranked by votes", [], _ => new ShowQueue());
        yield return new("paper", "import", "add the papers of a ReadingBot JSON export (a /export json file or a library.json feed link)",
            [new OptionSpec("url", OptionKind.Word, "the link of the JSON export") { MaxLength = 2000, Label = "link" }], a => new ImportLibrary(a.Required("url"))) { ModeratorOnly = true };

        yield return new("week", "show", "show this week's paper and the coming picks", [], _ => new ShowWeek()) { IsDefault = true };
        yield return new("week", "pick", "make a paper the paper of a week",
            [Ref, new OptionSpec("date", OptionKind.Word, "a date in the week (YYYY-MM-DD) or a week (2026-W49)", Required: false) { Label = "week" }],
            a => new PickWeek(a.Required("ref"), a.Optional("date"))) { ModeratorOnly = true };
        yield return new("week", "schedule", "set when the weekly announcement goes out",
            [
                new OptionSpec("weekday", OptionKind.Choice, "the day of the week") { Choices = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] },
                new OptionSpec("time", OptionKind.Word, "the time of day, HH:MM (24-hour)"),
                new OptionSpec("zone", OptionKind.Word, "an IANA time zone such as Europe/Berlin") { MaxLength = 64, Label = "time zone" },
            ],
            a => new ScheduleWeek(a.Required("weekday"), a.Required("time"), a.Required("zone"))) { ModeratorOnly = true };
        yield return new("week", "skip", "mark a week as a break",
            [new OptionSpec("date", OptionKind.Word, "a date in the week (YYYY-MM-DD) or a week (2026-W49)", Required: false) { Label = "week" }],
            a => new SkipWeek(a.Optional("date"))) { ModeratorOnly = true };
        yield return new("week", "present", "volunteer to present a coming paper", [], _ => new VolunteerToPresent());

        yield return new("discuss", null, "add a note to the discussion of this week's paper",
            [new OptionSpec("text", OptionKind.Text, "your note") { MaxLength = MaxNoteLength, Label = "note" }],
            a => new Discuss(a.Required("text")));

        yield return new("wayr", "post", "say what you are reading this week",
            [new OptionSpec("text", OptionKind.Text, "a paper, a status (skimmed/reading/read/implemented) and a note") { MaxLength = MaxNoteLength, Label = "post" }],
            a => new PostWayr(a.Required("text"))) { IsDefault = true };
        yield return new("wayr", "list", "show this week's (or another week's) WAYR posts",
            [new OptionSpec("week", OptionKind.Word, "a week such as 2026-W48", Required: false)], a => new ListWayr(a.Optional("week")));
        yield return new("wayr", "edit", "change one of your posts of this week",
            [new OptionSpec("number", OptionKind.Integer, "the post's number in /wayr list") { Label = "post number" }, new OptionSpec("text", OptionKind.Text, "the new post") { MaxLength = MaxNoteLength, Label = "post" }],
            a => new EditWayr(a.OptionalInt("number")!.Value, a.Required("text")));
        yield return new("wayr", "delete", "delete one of your posts of this week",
            [new OptionSpec("number", OptionKind.Integer, "the post's number in /wayr list") { Label = "post number" }], a => new DeleteWayr(a.OptionalInt("number")!.Value));
        yield return new("digest", null, "show the weekly digest",
            [new OptionSpec("week", OptionKind.Word, "a week such as 2026-W48", Required: false)], a => new ShowDigest(a.Optional("week")));
        yield return new("streak", "show", "show a member's weekly streak",
            [new OptionSpec("member", OptionKind.Member, "a member (you if left out)", Required: false)], a => new ShowStreak(a.Optional("member"))) { IsDefault = true, Ephemeral = true };
        yield return new("streak", "correct", "correct a member's closed week, with a reason",
            [
                new OptionSpec("member", OptionKind.Member, "the member"),
                new OptionSpec("week", OptionKind.Word, "a closed week such as 2026-W48"),
                new OptionSpec("result", OptionKind.Choice, "what the week should count as") { Choices = ["kept", "frozen", "missed"] },
                new OptionSpec("reason", OptionKind.Text, "the reason, kept in the audit log") { MaxLength = 300 },
            ],
            a => new CorrectStreak(a.Required("member"), a.Required("week"), a.Required("result"), a.Required("reason"))) { ModeratorOnly = true };
        yield return new("streak", "audit", "list streak corrections", [], _ => new ShowStreakAudit()) { ModeratorOnly = true, Ephemeral = true };
        yield return new("leaderboard", null, "rank members by weekly streak", [], _ => new ShowLeaderboard());
        yield return new("read", null, "record how far you are with a paper",
            [Ref, new OptionSpec("pass", OptionKind.Choice, "the pass you finished") { Choices = ["pass1", "pass2", "pass3", "done"] }],
            a => new RecordReading(a.Required("ref"), a.Required("pass")));
        yield return new("progress", null, "show a member's reading progress",
            [new OptionSpec("member", OptionKind.Member, "a member (you if left out)", Required: false)], a => new ShowProgress(a.Optional("member"))) { Ephemeral = true };

        yield return new("like", null, "like a paper (again to take it back); likes teach your recommendations",
            [Ref], a => new Recommendations.LikePaper(a.Required("ref"))) { Ephemeral = true };
        yield return new("recommend", null, "recommend papers for you or for the group, with the terms behind each pick",
            [new OptionSpec("for", OptionKind.Choice, "who to recommend for: me or the group", Required: false) { Choices = ["me", "group"], Label = "audience" }],
            a => new Recommendations.RecommendPapers(a.Optional("for") == "group")) { Ephemeral = true };
        yield return new("similar", null, "papers similar to one paper", [Ref], a => new Recommendations.SimilarPapers(a.Required("ref")));

        yield return new("roadmap", "show", "show the group's reading roadmap and where you are", [], _ => new ShowRoadmap()) { IsDefault = true };
        yield return new("roadmap", "next", "mark your current roadmap paper read and show the next", [], _ => new NextRoadmapPaper());
        yield return new("roadmap", "list", "list the whole roadmap", [], _ => new ListRoadmap());
        yield return new("roadmap", "import", "import a reading list from a Markdown document",
            [new OptionSpec("url", OptionKind.Word, "the link of a Markdown document") { MaxLength = 2000, Label = "link" }], a => new ImportRoadmap(a.Required("url"))) { ModeratorOnly = true };

        yield return new("export", null, "export the group's library as a file",
            [new OptionSpec("format", OptionKind.Choice, "the file format") { Choices = ["markdown", "bibtex", "json", "csv", "rss", "ics"] }], a => new ExportLibrary(a.Required("format")));
        yield return new("dashboard", "link", "get a private link to the group's web page", [], _ => new Web.ShowDashboard()) { IsDefault = true, Ephemeral = true };
        yield return new("dashboard", "feeds", "get the group's feed links (reset revokes them; moderators)",
            [new OptionSpec("action", OptionKind.Choice, "reset to revoke the old links", Required: false) { Choices = ["reset"] }],
            a => new Web.DashboardFeeds(a.Optional("action") == "reset")) { Ephemeral = true };
        yield return new("dashboard", "public", "get the group's public page link (reset revokes it; moderators)",
            [new OptionSpec("action", OptionKind.Choice, "reset to revoke the old link", Required: false) { Choices = ["reset"] }],
            a => new Web.DashboardPublic(a.Optional("action") == "reset")) { Ephemeral = true };

        yield return new("settings", null, "show or change settings (group settings are for moderators)",
            [
                new OptionSpec("key", OptionKind.Word, "a setting such as timezone", Required: false) { MaxLength = 40, Label = "setting name" },
                new OptionSpec("value", OptionKind.Text, "the new value", Required: false) { MaxLength = Settings.SettingCatalogue.MaxValueLength, Label = "setting value" },
            ],
            a => a.Optional("value") is { } value ? new ChangeSetting(a.Required("key"), value) : new ShowSettings(a.Optional("key")));
    }

    private static CommandSpec Later(string name, string? sub, string description, string comingWith, params OptionSpec[] options)
    {
        var path = sub is null ? name : $"{name} {sub}";
        return new CommandSpec(name, sub, description, options, _ => new NotBuilt(path, comingWith)) { ComingWith = comingWith };
    }
}
