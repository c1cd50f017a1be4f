namespace ReadingBot.Core.Replies;

/// <summary>
/// What the bot answers, independent of any platform. Adapters render each kind their own way (a Discord embed,
/// Slack Block Kit, console text). Text in replies is plain: no platform markup, and adapters escape it.
/// </summary>
public abstract record Reply
{
    /// <summary>Shown only to the member who asked (errors and personal views), where the platform can.</summary>
    public bool Ephemeral { get; init; }
}

/// <summary>A plain message.</summary>
public sealed record TextReply(string Text) : Reply;

/// <summary>A one-line refusal that says what to do instead; nothing was changed.</summary>
public sealed record ErrorReply : Reply
{
    public ErrorReply(string message)
    {
        Message = message;
        Ephemeral = true;
    }

    public string Message { get; }
}

/// <summary>A card: a paper, an announcement, a member's streak.</summary>
public sealed record CardReply(Card Card) : Reply;

/// <summary>A titled list (the library, the queue, the leaderboard).</summary>
public sealed record ListReply(string Title, IReadOnlyList<ListItem> Items, string EmptyText = "Nothing yet.", string? Footer = null) : Reply;

/// <summary>A file to attach (exports, charts), with a caption.</summary>
public sealed record FileReply(string FileName, string ContentType, byte[] Content, string Caption) : Reply;

/// <summary>The fields of a card. <see cref="Body"/> is a longer paragraph such as an abstract excerpt.</summary>
public sealed record Card(string Title, string? Url = null)
{
    public string? Subtitle { get; init; }
    public IReadOnlyList<CardField> Fields { get; init; } = [];
    public string? Body { get; init; }
    public IReadOnlyList<ReplyButton> Buttons { get; init; } = [];
    public string? Footer { get; init; }

    /// <summary>A picture shown with the card (a chart), attached as a file where the platform needs one.</summary>
    public CardImage? Image { get; init; }
}

/// <summary>A picture for a card: the file's name and bytes, and a sentence saying what it shows for those who cannot see it.</summary>
public sealed record CardImage(string FileName, string ContentType, byte[] Content, string AltText);

/// <summary>A labelled value on a card.</summary>
public sealed record CardField(string Name, string Value);

/// <summary>
/// One line of a list, with an optional link and button. <paramref name="PaperNumber"/> is the library number of the
/// paper the line is about, so that a surface with a page per paper (the web page) can link there instead.
/// </summary>
public sealed record ListItem(string Text, string? Url = null, ReplyButton? Button = null, int? PaperNumber = null);

/// <summary>
/// A button that runs a command line in the shared grammar when pressed (for example <c>paper vote #3</c>),
/// so every platform routes a press exactly like the typed command.
/// </summary>
public sealed record ReplyButton(string Label, string CommandLine);
