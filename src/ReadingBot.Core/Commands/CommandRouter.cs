using ReadingBot.Core.Papers;
using ReadingBot.Core.Replies;
using ReadingBot.Core.Settings;

namespace ReadingBot.Core.Commands;

/// <summary>Sends each command record to the feature that handles it. A plain switch: no mediator, no reflection.</summary>
public sealed class CommandRouter(HelpCommands help, LibraryService library, SettingsService settings, Weeks.WeeklyPaperService weekly, Wayr.WayrService wayr, IntakeCommandHandler intake, Recommendations.RecommendationService recommendations, Web.DashboardService dashboard)
{
    public Task<Reply> RouteAsync(Invocation invocation, Command command, CancellationToken cancellationToken) => command switch
    {
        ShowHelp c => Task.FromResult(help.Show(c.Topic)),
        AddPaper c => library.AddAsync(invocation, c.Reference, c.Title, cancellationToken),
        ShowPaper c => Task.FromResult(library.Show(invocation, c.Reference)),
        ListPapers c => Task.FromResult(library.List(invocation, c.Page)),
        ShowSettings c => Task.FromResult(settings.Show(invocation, c.Key)),
        ChangeSetting c => Task.FromResult(settings.Change(invocation, c.Key, c.Value)),
        SuggestPaper c => weekly.SuggestAsync(invocation, c.Reference, c.Why, cancellationToken),
        VotePaper c => Task.FromResult(weekly.Vote(invocation, c.Reference)),
        ShowQueue => Task.FromResult(weekly.Queue(invocation)),
        ShowWeek => Task.FromResult(weekly.Show(invocation)),
        PickWeek c => weekly.PickAsync(invocation, c.Reference, c.When, cancellationToken),
        SkipWeek c => Task.FromResult(weekly.Skip(invocation, c.When)),
        ScheduleWeek c => Task.FromResult(weekly.Schedule(invocation, c.Weekday, c.Time, c.Zone)),
        VolunteerToPresent => Task.FromResult(weekly.Volunteer(invocation)),
        Discuss c => Task.FromResult(weekly.Discuss(invocation, c.Text)),
        IntakeCommand c => intake.RouteAsync(invocation, c, cancellationToken),
        PostWayr c => wayr.PostAsync(invocation, c.Text, cancellationToken),
        ListWayr c => Task.FromResult(wayr.List(invocation, c.Week)),
        EditWayr c => wayr.EditAsync(invocation, c.Number, c.Text, cancellationToken),
        DeleteWayr c => Task.FromResult(wayr.Delete(invocation, c.Number)),
        ShowDigest c => Task.FromResult(wayr.ShowDigest(invocation, c.Week)),
        ShowStreak c => Task.FromResult(wayr.ShowStreak(invocation, c.Member)),
        CorrectStreak c => Task.FromResult(wayr.Correct(invocation, c.Member, c.Week, c.Outcome, c.Reason)),
        ShowStreakAudit => Task.FromResult(wayr.Audit(invocation)),
        ShowLeaderboard => Task.FromResult(wayr.Leaderboard(invocation)),
        RecordReading c => wayr.RecordReadingAsync(invocation, c.Reference, c.Pass, cancellationToken),
        ShowProgress c => Task.FromResult(wayr.ShowProgress(invocation, c.Member)),
        Recommendations.RecommendationCommand c => recommendations.RouteAsync(invocation, c, cancellationToken),
        Web.ShowDashboard => Task.FromResult(dashboard.Show(invocation)),
        Web.DashboardFeeds c => Task.FromResult(dashboard.Feeds(invocation, c.Reset)),
        Web.DashboardPublic c => Task.FromResult(dashboard.Public(invocation, c.Reset)),
        NotBuilt c => Task.FromResult<Reply>(new TextReply($"/{c.Path} is not available yet: it arrives with {c.ComingWith}.") { Ephemeral = true }),
        _ => throw new InvalidOperationException($"no handler for {command.GetType().Name}"),
    };
}
