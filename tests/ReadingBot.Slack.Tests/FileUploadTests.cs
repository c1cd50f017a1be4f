using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Slack.Inbound;
using ReadingBot.Slack.Web;
using ReadingBot.TestSupport.Slack;

namespace ReadingBot.Slack.Tests;

/// <summary>File replies reach Slack as real files through the external upload flow, and the emulator speaks that flow.</summary>
public sealed partial class FileUploadTests : IAsyncLifetime
{
    private SlackEmulator emulator = null!;
    private SlackTestBot bot = null!;

    public async Task InitializeAsync() => (emulator, bot) = await SlackTestBot.StartConnectedAsync();

    public Task DisposeAsync() => SlackTestBot.StopConnectedAsync(bot, emulator);

    private SlackOutbound Outbound => bot.Get<SlackOutbound>();

    [GeneratedRegex(@"@(\w+)\s*\{\s*([^,\s]+)\s*,", RegexOptions.CultureInvariant)]
    private static partial Regex BibEntry();

    [GeneratedRegex(@"\btitle\s*=\s*[{""](.+?)[}""]\s*,?\s*$", RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex BibTitle();

    private async Task AddPaperAsync()
    {
        var added = await (await emulator.SlashCommandAsync("paper add 1706.03762 Attention Is All You Need")).WaitForResponseAsync();
        Assert.Contains("Added #1", SlackJson.Strings(added));
    }

    [Fact]
    public async Task Export_bibtex_shares_a_bibtex_file_in_the_commands_channel_with_the_caption_as_comment()
    {
        await AddPaperAsync();

        var delivery = await emulator.SlashCommandAsync("export bibtex");
        var ack = await delivery.WaitForResponseAsync();
        await Eventually.TrueAsync(() => emulator.SharedFiles.Count == 1, "the export is shared");

        Assert.Equal("ephemeral", ack["response_type"]!.ToString());
        Assert.Contains("Preparing", SlackJson.Strings(ack));
        Assert.False(Assert.Single(delivery.Acks).Late);
        var file = emulator.SharedFiles.Single();
        Assert.Equal(SlackEmulator.GeneralChannel, file.Channel);
        Assert.Null(file.ThreadTs);
        Assert.EndsWith(".bib", file.Name, StringComparison.Ordinal);
        Assert.Equal(file.Name, file.Title);
        var bib = Encoding.UTF8.GetString(file.Content!);
        Assert.Matches(BibEntry(), bib);
        Assert.Equal("Attention Is All You Need", BibTitle().Match(bib).Groups[1].Value.Trim('{', '}'));
        Assert.Equal("The library of this group (1 paper) as BibTeX", file.InitialComment);
        Assert.Equal(file.Content!.Length, file.DeclaredLength);
        Assert.Equal(1, file.Uploads);

        // The share is one bot message in the channel that carries the caption; no retired files.upload call.
        var shared = emulator.MessagesIn(SlackEmulator.GeneralChannel).Single(m => m.FileIds.Contains(file.Id));
        Assert.Equal(file.InitialComment, shared.Text);
        Assert.Empty(emulator.CallsTo("files.upload"));
        Assert.Single(emulator.CallsTo("files.completeUploadExternal"));
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task An_outbound_file_goes_into_the_thread_with_an_escaped_caption()
    {
        var (posted, parentTs) = await Threads.OpenDiscussionAsync(bot);

        var result = await Outbound.PostAsync(new OutboundPost(Threads.Group, null, new FileReply("notes.md", "text/markdown", Encoding.UTF8.GetBytes("# Notes\n"), "Notes <!channel> & more"), InThreadId: posted.ThreadId), CancellationToken.None);

        var file = Assert.Single(emulator.SharedFiles);
        Assert.Equal(SlackEmulator.GeneralChannel, file.Channel);
        Assert.Equal(parentTs, file.ThreadTs);
        Assert.Equal("Notes &lt;!channel&gt; &amp; more", file.InitialComment);
        Assert.Equal("# Notes\n", Encoding.UTF8.GetString(file.Content!));
        Assert.Equal(posted.ThreadId, result.ThreadId);
        Assert.Equal(file.MessageTs, result.MessageId);
        Assert.Equal(1, emulator.MessagesIn(SlackEmulator.GeneralChannel)[0].ReplyCount);
    }

    [Fact]
    public async Task An_outbound_file_with_a_thread_title_opens_a_thread_and_shares_the_file_in_it()
    {
        var result = await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new FileReply("week.ics", "text/calendar", Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), "This week's calendar"), ThreadTitle: "Calendar"), CancellationToken.None);

        var parent = emulator.MessagesIn(SlackEmulator.GeneralChannel)[0];
        var file = Assert.Single(emulator.SharedFiles);
        Assert.Contains("Calendar", parent.AllText);
        Assert.Equal(parent.Ts, file.ThreadTs);
        Assert.Equal($"{SlackEmulator.GeneralChannel}:{parent.Ts}", result.ThreadId);
    }

    [Fact]
    public async Task The_private_streak_card_sends_its_heatmap_to_the_members_direct_messages()
    {
        var delivery = await emulator.SlashCommandAsync("streak");
        var card = await delivery.WaitForResponseAsync();
        await Eventually.TrueAsync(() => emulator.SharedFiles.Count == 1, "the heatmap is shared");

        // The card is for alice only, so the picture cannot go to the channel: it goes to her IM with the bot.
        Assert.Equal("ephemeral", card["response_type"]!.ToString());
        Assert.Contains("streak: 0 weeks", SlackJson.Strings(card));
        var file = emulator.SharedFiles.Single();
        Assert.Matches("^streak-.+\\.png$", file.Name);
        Assert.Equal(SlackEmulator.Alice, Assert.Single(emulator.CallsTo("conversations.open")).Args["users"]!.ToString());
        Assert.Equal(SlackEmulator.Alice, emulator.Channel(file.Channel!).Name);
        Assert.True(emulator.Channel(file.Channel!).IsIm);
        Assert.Null(file.ThreadTs);
        Assert.StartsWith("Weekly streak heatmap of", file.InitialComment, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], file.Content!.Take(4));
        Assert.DoesNotContain(emulator.MessagesIn(SlackEmulator.GeneralChannel), m => m.FileIds.Count > 0);
        Assert.Empty(emulator.Violations);
    }

    [Fact]
    public async Task An_outbound_card_with_a_picture_is_posted_and_the_picture_shared_right_after_it()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];
        var card = new Card("WAYR #1 digest — 2026-W48") { Body = "What we read", Image = new CardImage("reading-2026-W48.png", "image/png", png, "Bar chart of papers read per week") };

        var result = await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new CardReply(card)), CancellationToken.None);

        var messages = emulator.MessagesIn(SlackEmulator.GeneralChannel);
        var file = Assert.Single(emulator.SharedFiles);
        Assert.Equal(2, messages.Count);
        Assert.Contains("WAYR #1 digest", messages[0].AllText);
        Assert.Equal(messages[0].Ts, result.MessageId);
        Assert.Contains(file.Id, messages[1].FileIds);
        Assert.Null(file.ThreadTs);
        Assert.Equal(png, file.Content);
        Assert.Equal("Bar chart of papers read per week", file.InitialComment);
    }

    [Fact]
    public async Task A_card_that_opens_a_thread_puts_its_picture_in_that_thread()
    {
        var card = new Card("Paper of the week") { Image = new CardImage("chart.png", "image/png", [1, 2, 3], "a chart") };

        var result = await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new CardReply(card), ThreadTitle: "Week 48"), CancellationToken.None);

        var parent = emulator.MessagesIn(SlackEmulator.GeneralChannel)[0];
        var file = Assert.Single(emulator.SharedFiles);
        Assert.Equal(parent.Ts, file.ThreadTs);
        Assert.Equal($"{SlackEmulator.GeneralChannel}:{parent.Ts}", result.ThreadId);
    }

    [Fact]
    public async Task A_length_mismatch_is_refused_and_the_member_is_told_without_a_second_completion()
    {
        await AddPaperAsync();
        emulator.TruncateNextUploadTo = 5;

        var delivery = await emulator.SlashCommandAsync("export bibtex");
        await Eventually.TrueAsync(() => delivery.Responses.Count >= 2, "the member hears about the failure");

        var failure = SlackJson.Strings(delivery.Responses[^1]);
        Assert.Contains(":warning:", failure);
        Assert.Contains("Could not attach", failure);
        Assert.Contains(".bib", failure);
        Assert.Equal("ephemeral", delivery.Responses[^1]["response_type"]!.ToString());
        Assert.Empty(emulator.SharedFiles);
        var complete = Assert.Single(emulator.CallsTo("files.completeUploadExternal"));
        Assert.Equal("invalid_arguments", complete.Error);
        Assert.DoesNotContain(emulator.MessagesIn(SlackEmulator.GeneralChannel), m => m.FileIds.Count > 0);
    }

    [Fact]
    public async Task An_unknown_file_id_is_refused_as_file_not_found()
    {
        var api = bot.Get<SlackWebApi>();

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => api.CallAsync("files.completeUploadExternal", new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = "F404404", ["title"] = "ghost" }),
            ["channel_id"] = SlackEmulator.GeneralChannel,
        }));

        Assert.Equal("file_not_found", ex.Error);
        Assert.Contains("did not accept the uploaded file", SlackWebApi.Describe(ex.Error));
        Assert.Empty(emulator.SharedFiles);
    }

    [Fact]
    public async Task The_upload_url_is_single_use_and_needs_a_declared_length()
    {
        var api = bot.Get<SlackWebApi>();
        var noLength = await Assert.ThrowsAsync<SlackApiException>(() => api.CallAsync("files.getUploadURLExternal", new JsonObject { ["filename"] = "a.txt", ["length"] = 0 }));
        var noName = await Assert.ThrowsAsync<SlackApiException>(() => api.CallAsync("files.getUploadURLExternal", new JsonObject { ["filename"] = "", ["length"] = 3 }));
        var tooBig = await Assert.ThrowsAsync<SlackApiException>(() => api.CallAsync("files.getUploadURLExternal", new JsonObject { ["filename"] = "a.txt", ["length"] = SlackLimits.FileBytes + 1 }));
        Assert.Equal("invalid_arguments", noLength.Error);
        Assert.Equal("invalid_arguments", noName.Error);
        Assert.Equal("file_upload_size_exceeded", tooBig.Error);

        var reserved = await api.CallAsync("files.getUploadURLExternal", new JsonObject { ["filename"] = "a.txt", ["length"] = 3 });
        var url = reserved["upload_url"]!.ToString();
        Assert.StartsWith(emulator.BaseUri.ToString(), url, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var first = await http.PostAsync(url, new ByteArrayContent("abc"u8.ToArray()));
        using var second = await http.PostAsync(url, new ByteArrayContent("abc"u8.ToArray()));

        Assert.True(first.IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Gone, second.StatusCode);
    }

    [Fact]
    public async Task A_channel_the_bot_is_not_in_is_a_clear_outbound_failure()
    {
        var ex = await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.OutsideChannel, new FileReply("a.csv", "text/csv", "x,y\n"u8.ToArray(), "CSV")), CancellationToken.None));

        Assert.Contains("/invite", ex.Message);
        Assert.Empty(emulator.SharedFiles);
    }

    [Fact]
    public async Task Disabled_uploads_are_a_clear_outbound_failure()
    {
        emulator.Team().FileUploadsDisabled = true;

        var ex = await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new FileReply("a.csv", "text/csv", "x,y\n"u8.ToArray(), "CSV")), CancellationToken.None));

        Assert.Contains("file uploads are turned off", ex.Message);
    }

    [Fact]
    public async Task A_server_error_from_the_upload_url_is_retried_and_the_file_still_arrives_once()
    {
        emulator.InjectFault(SlackEmulator.UploadFaultKey, SlackFault.ServerError(503));

        await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new FileReply("a.csv", "text/csv", "x,y\n"u8.ToArray(), "CSV")), CancellationToken.None);

        var file = Assert.Single(emulator.SharedFiles);
        Assert.Equal(1, file.Uploads);
        Assert.Equal("x,y\n", Encoding.UTF8.GetString(file.Content!));
        Assert.Single(emulator.CallsTo("files.getUploadURLExternal"));
    }

    [Fact]
    public async Task An_ephemeral_file_reply_is_never_uploaded()
    {
        var file = new FileReply("mine.csv", "text/csv", "x\n"u8.ToArray(), "Your own list") { Ephemeral = true };

        await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, file), CancellationToken.None);
        var message = SlackInboundProcessor.ResponseMessage(file);

        Assert.Empty(emulator.CallsTo("files.getUploadURLExternal"));
        Assert.Empty(emulator.SharedFiles);
        Assert.Equal("ephemeral", message["response_type"]!.ToString());
        Assert.Contains("Your own list", SlackJson.Strings(message));
        Assert.Contains("cannot show a file to one member", SlackJson.Strings(message));
    }

    [Fact]
    public async Task A_rate_limited_completion_is_retried_after_retry_after_and_shares_once()
    {
        emulator.InjectFault("files.completeUploadExternal", SlackFault.RateLimited(1));

        await Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new FileReply("a.csv", "text/csv", "x,y\n"u8.ToArray(), "CSV")), CancellationToken.None);

        Assert.Single(emulator.SharedFiles);
        var completions = emulator.CallsTo("files.completeUploadExternal");
        Assert.Equal([429, 200], completions.Select(c => c.Status));
        Assert.True(completions[1].At - completions[0].At >= TimeSpan.FromSeconds(0.9), "the retry waited out Retry-After");
    }

    [Fact]
    public async Task A_completion_whose_answer_is_lost_is_never_resent()
    {
        emulator.InjectFault("files.completeUploadExternal", SlackFault.Reset());

        var ex = await Assert.ThrowsAsync<OutboundException>(() => Outbound.PostAsync(new OutboundPost(Threads.Group, SlackEmulator.GeneralChannel, new FileReply("a.csv", "text/csv", "x,y\n"u8.ToArray(), "CSV")), CancellationToken.None));

        Assert.Single(emulator.CallsTo("files.completeUploadExternal"));
        Assert.Contains("check the channel before trying again", ex.Message);
    }
}
