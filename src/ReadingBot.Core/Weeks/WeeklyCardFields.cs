using System.Globalization;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;

namespace ReadingBot.Core.Weeks;

/// <summary>Adds a paper's suggestion, votes and discussion to its full card.</summary>
public sealed class WeeklyCardFields(ISuggestionStore suggestions, IDiscussionStore discussion, IMemberStore members) : IPaperCardContributor
{
    /// <inheritdoc />
    public IEnumerable<CardField> Fields(GroupId group, LibraryItem item)
    {
        var suggestion = suggestions.Find(group, item.Paper.Key);
        if (suggestion is not null)
        {
            var by = members.Find(group, suggestion.SuggestedBy)?.DisplayName ?? suggestion.SuggestedBy;
            yield return new CardField("Suggested by", by + (string.IsNullOrWhiteSpace(suggestion.Why) ? "" : $": {suggestion.Why}"));
            yield return new CardField("Votes", suggestion.Voters.Count.ToString(CultureInfo.InvariantCulture) + (suggestion.State == SuggestionState.Picked ? " (picked)" : ""));
        }

        var notes = discussion.ForPaper(group, item.Paper.Key);
        if (notes.Count > 0)
        {
            var latest = notes.OrderByDescending(n => n.At).Take(3)
                .Select(n => $"{members.Find(group, n.Author)?.DisplayName ?? n.Author}: {PaperCards.Excerpt(n.Text, 160)}");
            yield return new CardField("Discussion", $"{notes.Count} note{(notes.Count == 1 ? "" : "s")}; latest — " + string.Join(" | ", latest));
        }
    }

}
