using ReadingBot.Core.Replies;
using ReadingBot.Slack.Web;

namespace ReadingBot.Slack.Rendering;

/// <summary>How a <see cref="FileReply"/> becomes a Slack file: titled by its name, with the escaped caption as the comment.</summary>
public static class SlackFiles
{
    public static FileUpload Upload(FileReply file, string channel, string? threadTs) =>
        new(channel, threadTs, file.FileName, file.ContentType, file.Content, file.FileName, SlackText.Clip(SlackText.Escape(file.Caption), BlockKitRenderer.MaxFallbackText));

    /// <summary>
    /// A card's picture as a file to share after the card (Block Kit cannot carry uploaded bytes), captioned with its
    /// alt text; null when the card has none.
    /// </summary>
    public static FileReply? PictureOf(Reply reply) =>
        reply is CardReply { Card.Image: { } image } ? new FileReply(image.FileName, image.ContentType, image.Content, image.AltText) : null;

    /// <summary>
    /// Slack shares files with everyone in the channel, so a reply meant for one member cannot carry one: it says what
    /// the file was instead.
    /// </summary>
    public const string EphemeralExplanation = "Slack cannot show a file to one member only, so it was not attached.";

    public const string NoChannelExplanation = "Slack shares files in a channel; run this in one to get the file.";
}
