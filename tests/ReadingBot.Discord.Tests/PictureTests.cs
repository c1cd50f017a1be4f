using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.TestSupport.Discord;
using static ReadingBot.Discord.Tests.DiscordHarness;

namespace ReadingBot.Discord.Tests;

/// <summary>Charts reach Discord as a multipart attachment that the card's embed shows through attachment://.</summary>
public sealed class PictureTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly GroupAddress GroupA = new(Platforms.Discord, GuildA);

    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [Fact]
    public async Task The_streak_command_shows_the_heatmap_inside_its_embed()
    {
        await using var bot = await StartAsync();

        var interaction = await bot.Emulator.SendCommandAsync(GuildA, ChannelA, Alice, "streak", "show");
        var reply = await interaction.WaitForReplyAsync(Wait);

        var embed = reply["embeds"]![0]!.AsObject();
        var attachment = Assert.Single(reply["attachments"]!.AsArray())!.AsObject();
        Assert.StartsWith("Alice N.'s streak: 0 weeks", embed["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(attachment["url"]!.GetValue<string>(), embed["image"]!["url"]!.GetValue<string>());
        // A name that loses characters on the way to a file name ("Alice N.") carries a short hash of itself.
        Assert.Matches("^streak-alice-n-[0-9a-f]{8}\\.png$", attachment["filename"]!.GetValue<string>());
        Assert.Equal("image/png", attachment["content_type"]!.GetValue<string>());
        Assert.StartsWith("Weekly streak heatmap of Alice N.", attachment["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var file = bot.Emulator.Download(embed["image"]!["url"]!.GetValue<string>());
        Assert.Equal(PngMagic, file!.Content.Take(4));
        Assert.Equal(file.Content.Length, attachment["size"]!.GetValue<int>());
        Assert.Empty(bot.Emulator.UnresolvedAttachmentReferences);
        Assert.Empty(interaction.Errors);
    }

    [Fact]
    public async Task A_posted_card_with_a_picture_is_one_message_with_the_picture_in_its_embed()
    {
        await using var bot = await StartAsync();
        byte[] png = [.. PngMagic, 1, 2, 3];
        var card = new Card("WAYR #1 digest — 2026-W48") { Body = "What we read", Image = new CardImage("reading-2026-W48.png", "image/png", png, "Bar chart of papers read per week") };

        await bot.Get<DiscordOutbound>().PostAsync(new OutboundPost(GroupA, ChannelA, new CardReply(card)), CancellationToken.None);

        var message = Assert.Single(bot.Emulator.MessagesIn(ChannelA));
        var url = message["embeds"]![0]!["image"]!["url"]!.GetValue<string>();
        Assert.Equal(png, bot.Emulator.Download(url)!.Content);
        Assert.Equal("Bar chart of papers read per week", message["attachments"]![0]!["description"]!.GetValue<string>());
        Assert.Empty(bot.Emulator.UnresolvedAttachmentReferences);
        Assert.Empty(bot.Emulator.Recorder.UnsafeMessages);
    }
}

/// <summary>The emulator's upload rules, from Discord's reference on uploading files, driven by raw multipart requests.</summary>
public sealed class EmulatorUploadTests
{
    private const string Channel = "1110000000000000001";

    private static async Task<DiscordEmulator> Start(long uploadLimit = 26_214_400)
    {
        var emulator = await DiscordEmulator.StartAsync(o => o.UploadLimitBytes = uploadLimit);
        emulator.AddGuild("1100000000000000001", "Raw", Channel);
        return emulator;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Upload(DiscordEmulator emulator, string payload, string partName, string? fileName, byte[] content)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{emulator.ApiBaseUrl}/channels/{Channel}/messages");
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + emulator.Token);
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.org, 1.0)");
        var form = new MultipartFormDataContent { { new StringContent(payload, Encoding.UTF8, "application/json"), "payload_json" } };
        var bytes = new ByteArrayContent(content);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        if (fileName is null)
        {
            form.Add(bytes, partName);
        }
        else
        {
            form.Add(bytes, partName, fileName);
        }

        request.Content = form;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task An_embed_image_names_its_attachment_and_gets_the_attachments_url()
    {
        await using var emulator = await Start();

        var (status, message) = await Upload(emulator, """{"embeds":[{"title":"chart","image":{"url":"attachment://chart.png"}}],"attachments":[{"id":0,"description":"a chart"}]}""", "files[0]", "chart.png", [1, 2, 3]);

        Assert.Equal(HttpStatusCode.OK, status);
        var url = message!["embeds"]![0]!["image"]!["url"]!.GetValue<string>();
        Assert.Equal(message["attachments"]![0]!["url"]!.GetValue<string>(), url);
        using var http = new HttpClient();
        Assert.Equal([1, 2, 3], await http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task An_embed_image_that_names_no_uploaded_file_is_dropped_and_recorded()
    {
        await using var emulator = await Start();

        var (status, message) = await Upload(emulator, """{"embeds":[{"title":"chart","image":{"url":"attachment://other.png"}}]}""", "files[0]", "chart.png", [1, 2, 3]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(message!["embeds"]![0]!["image"]);
        Assert.Equal(["attachment://other.png"], emulator.UnresolvedAttachmentReferences);
    }

    [Theory]
    [InlineData("file", "chart.png", "must be named files[n]")]
    [InlineData("files[0]", null, "has no filename")]
    public async Task A_file_part_must_be_named_files_n_and_carry_a_filename(string partName, string? fileName, string expected)
    {
        await using var emulator = await Start();

        var (status, body) = await Upload(emulator, """{"content":"x"}""", partName, fileName, [1]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(50035, body!["code"]!.GetValue<int>());
        Assert.Contains(expected, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attachments_entry_without_its_file_part_is_refused()
    {
        await using var emulator = await Start();

        var (status, body) = await Upload(emulator, """{"content":"x","attachments":[{"id":1}]}""", "files[0]", "chart.png", [1]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no files[1] part", body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_over_the_upload_limit_gets_413_with_code_40005()
    {
        await using var emulator = await Start(uploadLimit: 1_000);

        var (status, body) = await Upload(emulator, """{"content":"x"}""", "files[0]", "big.png", new byte[2_000]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(40005, body!["code"]!.GetValue<int>());
        Assert.Empty(emulator.MessagesIn(Channel));
    }
}
