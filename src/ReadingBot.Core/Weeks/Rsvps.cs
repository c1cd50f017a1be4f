using ReadingBot.Core.Groups;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Weeks;

/// <summary>A member's answer to a week's meeting.</summary>
public enum RsvpAnswer
{
    Going,
    NotGoing,
}

/// <summary>A member's answer for one week of one group; a new answer replaces the old.</summary>
public sealed record Rsvp(GroupId Group, WeekKey Week, string UserId, RsvpAnswer Answer, DateTimeOffset At);

/// <summary>Stores RSVPs: one per group, week and member.</summary>
public interface IRsvpStore
{
    /// <summary>Stores the answer, replacing the member's earlier answer for that week if there is one.</summary>
    void Save(Rsvp rsvp);

    Rsvp? Find(GroupId group, WeekKey week, string userId);

    /// <summary>Every answer for the week, oldest first.</summary>
    IReadOnlyList<Rsvp> ForWeek(GroupId group, WeekKey week);
}

/// <summary>
/// Who is going to a week's meeting. Members who keep off the leaderboard are counted but not named, the same
/// privacy choice applied to everything the group sees about them.
/// </summary>
public sealed record RsvpTally(int Going, int NotGoing, IReadOnlyList<string> Named)
{
    /// <summary>Going members who are counted without their name.</summary>
    public int Unnamed => Going - Named.Count;

    /// <summary>"3 going: Alice, Bob and 1 more; 1 not this week", or "nobody has answered yet".</summary>
    public string Line()
    {
        if (Going == 0 && NotGoing == 0)
        {
            return "nobody has answered yet";
        }

        var names = Named.ToList();
        if (Unnamed > 0)
        {
            names.Add($"{Unnamed} more");
        }

        var going = Going == 0 ? "nobody going yet" : $"{Going} going: {Join(names)}";
        return NotGoing == 0 ? going : $"{going}; {NotGoing} not this week";
    }

    private static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
    };
}

/// <summary>Reads a week's RSVPs as a <see cref="RsvpTally"/>, with members' names and privacy settings.</summary>
public sealed class RsvpTallies(IRsvpStore rsvps, IMemberStore members)
{
    public RsvpTally Of(GroupId group, WeekKey week)
    {
        var answers = rsvps.ForWeek(group, week);
        var named = new List<string>();
        foreach (var going in answers.Where(a => a.Answer == RsvpAnswer.Going))
        {
            var member = members.Find(group, going.UserId);
            if (member?.Setting(SettingCatalogue.Leaderboard) != "off")
            {
                named.Add(member?.DisplayName ?? going.UserId);
            }
        }

        return new RsvpTally(answers.Count(a => a.Answer == RsvpAnswer.Going), answers.Count(a => a.Answer == RsvpAnswer.NotGoing), named);
    }
}
