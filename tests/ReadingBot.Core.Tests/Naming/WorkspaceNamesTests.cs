using ReadingBot.Core.Groups;
using ReadingBot.Core.Web;
using ReadingBot.TestSupport;

namespace ReadingBot.Core.Tests.Naming;

/// <summary>The platform's name for a workspace reaches its group through the real command path, and a moderator's name wins.</summary>
public sealed class WorkspaceNamesTests
{
    private static readonly GroupAddress Server = new(Platforms.Discord, "1100000000000000001");

    [Fact]
    public async Task A_name_learned_before_the_first_command_is_on_the_new_group()
    {
        using var bot = TestBot.Create();
        bot.Get<WorkspaceNames>().Learn(Server.Platform, Server.Workspace, "  Paper\tClub  ");

        await bot.SendAsync("paper list", group: Server);

        Assert.Equal("Paper Club", GroupNames.Of(bot.Get<IGroupStore>().Find(Server.Id)!));
    }

    [Fact]
    public async Task A_rename_reaches_an_existing_group_at_once_and_a_blank_name_changes_nothing()
    {
        using var bot = TestBot.Create();
        var names = bot.Get<WorkspaceNames>();
        names.Learn(Server.Platform, Server.Workspace, "Paper Club");
        await bot.SendAsync("paper list", group: Server);

        names.Learn(Server.Platform, Server.Workspace, "Paper Club 2027");
        names.Learn(Server.Platform, Server.Workspace, "   ");

        Assert.Equal("Paper Club 2027", bot.Get<IGroupStore>().Find(Server.Id)!.PlatformName);
    }

    [Fact]
    public async Task The_moderators_name_wins_and_clearing_it_shows_the_platforms_again()
    {
        using var bot = TestBot.Create();
        bot.Get<WorkspaceNames>().Learn(Server.Platform, Server.Workspace, "Paper Club");

        await bot.SendAsync("settings name Thursday Transformers", moderator: true, group: Server);
        Assert.Equal("Thursday Transformers", GroupNames.Of(bot.Get<IGroupStore>().Find(Server.Id)!));

        await bot.SendAsync("settings name -", moderator: true, group: Server);
        Assert.Equal("Paper Club", GroupNames.Of(bot.Get<IGroupStore>().Find(Server.Id)!));
    }

    [Fact]
    public void Without_any_name_the_page_says_reading_group()
    {
        var group = new Group { Id = Server.Id, Platform = Server.Platform, Workspace = Server.Workspace, CreatedAt = DateTimeOffset.UnixEpoch };

        Assert.Equal(GroupNames.Fallback, GroupNames.Of(group));
    }

    [Fact]
    public async Task A_very_long_name_is_cut_to_the_platforms_limit_and_control_characters_dropped()
    {
        using var bot = TestBot.Create();
        bot.Get<WorkspaceNames>().Learn(Server.Platform, Server.Workspace, "A\u0000b" + new string('b', 300));

        await bot.SendAsync("paper list", group: Server);

        var name = bot.Get<IGroupStore>().Find(Server.Id)!.PlatformName;
        Assert.Equal(WorkspaceNames.MaxLength, name.Length);
        Assert.StartsWith("A b", name, StringComparison.Ordinal);
    }
}
