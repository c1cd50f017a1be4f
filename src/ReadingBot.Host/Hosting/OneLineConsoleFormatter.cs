using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ReadingBot.Host.Hosting;

/// <summary>Options of <see cref="OneLineConsoleFormatter"/>, bound from <c>Logging:Console:FormatterOptions</c>.</summary>
public sealed class OneLineConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Print an exception's stack trace under its line (off: only its type and message).</summary>
    public bool IncludeStackTraces { get; set; }
}

/// <summary>
/// Every log entry on one line, <c>warn: Category[event] message (Type: message)</c>. Line breaks in messages (user
/// text among them) become spaces so nobody can forge a log line, and an exception shows as its type and message: an
/// operator reads what went wrong, not a stack trace, unless <c>IncludeStackTraces</c> asks for one.
/// </summary>
internal sealed class OneLineConsoleFormatter(IOptionsMonitor<OneLineConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "readingbot";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(" (");
            textWriter.Write(Describe(exception));
            textWriter.Write(')');
            if (options.CurrentValue.IncludeStackTraces)
            {
                textWriter.WriteLine();
                textWriter.Write(exception.ToString());
            }
        }

        textWriter.WriteLine();
    }

    /// <summary>An exception and its inner ones as <c>Type: message ← Type: message</c>, on one line.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null && parts.Count < 4; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                current = aggregate.InnerExceptions[0];
            }

            parts.Add($"{current.GetType().Name}: {OneLine(current.Message)}");
        }

        return string.Join(" ← ", parts.Distinct(StringComparer.Ordinal));
    }

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : text;

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
