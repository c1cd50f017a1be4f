using Microsoft.Extensions.Options;
using ReadingBot.Core.Settings;

namespace ReadingBot.Host.Composition;

/// <summary>Group defaults (<c>Groups:*</c>).</summary>
public sealed class GroupsOptions
{
    /// <summary>The IANA zone a new group starts with.</summary>
    public string DefaultTimeZone { get; set; } = "Etc/UTC";
}

/// <summary>Library behaviour (<c>Library:*</c>).</summary>
public sealed class LibraryHostOptions
{
    public double FetchTimeoutSeconds { get; set; } = 5;
    public int PageSize { get; set; } = 20;
}

/// <summary>The local terminal chat (<c>Local:*</c>).</summary>
public sealed class LocalChatOptions
{
    /// <summary><c>auto</c> (on when no chat platform is configured), <c>true</c> or <c>false</c>.</summary>
    public string Enabled { get; set; } = "auto";

    /// <summary>The member you are when the chat starts.</summary>
    public string User { get; set; } = "admin";

    /// <summary>Names that are moderators in the local chat.</summary>
    public List<string> Moderators { get; set; } = [];

    /// <summary>The local workspace name (one local group per workspace).</summary>
    public string Workspace { get; set; } = "local";
}

/// <summary>The host's web server (<c>Web:*</c>).</summary>
public sealed class WebOptions
{
    public bool Enabled { get; set; } = true;
    public string Urls { get; set; } = "http://127.0.0.1:5080";
}

/// <summary>Storage upkeep (<c>Storage:*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Minutes between checkpoints (LiteDB fsyncs only at checkpoints).</summary>
    public double CheckpointMinutes { get; set; } = 5;
}

/// <summary>The weekly scheduler (<c>Scheduler:*</c>).</summary>
public sealed class SchedulerHostOptions
{
    /// <summary>Seconds between scheduler passes over all groups.</summary>
    public double TickSeconds { get; set; } = 20;

    /// <summary>How late a missed post (the bot was down) may still be made.</summary>
    public double CatchUpHours { get; set; } = 12;

    /// <summary>Minutes before a failed post (deleted channel) is tried again.</summary>
    public double RetryFailedMinutes { get; set; } = 10;

    /// <summary>
    /// Minutes a claim on a scheduled post holds; an older claim never marked done (the process died between claim
    /// and post) is taken again. Short, because Discord drops a resent nonce only within a few minutes.
    /// </summary>
    public double ClaimLeaseMinutes { get; set; } = 2;
}

/// <summary>Checks configuration at start; each failure names the key and the fix.</summary>
internal sealed class OptionsChecks :
    IValidateOptions<GroupsOptions>, IValidateOptions<LibraryHostOptions>, IValidateOptions<LocalChatOptions>, IValidateOptions<StorageOptions>, IValidateOptions<WebOptions>, IValidateOptions<SchedulerHostOptions>
{
    public ValidateOptionsResult Validate(string? name, GroupsOptions options) =>
        TimeZones.TryFind(options.DefaultTimeZone, out _)
            ? ValidateOptionsResult.Success
            : Fail("Groups:DefaultTimeZone", $"'{options.DefaultTimeZone}' is not an IANA time zone", "a zone such as Etc/UTC or Europe/Berlin");

    public ValidateOptionsResult Validate(string? name, LibraryHostOptions options)
    {
        if (options.FetchTimeoutSeconds is <= 0 or > 60)
        {
            return Fail("Library:FetchTimeoutSeconds", $"{options.FetchTimeoutSeconds} is out of range", "a number of seconds from 0.1 to 60");
        }

        return options.PageSize is < 1 or > 100
            ? Fail("Library:PageSize", $"{options.PageSize} is out of range", "a whole number from 1 to 100")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, LocalChatOptions options)
    {
        if (options.Enabled is not ("auto" or "true" or "false" or "True" or "False"))
        {
            return Fail("Local:Enabled", $"'{options.Enabled}' is not auto, true or false", "auto, true or false");
        }

        return string.IsNullOrWhiteSpace(options.User) || options.User.Any(char.IsWhiteSpace)
            ? Fail("Local:User", $"'{options.User}' is not a single name", "a name without spaces, such as admin")
            : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.CheckpointMinutes is <= 0 or > 1440
            ? Fail("Storage:CheckpointMinutes", $"{options.CheckpointMinutes} is out of range", "a number of minutes from 0.1 to 1440")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, WebOptions options) =>
        !options.Enabled || options.Urls.Split(';').All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? ValidateOptionsResult.Success
            : Fail("Web:Urls", $"'{options.Urls}' is not a list of http(s) URLs", "a value such as http://127.0.0.1:5080");

    public ValidateOptionsResult Validate(string? name, SchedulerHostOptions options)
    {
        if (options.TickSeconds is < 1 or > 3600)
        {
            return Fail("Scheduler:TickSeconds", $"{options.TickSeconds} is out of range", "a number of seconds from 1 to 3600");
        }

        if (options.CatchUpHours is < 0 or > 168)
        {
            return Fail("Scheduler:CatchUpHours", $"{options.CatchUpHours} is out of range", "a number of hours from 0 to 168");
        }

        if (options.RetryFailedMinutes is < 1 or > 1440)
        {
            return Fail("Scheduler:RetryFailedMinutes", $"{options.RetryFailedMinutes} is out of range", "a number of minutes from 1 to 1440");
        }

        // At least a minute, so a slow but live post is not taken over; at most four, so that a resend still falls in
        // Discord's few-minute nonce window and is dropped there if the first attempt landed.
        return options.ClaimLeaseMinutes is < 1 or > 4
            ? Fail("Scheduler:ClaimLeaseMinutes", $"{options.ClaimLeaseMinutes} is out of range", "a number of minutes from 1 to 4")
            : ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string key, string problem, string fix) =>
        ValidateOptionsResult.Fail(SettingProblem.Describe(key, problem, fix));
}
