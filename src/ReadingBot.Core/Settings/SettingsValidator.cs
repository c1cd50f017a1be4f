using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReadingBot.Core.Settings;

/// <summary>
/// A range on a setting, checked by the source-generated <c>[OptionsValidator]</c>: its fix says what
/// the value should be ("a number of seconds from 0.1 to 60"). Its failure is not a sentence for people: it carries the
/// member's path and the fix to <see cref="SettingsValidator{TOptions}"/>, which turns it into the one friendly line.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    internal const char Separator = '\u001f';

    public SettingRangeAttribute(int minimum, int maximum, string fix) : base(minimum, maximum) => Fix = fix;

    public SettingRangeAttribute(double minimum, double maximum, string fix) : base(minimum, maximum) => Fix = fix;

    /// <summary>What the value should be, without a final full stop.</summary>
    public string Fix { get; }

    /// <summary><paramref name="name"/> is the generator's display name, <c>Type.Member</c> or <c>Type.Nested.Member</c>.</summary>
    public override string FormatErrorMessage(string name) => $"{Separator}{name}{Separator}{Fix}";
}

/// <summary>
/// The one validator every options class is registered with: runs the class's source-generated annotation validator
/// and the hand-written rules annotations cannot say, and reports each failure as one <see cref="SettingProblem"/> line
/// naming the configuration key (<paramref name="section"/> plus the member's path) and its environment variable.
/// </summary>
/// <param name="section">The configuration section the class is bound from, e.g. <c>Library</c> or <c>Library:Import</c>.</param>
/// <param name="annotations">The class's <c>[OptionsValidator]</c>, or null when it has no annotations.</param>
/// <param name="rules">Checks annotations cannot express (a time zone, a rule over two keys, a secret a mode needs); each returns finished lines.</param>
public class SettingsValidator<TOptions>(string section, IValidateOptions<TOptions>? annotations, Func<TOptions, IEnumerable<string>>? rules = null)
    : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        if (annotations?.Validate(name, options) is { Failed: true, Failures: { } generated })
        {
            failures.AddRange(generated.Select(f => Friendly(options, f)));
        }

        if (rules is not null)
        {
            failures.AddRange(rules(options));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Friendly(TOptions options, string failure)
    {
        var parts = failure.Split(SettingRangeAttribute.Separator);
        if (parts.Length != 3)
        {
            // An annotation other than SettingRange: still one line naming the section, in the generator's words.
            return SettingProblem.Describe(section, failure.TrimEnd('.'), "a valid value");
        }

        // "LibraryOptions.Import.MaxPapers" → members ["Import", "MaxPapers"] → key "Library:Import:MaxPapers".
        var members = parts[1].Split('.').Skip(1).ToArray();
        return SettingProblem.Describe(section + ":" + string.Join(':', members), $"{Value(options, members)} is out of range", parts[2]);
    }

    private static string Value(object? target, IEnumerable<string> members)
    {
        foreach (var member in members)
        {
            target = target?.GetType().GetProperty(member, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);
        }

        return Convert.ToString(target, CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>Registers an options class's <see cref="SettingsValidator{TOptions}"/>, checked when the host starts.</summary>
public static class SettingsValidation
{
    public static OptionsBuilder<TOptions> ValidateSettings<TOptions>(this OptionsBuilder<TOptions> builder, string section, IValidateOptions<TOptions>? annotations, Func<TOptions, IEnumerable<string>>? rules = null)
        where TOptions : class
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(section, annotations, rules)));
        return builder.ValidateOnStart();
    }
}
