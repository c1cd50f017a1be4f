using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Weeks;

namespace ReadingBot.Core.Settings;

/// <summary>Shows and changes group and member settings, checking moderator rights for group keys.</summary>
public sealed class SettingsService(IGroupStore groups, IMemberStore members, IWeekPlanStore plans, TimeProvider time)
{
    public Reply Show(Invocation invocation, string? key)
    {
        if (key is not null)
        {
            var definition = SettingCatalogue.Find(key);
            return definition is null
                ? UnknownKey(key)
                : new TextReply($"{definition.Key} = {Display(ValueOf(invocation, definition))} — {definition.Description}");
        }

        var items = SettingCatalogue.All
            .Select(d => new ListItem($"{d.Key} = {Display(ValueOf(invocation, d))} — {d.Description}{(d.Scope == SettingScope.Member ? " (yours)" : d.ModeratorOnly ? " (moderators change it)" : "")}"))
            .ToList();
        return new ListReply("Settings", items, Footer: "Change one with /settings <key> <value>.");
    }

    public Reply Change(Invocation invocation, string key, string value)
    {
        var definition = SettingCatalogue.Find(key);
        if (definition is null)
        {
            return UnknownKey(key);
        }

        if (definition.Scope == SettingScope.Group && definition.ModeratorOnly && !invocation.IsModerator)
        {
            return new ErrorReply($"Only moderators can change {definition.Key}. Ask a moderator of this group.");
        }

        string normalized;
        try
        {
            normalized = definition.Normalize(value);
        }
        catch (SettingValueException ex)
        {
            return new ErrorReply(ex.Message);
        }

        if (definition.Scope == SettingScope.Group)
        {
            // Re-read so that a concurrent change of another key is not overwritten by a stale copy.
            var group = groups.Find(invocation.GroupId) ?? invocation.Group;
            var updated = group with { Settings = With(group.Settings, definition.Key, normalized) };
            groups.Save(updated);
            // The meeting, announcement and zone settings move sessions: their calendar events need a new revision.
            WeekRevisions.AfterScheduleChange(plans, group, updated, time.GetUtcNow());
        }
        else
        {
            var member = members.Find(invocation.GroupId, invocation.Member.UserId) ?? invocation.Member;
            members.Save(member with { Settings = With(member.Settings, definition.Key, normalized) });
        }

        return new TextReply($"{definition.Key} is now {Display(normalized)}.");
    }

    private static string ValueOf(Invocation invocation, SettingDefinition definition) =>
        definition.Scope == SettingScope.Group ? invocation.Group.Setting(definition) : invocation.Member.Setting(definition);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings, string key, string value) =>
        new(settings, StringComparer.Ordinal) { [key] = value };

    private static string Display(string value) => value.Length == 0 ? "(not set)" : value;

    private static ErrorReply UnknownKey(string key) =>
        new($"There is no setting '{CommandBinder.Clip(key)}'. Settings: {string.Join(", ", SettingCatalogue.All.Select(d => d.Key))}.");
}
