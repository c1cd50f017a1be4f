using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReadingBot.TestSupport.Slack;

/// <summary>
/// Slack's external upload flow (files.upload is retired): files.getUploadURLExternal reserves a file id and a
/// single-use upload URL on this host, the bytes are POSTed there (raw or as a multipart form), and
/// files.completeUploadExternal shares the uploaded files into a channel or thread with an optional comment.
/// </summary>
public sealed partial class SlackEmulator
{
    private readonly Dictionary<string, EmulatedFile> files = new(StringComparer.Ordinal);

    /// <summary>Every file shared with files.completeUploadExternal, oldest first.</summary>
    public IReadOnlyList<EmulatedFile> SharedFiles
    {
        get
        {
            lock (gate)
            {
                return [.. files.Values.Where(f => f.SharedAt is not null).OrderBy(f => f.SharedAt)];
            }
        }
    }

    /// <summary>Every reserved file, shared or not (uploads that never completed stay here).</summary>
    public IReadOnlyList<EmulatedFile> ReservedFiles
    {
        get
        {
            lock (gate)
            {
                return [.. files.Values];
            }
        }
    }

    /// <summary>Tests can make the upload endpoint answer short (the next upload stores fewer bytes than sent).</summary>
    public int? TruncateNextUploadTo { get; set; }

    private JsonObject GetUploadUrl(EmulatedTeam team, JsonObject args, DateTimeOffset now)
    {
        var filename = args["filename"]?.ToString();
        if (string.IsNullOrWhiteSpace(filename))
        {
            return Error("invalid_arguments", "[ERROR] missing required field: filename");
        }

        if (!long.TryParse(args["length"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) || length <= 0)
        {
            return Error("invalid_arguments", "[ERROR] length must be a positive integer");
        }

        if (length > SlackLimits.FileBytes)
        {
            return Error("file_upload_size_exceeded");
        }

        if (team.FileUploadsDisabled)
        {
            return Error("file_uploads_disabled");
        }

        var id = NewId("F");
        lock (gate)
        {
            files[id] = new EmulatedFile { Id = id, Team = team.Id, Name = filename, DeclaredLength = length, ReservedAt = now };
        }

        return new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(BaseUri, "upload/" + id).ToString(), ["file_id"] = id };
    }

    /// <summary>The upload URL: accepts the bytes once (HTTP 200 "OK - length", as Slack's file service answers).</summary>
    private async Task HandleUploadAsync(HttpContext ctx)
    {
        var id = (string)ctx.Request.RouteValues["id"]!;
        InjectedFault? fault;
        lock (gate)
        {
            fault = faults.FirstOrDefault(f => f.Method == UploadFaultKey && f.Remaining > 0);
            if (fault is not null)
            {
                fault.Remaining--;
            }
        }

        if (fault is { Fault.Kind: SlackFaultKind.ServerError })
        {
            ctx.Response.StatusCode = fault.Fault.Status;
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body><h1>Upload failed</h1></body></html>");
            return;
        }

        byte[] bytes;
        if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync();
            var part = form.Files.GetFile("file") ?? form.Files.GetFile("filename") ?? (form.Files.Count > 0 ? form.Files[0] : null);
            if (part is null)
            {
                ctx.Response.StatusCode = 400;
                await ctx.Response.WriteAsync("no file in the form");
                return;
            }

            using var buffer = new MemoryStream();
            await part.CopyToAsync(buffer);
            bytes = buffer.ToArray();
        }
        else
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer);
            bytes = buffer.ToArray();
        }

        string? refusal = null;
        lock (gate)
        {
            if (!files.TryGetValue(id, out var file))
            {
                refusal = "404";
            }
            else if (file.Content is not null)
            {
                // The URL is single-use.
                refusal = "410";
            }
            else
            {
                if (TruncateNextUploadTo is { } keep && keep < bytes.Length)
                {
                    bytes = bytes[..keep];
                    TruncateNextUploadTo = null;
                }

                file.Content = bytes;
                file.ContentType = ctx.Request.ContentType;
                file.Uploads++;
            }
        }

        if (refusal is not null)
        {
            violations.Enqueue($"upload to {(refusal == "404" ? "an unknown" : "an already used")} upload URL");
            ctx.Response.StatusCode = int.Parse(refusal, CultureInfo.InvariantCulture);
            await ctx.Response.WriteAsync("upload refused");
            return;
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"OK - {bytes.Length}"));
    }

    /// <summary>The key for <see cref="InjectFault"/> that makes the upload URL answer with a fault.</summary>
    public const string UploadFaultKey = "upload_url";

    private JsonObject CompleteUpload(EmulatedTeam team, JsonObject args, DateTimeOffset now)
    {
        // JSON bodies carry files as an array; form bodies (Slack's own clients) as a JSON string.
        JsonArray? list;
        try
        {
            list = args["files"] switch
            {
                JsonArray array => array,
                JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonNode.Parse(value.GetValue<string>()) as JsonArray,
                _ => null,
            };
        }
        catch (JsonException)
        {
            list = null;
        }

        if (list is not { Count: > 0 } || list.Any(f => f is not JsonObject || f["id"] is null))
        {
            return Error("invalid_arguments", "[ERROR] files must be a non-empty array of {id, title}");
        }

        var channelId = args["channel_id"]?.ToString();
        var threadTs = args["thread_ts"]?.ToString();
        var comment = args["initial_comment"]?.ToString();
        EmulatedChannel? channel = null;
        if (!string.IsNullOrEmpty(channelId))
        {
            if (!team.Channels.TryGetValue(channelId, out channel))
            {
                return Error("channel_not_found");
            }

            if (!channel.BotIsMember)
            {
                return Error("not_in_channel");
            }
        }
        else if (!string.IsNullOrEmpty(threadTs))
        {
            return Error("invalid_arguments", "[ERROR] thread_ts needs channel_id");
        }

        lock (gate)
        {
            var chosen = new List<(EmulatedFile File, string? Title)>();
            foreach (var entry in list)
            {
                var id = entry!["id"]!.ToString();
                if (!files.TryGetValue(id, out var file) || file.Team != team.Id || file.Content is null || file.SharedAt is not null)
                {
                    return Error("file_not_found");
                }

                if (file.Content.Length != file.DeclaredLength)
                {
                    return Error("invalid_arguments", string.Create(CultureInfo.InvariantCulture, $"[ERROR] file {id} declared {file.DeclaredLength} bytes but {file.Content.Length} were uploaded"));
                }

                chosen.Add((file, entry["title"]?.ToString()));
            }

            if (channel is not null && !string.IsNullOrEmpty(threadTs) && !channel.Messages.Any(m => m.Ts == threadTs))
            {
                return Error("thread_not_found");
            }

            // Slack shares the files with one message from the bot carrying the comment.
            var shared = channel is null ? null : Store(channel, comment ?? "", null, string.IsNullOrEmpty(threadTs) ? null : threadTs, team.BotUserId, team.BotId);
            if (shared is not null)
            {
                shared.FileIds.AddRange(chosen.Select(c => c.File.Id));
            }

            var result = new JsonArray();
            foreach (var (file, title) in chosen)
            {
                file.Title = string.IsNullOrEmpty(title) ? file.Name : title;
                file.Channel = channel?.Id;
                file.ThreadTs = string.IsNullOrEmpty(threadTs) ? null : threadTs;
                file.InitialComment = comment;
                file.SharedAt = now;
                file.MessageTs = shared?.Ts;
                var json = new JsonObject
                {
                    ["id"] = file.Id,
                    ["name"] = file.Name,
                    ["title"] = file.Title,
                    ["size"] = file.Content!.Length,
                    ["created"] = now.ToUnixTimeSeconds(),
                    ["user"] = team.BotUserId,
                };
                if (shared is not null)
                {
                    var share = new JsonObject { ["ts"] = shared.Ts, ["channel_name"] = channel!.Name };
                    if (file.ThreadTs is not null)
                    {
                        share["thread_ts"] = file.ThreadTs;
                    }

                    json["shares"] = new JsonObject { ["public"] = new JsonObject { [channel.Id] = new JsonArray(share) } };
                    json["channels"] = new JsonArray((JsonNode)channel.Id);
                }

                result.Add(json);
            }

            return new JsonObject { ["ok"] = true, ["files"] = result };
        }
    }
}

/// <summary>A file reserved with files.getUploadURLExternal; shared once files.completeUploadExternal succeeds.</summary>
public sealed class EmulatedFile
{
    public required string Id { get; init; }
    public required string Team { get; init; }
    public required string Name { get; init; }
    public long DeclaredLength { get; init; }
    public DateTimeOffset ReservedAt { get; init; }
    public byte[]? Content { get; set; }
    public string? ContentType { get; set; }
    public int Uploads { get; set; }
    public string? Title { get; set; }
    public string? Channel { get; set; }
    public string? ThreadTs { get; set; }
    public string? InitialComment { get; set; }
    public string? MessageTs { get; set; }
    public DateTimeOffset? SharedAt { get; set; }
}
