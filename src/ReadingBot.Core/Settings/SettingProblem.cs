namespace ReadingBot.Core.Settings;

/// <summary>
/// The one wording for a configuration value the bot refuses at start: the key, what is wrong, and every way to set
/// it (command line, environment, the shipped JSON file), so each adapter and the host say it the same way.
/// </summary>
public static class SettingProblem
{
    /// <summary>
    /// <c>Web:Urls: … is in use. Set it to a free port, e.g. --Web:Urls http://127.0.0.1:0 on the command line,
    /// READINGBOT_Web__Urls in the environment, or in config/appsettings.json.</c>
    /// </summary>
    /// <param name="key">The configuration key, with <c>:</c> between sections.</param>
    /// <param name="problem">What is wrong with the value, without a final full stop.</param>
    /// <param name="fix">What the value should be, e.g. "a number of minutes from 1 to 1440".</param>
    /// <param name="example">A value to show on the command line; "&lt;value&gt;" when there is no good example.</param>
    public static string Describe(string key, string problem, string fix, string? example = null) =>
        $"{key}: {problem}. Set it to {fix}, e.g. --{key} {Quote(example ?? "<value>")} on the command line, {EnvironmentVariable(key)} in the environment, or in config/appsettings.json.";

    /// <summary>The same for a secret, which belongs in the environment or user secrets and never in a file.</summary>
    public static string DescribeSecret(string key, string problem, string fix) =>
        $"{key}: {problem}. Set it to {fix} with the environment variable {EnvironmentVariable(key)} or user secrets (never in a file in the repository).";

    /// <summary><c>Web:Urls</c> → <c>READINGBOT_Web__Urls</c>.</summary>
    public static string EnvironmentVariable(string key) => "READINGBOT_" + key.Replace(":", "__", StringComparison.Ordinal);

    private static string Quote(string value) => value.Contains(' ', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
