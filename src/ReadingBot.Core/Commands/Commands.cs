namespace ReadingBot.Core.Commands;

/// <summary>A command a member issued, bound from the catalogue. The router switches over these records.</summary>
public abstract record Command;

public sealed record ShowHelp(string? Topic) : Command;

public sealed record AddPaper(string Reference, string? Title) : Command;

public sealed record ShowPaper(string Reference) : Command;

public sealed record ListPapers(int Page) : Command;

public sealed record ShowSettings(string? Key) : Command;

public sealed record ChangeSetting(string Key, string Value) : Command;

/// <summary>A command of the product's surface whose feature is not built yet.</summary>
public sealed record NotBuilt(string Path, string ComingWith) : Command;

public sealed record SuggestPaper(string Reference, string? Why) : Command;

public sealed record VotePaper(string Reference) : Command;

public sealed record ShowQueue : Command;

public sealed record ShowWeek : Command;

public sealed record PickWeek(string Reference, string? When) : Command;

public sealed record SkipWeek(string? When) : Command;

public sealed record ScheduleWeek(string Weekday, string Time, string Zone) : Command;

public sealed record VolunteerToPresent : Command;

public sealed record Discuss(string Text) : Command;

public sealed record PostWayr(string Text) : Command;

public sealed record ListWayr(string? Week) : Command;

public sealed record EditWayr(int Number, string Text) : Command;

public sealed record DeleteWayr(int Number) : Command;

public sealed record ShowDigest(string? Week) : Command;

public sealed record ShowStreak(string? Member) : Command;

public sealed record CorrectStreak(string Member, string Week, string Outcome, string Reason) : Command;

public sealed record ShowStreakAudit : Command;

public sealed record ShowLeaderboard : Command;

public sealed record RecordReading(string Reference, string Pass) : Command;

public sealed record ShowProgress(string? Member) : Command;
