namespace ReadingBot.Host.Local;

/// <summary>
/// The terminal the local chat talks to. Writes are serialised because announcements and reminders arrive from the
/// scheduler while the member is typing.
/// </summary>
public sealed class LocalTerminal(TextReader input, TextWriter output, bool interactive)
{
    private readonly object gate = new();

    /// <summary>True when a person is typing at a terminal (prompts shown); false when input is piped.</summary>
    public bool Interactive { get; } = interactive;

    public static LocalTerminal FromConsole() => new(Console.In, Console.Out, !Console.IsInputRedirected);

    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => input.ReadLineAsync(cancellationToken).AsTask();

    public void Write(string text)
    {
        lock (gate)
        {
            output.Write(text);
            output.Flush();
        }
    }

    public void WriteBlock(string text)
    {
        lock (gate)
        {
            output.WriteLine(text);
            if (Interactive)
            {
                output.WriteLine();
            }

            output.Flush();
        }
    }
}
