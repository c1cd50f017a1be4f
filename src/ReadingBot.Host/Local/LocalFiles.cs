using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>
/// Where the local chat puts what the bot attaches: exports go to the data directory's exports folder, pictures
/// (the streak heatmap, the digest's chart) to its pictures folder. The terminal shows the path instead of the file.
/// </summary>
public sealed class LocalFiles(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "exports");

    public string PicturesDirectory { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "pictures");

    /// <summary>A reply as terminal text, saving its file or picture first.</summary>
    public string Render(Reply reply) => reply switch
    {
        FileReply file => Save(file),
        CardReply { Card.Image: { } image } card => PlainTextRenderer.Render(card) + "\n" + Save(image),
        _ => PlainTextRenderer.Render(reply),
    };

    /// <summary>Saves the file under a name that cannot leave the folder and returns the line to print.</summary>
    public string Save(FileReply file)
    {
        var path = Write(Directory, file.FileName, file.Content, overwrite: false);
        return $"{file.Caption}\nSaved to {path} ({file.Content.Length} bytes).";
    }

    private string Save(CardImage image)
    {
        // A member's heatmap replaces their previous one: the picture is always the latest state.
        var path = Write(PicturesDirectory, image.FileName, image.Content, overwrite: true);
        return $"Picture: {image.AltText}\nSaved to {path}.";
    }

    private static string Write(string folder, string fileName, byte[] content, bool overwrite)
    {
        System.IO.Directory.CreateDirectory(folder);
        var name = string.Concat(Path.GetFileName(fileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        if (name.Length == 0 || name.All(c => c == '.'))
        {
            name = "file";
        }

        var path = Path.Combine(folder, name);
        // An export is never written over: an earlier one of the same name keeps its file, the new one gets -2, -3…
        for (var n = 2; !overwrite && File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}");
        }

        File.WriteAllBytes(path, content);
        return path;
    }
}
