using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>Slash commands end to end: INTERACTION_CREATE over the Gateway in, the callback or @original edit out, state in LiteDB.</summary>
public sealed class InteractionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private DiscordHarness bot = null!;

    public async Task InitializeAsync() => bot = await StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task Help_lists_the_commands_in_an_embed()
    {
        var interaction = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");

        var reply = await interaction.WaitForReplyAsync(Wait);

        Assert.Equal(4, interaction.CallbackType);
        Assert.Contains("ReadingBot commands", EmulatedInteraction.TextOf(reply));
        Assert.Contains("/paper add", EmulatedInteraction.TextOf(reply));
        Assert.Equal(64, interaction.InitialFlags);
    }

    [Fact]
    public async Task Paper_add_show_and_list_store_the_paper_in_the_guilds_library()
    {
        var add = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "arXiv:1706.03762"), ("title", "Attention Is All You Need"));
        Assert.Contains("Added #1", await add.ReplyTextAsync(Wait));

        var show = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "paper", "show", ("ref", "#1"));
        Assert.Contains("Attention Is All You Need", await show.ReplyTextAsync(Wait));

        var list = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Bob, "paper", "list");
        Assert.Contains("Library (1 paper)", await list.ReplyTextAsync(Wait));

        var group = new GroupAddress(Platforms.Discord, GuildA).Id;
        Assert.NotNull(bot.Get<ILibraryStore>().FindByNumber(group, 1));
        Assert.Equal("Alice N.", bot.Get<IMemberStore>().Find(group, Alice.Id)!.DisplayName);
        Assert.Equal("Bob G.", bot.Get<IMemberStore>().Find(group, Bob.Id)!.DisplayName);
    }

    [Fact]
    public async Task Settings_change_needs_manage_server_and_is_stored()
    {
        var refused = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "settings", null, ("key", "timezone"), ("value", "Europe/Berlin"));
        Assert.Contains("moderators", await refused.ReplyTextAsync(Wait));
        Assert.Equal(64, refused.InitialFlags);

        var changed = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, "settings", null, ("key", "timezone"), ("value", "Europe/Berlin"));
        Assert.Contains("timezone is now Europe/Berlin", await changed.ReplyTextAsync(Wait));

        var shown = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "settings", null, ("key", "timezone"));
        Assert.Contains("Europe/Berlin", await shown.ReplyTextAsync(Wait));
        Assert.Equal("Europe/Berlin", bot.Get<IGroupStore>().Find(new GroupAddress(Platforms.Discord, GuildA).Id)!.Settings["timezone"]);
    }

    [Fact]
    public async Task A_member_with_the_moderator_role_is_a_moderator()
    {
        await using var withRole = await StartAsync(settings: new Dictionary<string, string?> { ["Discord:ModeratorRoleId"] = "1300000000000000009" });
        var roleHolder = new EmulatedUser("1000000000000000044", "carol", Roles: ["1300000000000000009"]);

        var changed = await withRole.Emulator.SendCommandAsync(GuildA, ChannelA, roleHolder, "settings", null, ("key", "channel"), ("value", "<#" + ChannelA + ">"));

        Assert.Contains("channel is now", await changed.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task Every_command_of_the_catalogue_answers_through_discord()
    {
        var catalogue = bot.Get<CommandCatalogue>();
        Assert.NotEmpty(catalogue.All);
        foreach (var spec in catalogue.All)
        {
            var options = spec.Options.Where(o => o.Required)
                .Select(o => (o.Name, (object)(o.Kind == OptionKind.Choice ? o.Choices[0] : o.Kind == OptionKind.Integer ? 1 : o.Kind == OptionKind.PaperRef ? "1706.03762" : "2026-W50")))
                .ToArray();
            var interaction = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Mod, spec.Name, spec.Subcommand, options);

            var text = await interaction.ReplyTextAsync(Wait);

            // A refusal of these placeholder values is a fine answer; an internal failure is not.
            Assert.False(string.IsNullOrWhiteSpace(text), spec.Path);
            Assert.DoesNotContain("went wrong on our side", text, StringComparison.Ordinal);
            Assert.DoesNotContain("not available yet", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_slow_command_is_deferred_at_once_and_completed_by_editing_the_original()
    {
        await using var slow = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:DeferAfterSeconds"] = "1" },
            services: s => s.AddSingleton<IPaperMetadataSource>(new SlowMetadataSource(TimeSpan.FromSeconds(2.5))));

        var interaction = await slow.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.00001"));
        var text = await interaction.ReplyTextAsync(Wait);

        Assert.Equal(5, interaction.CallbackType);
        Assert.True(interaction.AckLatency < TimeSpan.FromSeconds(3), $"acked after {interaction.AckLatency}");
        Assert.Contains("Added #1", text);
        Assert.Empty(interaction.Errors);
        Assert.Contains(slow.Emulator.Recorder.Requests, r => r.Method == "PATCH" && r.Route.EndsWith("messages/@original", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_command_that_ends_in_an_error_replaces_the_public_placeholder_with_a_private_answer()
    {
        await using var slow = await StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:DeferAfterSeconds"] = "0.5" },
            services: s => s.AddSingleton<IPaperMetadataSource>(new SlowMetadataSource(TimeSpan.FromSeconds(1.5), new MetadataResult.NotFound("arXiv does not know it"))));

        var interaction = await slow.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "2101.99999"));
        var reply = await interaction.WaitForReplyAsync(Wait);

        Assert.Equal(5, interaction.CallbackType);
        Assert.Equal(0, interaction.InitialFlags);
        Assert.True(interaction.OriginalDeleted);
        Assert.Equal(64, reply["flags"]!.GetValue<int>());
        Assert.Contains("could not be added", EmulatedInteraction.TextOf(reply));
        Assert.Empty(interaction.Errors);
    }

    [Fact]
    public async Task A_dm_gets_an_ephemeral_use_this_in_a_server()
    {
        var dm = bot.Emulator.NewCommand(null, "1110000000000000099", Alice, "help");
        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", dm.Payload.DeepClone().AsObject());

        Assert.Contains("use this in a server", await dm.ReplyTextAsync(Wait));
        Assert.Equal(64, dm.InitialFlags);
    }

    [Fact]
    public async Task Autocomplete_suggests_papers_from_the_guilds_library()
    {
        var add = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "1706.03762"), ("title", "Attention Is All You Need"));
        await add.WaitForReplyAsync(Wait);

        var complete = await bot.Emulator.SendAutocompleteAsync(GuildA, ChannelA, Alice, "paper", "show", "ref", "atten");
        var reply = await complete.WaitForReplyAsync(Wait);

        Assert.Equal(8, complete.CallbackType);
        var choice = Assert.Single(reply["choices"]!.AsArray());
        Assert.Equal("#1 Attention Is All You Need", choice!["name"]!.GetValue<string>());
        Assert.Equal("#1", choice["value"]!.GetValue<string>());

        var elsewhere = await bot.Emulator.SendAutocompleteAsync(GuildB, ChannelB, Alice, "paper", "show", "ref", "");
        Assert.Empty((await elsewhere.WaitForReplyAsync(Wait))["choices"]!.AsArray());
    }

    [Fact]
    public async Task A_button_runs_the_command_line_it_carries()
    {
        var press = await bot.Emulator.SendButtonAsync(GuildA, ChannelA, Alice, "rb:paper list");

        Assert.Contains("The library is empty", await press.ReplyTextAsync(Wait));
    }

    [Fact]
    public async Task Two_guilds_never_see_each_others_data()
    {
        var add = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "paper", "add", ("ref", "1706.03762"), ("title", "Alpha only"));
        await add.WaitForReplyAsync(Wait);

        var listB = await bot.Emulator.SendCommandAsync(GuildB, ChannelB, Alice, "paper", "list");
        var showB = await bot.Emulator.SendCommandAsync(GuildB, ChannelB, Alice, "paper", "show", ("ref", "#1"));

        Assert.Contains("The library is empty", await listB.ReplyTextAsync(Wait));
        Assert.DoesNotContain("Alpha only", await showB.ReplyTextAsync(Wait));
        Assert.Equal(0, bot.Get<ILibraryStore>().Count(new GroupAddress(Platforms.Discord, GuildB).Id));
        Assert.Equal(1, bot.Get<ILibraryStore>().Count(new GroupAddress(Platforms.Discord, GuildA).Id));
    }

    [Fact]
    public async Task A_replayed_interaction_is_answered_once()
    {
        var interaction = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "help");
        await interaction.WaitForReplyAsync(Wait);

        await bot.Emulator.DispatchAsync("INTERACTION_CREATE", interaction.Payload.DeepClone().AsObject());
        await Task.Delay(500);

        Assert.Empty(interaction.Errors);
        Assert.Single(bot.Emulator.Recorder.Requests, r => r.Route.Contains("callback", StringComparison.Ordinal) && r.Path.Contains(interaction.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_message_the_bot_sent_had_safe_allowed_mentions()
    {
        foreach (var user in new[] { Alice, Bob, Mod })
        {
            await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, user, "help")).WaitForReplyAsync(Wait);
            await (await bot.Emulator.SendCommandAsync(GuildA, ChannelA, user, "paper", "add", ("ref", "@everyone"))).WaitForReplyAsync(Wait);
        }

        Assert.True(bot.Emulator.Recorder.MessageCount >= 6);
        Assert.All(bot.Emulator.Recorder.Requests.Where(r => r.Path.StartsWith("interactions/", StringComparison.Ordinal)),
            r => Assert.DoesNotContain(r.Path.Split('/')[2], bot.Logs.Text, StringComparison.Ordinal));
        Assert.Empty(bot.Emulator.Recorder.UnsafeMessages);
        Assert.Equal(0, bot.Emulator.Recorder.InvalidResponses);
    }
}

/// <summary>A metadata source that answers after a delay, to make a command slow.</summary>
public sealed class SlowMetadataSource(TimeSpan delay, MetadataResult? result = null) : IPaperMetadataSource
{
    public async Task<MetadataResult> FetchAsync(PaperRef reference, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return result ?? new MetadataResult.Unavailable("slow in this test");
    }
}
