using System.Text.Json.Nodes;
using ReadingBot.Core.Commands;
using ReadingBot.Discord.Interactions;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>Commands registered from the Core catalogue by bulk overwrite, accepted by the emulator's validation.</summary>
public sealed class RegistrationTests
{
    private static JsonObject Command(JsonArray commands, string name) =>
        commands.OfType<JsonObject>().Single(c => c["name"]!.GetValue<string>() == name);

    private static JsonObject Option(JsonObject parent, string name) =>
        parent["options"]!.AsArray().OfType<JsonObject>().Single(o => o["name"]!.GetValue<string>() == name);

    [Fact]
    public void The_catalogue_builds_a_payload_discord_accepts()
    {
        var payload = CommandRegistration.Build(new CommandCatalogue());

        Assert.Empty(DiscordRules.ValidateCommands(payload));
        Assert.Equal(new CommandCatalogue().Names.Count(), payload.Count);
    }

    [Fact]
    public async Task Commands_are_registered_globally_with_subcommands_and_typed_options()
    {
        await using var bot = await StartAsync();

        var commands = bot.Emulator.Commands()!;
        var paper = Command(commands, "paper");
        var add = Option(paper, "add");
        var list = Option(paper, "list");
        var schedule = Option(Command(commands, "week"), "schedule");

        Assert.Equal(1, add["type"]!.GetValue<int>());
        Assert.Equal(3, Option(add, "ref")["type"]!.GetValue<int>());
        Assert.True(Option(add, "ref")["autocomplete"]!.GetValue<bool>());
        Assert.True(Option(add, "ref")["required"]!.GetValue<bool>());
        Assert.Equal(4, Option(list, "page")["type"]!.GetValue<int>());
        Assert.Equal(7, Option(schedule, "weekday")["choices"]!.AsArray().Count);
        Assert.Null(Command(commands, "help")["options"]!.AsArray().OfType<JsonObject>().FirstOrDefault(o => o["type"]!.GetValue<int>() == 1));
        Assert.All(commands.OfType<JsonObject>(), c => Assert.NotNull(c["id"]));
        Assert.Empty(bot.Emulator.CommandRegistrationErrors);
    }

    [Fact]
    public async Task A_dev_guild_gets_the_commands_instead_of_the_global_scope()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:DevGuildId"] = GuildA });

        Assert.Null(bot.Emulator.Commands());
        Assert.NotNull(bot.Emulator.Commands(GuildA));
    }

    [Fact]
    public void The_emulator_refuses_what_discord_refuses()
    {
        static JsonArray One(JsonObject option) => new(new JsonObject { ["name"] = "x", ["description"] = "d", ["options"] = new JsonArray(option) });

        Assert.NotEmpty(DiscordRules.ValidateCommands(new JsonArray(new JsonObject { ["name"] = "Paper", ["description"] = "d" })));
        Assert.NotEmpty(DiscordRules.ValidateCommands(new JsonArray(new JsonObject { ["name"] = "paper", ["description"] = "" })));
        Assert.NotEmpty(DiscordRules.ValidateCommands(One(new JsonObject { ["type"] = 3, ["name"] = "a", ["description"] = "d", ["autocomplete"] = true, ["choices"] = new JsonArray(new JsonObject { ["name"] = "c", ["value"] = "c" }) })));
        Assert.NotEmpty(DiscordRules.ValidateCommands(new JsonArray(new JsonObject
        {
            ["name"] = "x",
            ["description"] = "d",
            ["options"] = new JsonArray(
                new JsonObject { ["type"] = 3, ["name"] = "a", ["description"] = "d", ["required"] = false },
                new JsonObject { ["type"] = 3, ["name"] = "b", ["description"] = "d", ["required"] = true }),
        })));
        Assert.NotNull(DiscordRules.ValidateAllowedMentions(new JsonObject { ["parse"] = new JsonArray("users"), ["users"] = new JsonArray("1") }));
        Assert.NotNull(DiscordRules.ValidateMessage(new JsonObject { ["content"] = new string('a', 2001) }, true, false));
        Assert.Equal(50006, DiscordRules.ValidateMessage([], true, false)!.Value.Code);
    }
}
