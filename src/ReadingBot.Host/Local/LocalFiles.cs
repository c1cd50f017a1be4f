using ReadingBot.Core.Replies;

namespace ReadingBot.Host.Local;

/// <summary>Where the local chat puts files the bot attaches (exports, charts): the data directory's exports folder.</summary>
public sealed class LocalFiles(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "exports");

    /// <summary>Saves the file under a name that cannot leave the folder and returns the line to print.</summary>
    public string Save(FileReply file)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = string.Concat(Path.GetFileName(file.FileName).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        if (name.Length == 0 || name.All(c => c == '.'))
        {
            name = "file";
        }

        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, file.Content);
        return $"{file.Caption}\nSaved to {path} ({file.Content.Length} bytes).";
    }
}
