using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ReadingBot.Slack.Web;

/// <summary>A file to share with <see cref="SlackWebApi.UploadFileAsync"/>: into a channel, or a thread when ThreadTs is set.</summary>
public sealed record FileUpload(string Channel, string? ThreadTs, string FileName, string ContentType, byte[] Content, string Title, string? InitialComment);

/// <summary>A shared file: its id, and the ts of the message that shares it when Slack returned one.</summary>
public sealed record UploadedFile(string FileId, string? MessageTs);

// Slack's external file upload: three steps, two of them Web API calls and one a raw POST to a one-time URL that
// takes neither the bot token nor JSON, so it has its own retry rules.
public sealed partial class SlackWebApi
{
    /// <summary>
    /// Shares a file through Slack's external upload flow (files.upload is retired): files.getUploadURLExternal
    /// reserves a file id and a one-time upload URL, the raw bytes are POSTed there, and files.completeUploadExternal
    /// shares the file into the channel (or thread) with the caption as its comment. The upload URL is never logged,
    /// and the bot token is never sent to it. Returns the file id.
    /// </summary>
    public async Task<UploadedFile> UploadFileAsync(FileUpload file, CancellationToken cancellationToken)
    {
        if (file.Content.Length == 0)
        {
            throw new SlackApiException("files.getUploadURLExternal", "empty_file");
        }

        var reserved = await CallAsync("files.getUploadURLExternal", new JsonObject { ["filename"] = file.FileName, ["length"] = file.Content.Length }, cancellationToken: cancellationToken);
        var fileId = Str(reserved, "file_id");
        var uploadUrl = Str(reserved, "upload_url");
        if (fileId is null || uploadUrl is null || !Uri.TryCreate(uploadUrl, UriKind.Absolute, out var uploadUri) || uploadUri.Scheme is not ("https" or "http"))
        {
            throw new SlackApiException("files.getUploadURLExternal", "no_upload_url");
        }

        await SendBytesAsync(uploadUri, file, cancellationToken);

        var complete = new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = file.Title }),
            ["channel_id"] = file.Channel,
        };
        if (file.ThreadTs is not null)
        {
            complete["thread_ts"] = file.ThreadTs;
        }

        if (!string.IsNullOrEmpty(file.InitialComment))
        {
            complete["initial_comment"] = file.InitialComment;
        }

        var done = await CallAsync("files.completeUploadExternal", complete, cancellationToken: cancellationToken);
        return new UploadedFile(fileId, ShareTs(done, file.Channel));
    }

    /// <summary>The ts of the message that shares the file in the channel (files[0].shares.public|private[channel][0].ts), when Slack says.</summary>
    private static string? ShareTs(JsonObject completed, string channel)
    {
        var shares = completed["files"]?[0]?["shares"];
        foreach (var kind in (string[])["public", "private"])
        {
            if (shares?[kind]?[channel]?[0] is JsonObject share && Str(share, "ts") is { } ts)
            {
                return ts;
            }
        }

        return null;
    }

    /// <summary>POSTs the bytes to the upload URL; 429 and 5xx (nothing stored) are retried, a lost answer is not.</summary>
    private async Task SendBytesAsync(Uri uploadUri, FileUpload file, CancellationToken cancellationToken)
    {
        const string step = "file_upload";
        for (var attempt = 0; ; attempt++)
        {
            var content = new ByteArrayContent(file.Content);
            content.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Post, uploadUri) { Content = content };
            HttpResponseMessage response;
            try
            {
                response = await SendWithTimeoutAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
            {
                // The URL is single-use: if the bytes may have arrived, a second POST would be refused anyway.
                throw new SlackApiException(step, ex is TimeoutException ? "timeout" : "connection_failed", ex);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                if (!retryable || attempt >= o.MaxRetries)
                {
                    throw new SlackApiException(step, $"http_{(int)response.StatusCode}");
                }

                logger.LogWarning("Slack's file upload answered HTTP {Status}; retrying (attempt {Attempt})", (int)response.StatusCode, attempt + 1);
                await Task.Delay(RetryDelay(response, attempt), time, cancellationToken);
            }
        }
    }
}
