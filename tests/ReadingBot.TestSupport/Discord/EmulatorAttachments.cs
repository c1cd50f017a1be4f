using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Discord;

/// <summary>One <c>files[n]</c> part of a multipart request: its placeholder index, file name, type and bytes.</summary>
public sealed record EmulatedUpload(int Index, string FileName, string ContentType, byte[] Content);

/// <summary>
/// Discord's file uploads as the reference describes them: <c>files[n]</c> parts with a file name each, an optional
/// <c>attachments</c> list in the JSON whose ids are the placeholders <c>n</c> (with descriptions, the alt text), one
/// size limit for the whole request, and embed images that point at an upload with <c>attachment://filename</c>.
/// Uploaded files are served back from this host, as Discord's CDN would serve them.
/// </summary>
public sealed partial class DiscordEmulator
{
    private readonly ConcurrentDictionary<string, EmulatedUpload> served = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> unresolvedReferences = new();

    [GeneratedRegex(@"^files\[(\d{1,19})\]$")]
    private static partial Regex FilePartName();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex AttachmentFileName();

    /// <summary>Embed image URLs of the form attachment://name that named no file of their message (Discord drops such images).</summary>
    public IReadOnlyList<string> UnresolvedAttachmentReferences => [.. unresolvedReferences];

    /// <summary>The bytes behind an attachment URL this emulator handed out, or null.</summary>
    public EmulatedUpload? Download(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && served.TryGetValue(uri.AbsolutePath, out var file) ? file : null;

    private static async Task<(JsonNode? Body, IReadOnlyList<EmulatedUpload> Files, string? Error)> ReadMultipartAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength is > 0 and var length && length > limit)
        {
            return (null, [], TooLarge);
        }

        var form = await http.Request.ReadFormAsync();
        // A part without a filename in its Content-Disposition is a plain field to the form reader, not a file.
        if (form.Keys.FirstOrDefault(k => FilePartName().IsMatch(k)) is { } bare)
        {
            return (null, [], $"{bare} has no filename in its Content-Disposition");
        }

        var files = new List<EmulatedUpload>();
        foreach (var part in form.Files)
        {
            if (FilePartName().Match(part.Name) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return (null, [], $"file parts must be named files[n], not '{part.Name}'");
            }

            if (string.IsNullOrEmpty(part.FileName))
            {
                return (null, [], $"{part.Name} has no filename in its Content-Disposition");
            }

            if (files.Any(f => f.Index == index))
            {
                return (null, [], $"{part.Name} appears twice");
            }

            using var buffer = new MemoryStream();
            await part.CopyToAsync(buffer);
            files.Add(new EmulatedUpload(index, part.FileName, part.ContentType ?? "application/octet-stream", buffer.ToArray()));
        }

        if (files.Sum(f => (long)f.Content.Length) > limit)
        {
            return (null, [], TooLarge);
        }

        var json = form["payload_json"].ToString();
        try
        {
            return (json.Length > 0 ? JsonNode.Parse(json) : new JsonObject(), files, null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, [], "payload_json is not valid JSON");
        }
    }

    /// <summary>The marker <see cref="RestAsync"/> turns into 413 with code 40005, as Discord answers an oversized upload.</summary>
    internal const string TooLarge = "Request entity too large";

    /// <summary>Discord's message rules, then the attachments list against the uploaded parts; null when both hold.</summary>
    private static (int Code, string Message)? ValidateMessage(JsonObject message, bool requireSomething, IReadOnlyList<EmulatedUpload> files) =>
        DiscordRules.ValidateMessage(message, requireSomething, files.Count > 0) ?? ValidateAttachments(message, files);

    /// <summary>Checks the attachments list against the uploaded parts; null when it is consistent.</summary>
    private static (int Code, string Message)? ValidateAttachments(JsonObject message, IReadOnlyList<EmulatedUpload> files)
    {
        if (message["attachments"] is not JsonArray list)
        {
            return null;
        }

        foreach (var entry in list)
        {
            if (entry is not JsonObject attachment || attachment["id"] is not JsonValue id)
            {
                return (50035, "attachments: each entry needs an id");
            }

            if (attachment["description"]?.GetValue<string>() is { Length: > 1024 })
            {
                return (50035, "attachments: description must be 1024 or fewer in length");
            }

            var placeholder = id.ToString();
            if (placeholder.Length < 6 && !files.Any(f => f.Index.ToString(CultureInfo.InvariantCulture) == placeholder))
            {
                return (50035, $"attachments: no files[{placeholder}] part for the placeholder {placeholder}");
            }
        }

        return null;
    }

    /// <summary>
    /// The message's attachment objects: those of <paramref name="kept"/> that the attachments list names (an edit keeps
    /// only what it lists), then the new uploads with Discord's fields and a URL on this host.
    /// </summary>
    private JsonArray Attach(string channelId, JsonObject message, IReadOnlyList<EmulatedUpload> files, JsonArray? kept = null)
    {
        var listed = (message["attachments"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var result = new JsonArray();
        foreach (var old in kept?.OfType<JsonObject>() ?? [])
        {
            if (message["attachments"] is null || listed.Any(l => l["id"]?.ToString() == old["id"]?.ToString()))
            {
                result.Add(old.DeepClone());
            }
        }

        foreach (var file in files.OrderBy(f => f.Index))
        {
            var entry = listed.FirstOrDefault(l => l["id"]?.ToString() == file.Index.ToString(CultureInfo.InvariantCulture));
            var name = entry?["filename"]?.GetValue<string>() ?? file.FileName;
            var id = NextSnowflake();
            var path = $"/attachments/{channelId}/{id}/{Uri.EscapeDataString(name)}";
            served[path] = file with { FileName = name };
            var url = $"http://127.0.0.1:{Port}{path}";
            var attachment = new JsonObject
            {
                ["id"] = id,
                ["filename"] = name,
                ["size"] = file.Content.Length,
                ["url"] = url,
                ["proxy_url"] = url,
                ["content_type"] = file.ContentType,
            };
            if (entry?["description"]?.GetValue<string>() is { } description)
            {
                attachment["description"] = description;
            }

            result.Add(attachment);
        }

        return result;
    }

    /// <summary>
    /// Embeds as Discord stores them: an image or thumbnail at attachment://name takes that attachment's URL; one that
    /// names no attachment (or an invalid file name) is dropped and recorded.
    /// </summary>
    private JsonArray ResolveEmbeds(JsonNode? embeds, JsonArray attachments)
    {
        var result = new JsonArray();
        foreach (var embed in (embeds as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var copy = embed.DeepClone().AsObject();
            foreach (var key in new[] { "image", "thumbnail" })
            {
                if (copy[key]?["url"]?.GetValue<string>() is not { } url || !url.StartsWith("attachment://", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = url["attachment://".Length..];
                var match = AttachmentFileName().IsMatch(name)
                    ? attachments.OfType<JsonObject>().FirstOrDefault(a => a["filename"]?.GetValue<string>() == name)
                    : null;
                if (match is null)
                {
                    unresolvedReferences.Enqueue(url);
                    copy.Remove(key);
                    continue;
                }

                copy[key] = new JsonObject { ["url"] = match["url"]!.DeepClone(), ["proxy_url"] = match["proxy_url"]!.DeepClone() };
            }

            result.Add(copy);
        }

        return result;
    }

    /// <summary>
    /// An edit: the keys it sends replace the message's, its attachments list keeps only the files it names, and new
    /// uploads are appended; embeds are resolved against the attachments the message ends up with.
    /// </summary>
    private void ApplyEdit(string channelId, JsonObject message, JsonObject body, IReadOnlyList<EmulatedUpload> files)
    {
        foreach (var key in new[] { "content", "embeds", "components", "flags", "allowed_mentions" })
        {
            if (body.ContainsKey(key))
            {
                message[key] = body[key]?.DeepClone();
            }
        }

        if (files.Count > 0 || body.ContainsKey("attachments"))
        {
            message["attachments"] = Attach(channelId, body, files, message["attachments"] as JsonArray);
        }

        message["embeds"] = ResolveEmbeds(message["embeds"], message["attachments"] as JsonArray ?? []);
    }

    /// <summary>GET on an attachment URL: the uploaded bytes with their content type, or 404.</summary>
    private async Task<bool> TryServeAttachmentAsync(HttpContext http)
    {
        if (http.Request.Method != "GET" || !served.TryGetValue(http.Request.Path.Value ?? "", out var file))
        {
            return false;
        }

        http.Response.ContentType = file.ContentType;
        http.Response.ContentLength = file.Content.Length;
        await http.Response.Body.WriteAsync(file.Content);
        return true;
    }
}
