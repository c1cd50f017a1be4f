using System.Net;
using System.Text;
using System.Text.Json;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests.Emulators;

/// <summary>The Semantic Scholar emulator's single and batch lookups, missing TLDRs, 404s and 429s.</summary>
public sealed class SemanticScholarEmulatorTests : IAsyncLifetime
{
    private const string Fields = "tldr,citationCount,influentialCitationCount,venue,year,externalIds,openAccessPdf";
    // One client for the class's tests: the emulator is on loopback and every test reads its whole answer.
    private static readonly HttpClient Http = new();
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string id, string fields = Fields)
    {
        using var response = await Http.GetAsync(new Uri($"{emulator.SemanticScholarBaseUrl}/paper/{id}?fields={fields}"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    [Fact]
    public async Task A_paper_by_arxiv_id_has_the_fields_asked_for_and_no_others()
    {
        var (status, paper) = await GetAsync("arXiv:1706.03762");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("A placeholder TLDR", paper.GetProperty("tldr").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(150123, paper.GetProperty("citationCount").GetInt32());
        Assert.Equal("Neural Information Processing Systems", paper.GetProperty("venue").GetString());
        Assert.Equal("1706.03762", paper.GetProperty("externalIds").GetProperty("ArXiv").GetString());
        Assert.Equal("https://arxiv.org/pdf/1706.03762", paper.GetProperty("openAccessPdf").GetProperty("url").GetString());
        Assert.False(paper.TryGetProperty("title", out _));
        Assert.True(paper.TryGetProperty("paperId", out _));
    }

    [Fact]
    public async Task A_paper_without_a_tldr_or_pdf_says_so_in_the_real_shapes()
    {
        var (_, paper) = await GetAsync("ARXIV:1512.03385");

        Assert.Equal(JsonValueKind.Null, paper.GetProperty("tldr").ValueKind);
        Assert.Equal("", paper.GetProperty("openAccessPdf").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_doi_is_found_case_insensitively_and_an_unknown_id_is_404()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("DOI:10.1145/3065386".ToUpperInvariant())).Status);
        var (status, body) = await GetAsync("arXiv:2611.99999");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("not found", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_is_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("arXiv:1706.03762", "tldr,shoeSize")).Status);
    }

    [Fact]
    public async Task A_batch_answers_in_order_with_null_for_unknown_ids_and_refuses_more_than_500()
    {
        using var ok = await PostBatchAsync(["arXiv:1706.03762", "arXiv:0000.00000", "DOI:10.1145/3065386"]);
        using var answer = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var items = answer.RootElement.EnumerateArray().ToList();

        Assert.Equal(3, items.Count);
        Assert.Equal(150123, items[0].GetProperty("citationCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, items[1].ValueKind);
        Assert.Equal("Communications of the ACM", items[2].GetProperty("venue").GetString());
        using var tooMany = await PostBatchAsync(Enumerable.Range(0, 501).Select(i => $"arXiv:2611.{i:00000}").ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task Requests_faster_than_the_rate_limit_get_429_and_a_queued_429_carries_retry_after()
    {
        emulator.SemanticScholarMinInterval = TimeSpan.FromSeconds(30);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("arXiv:1706.03762")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("arXiv:1706.03762")).Status);

        emulator.SemanticScholarMinInterval = TimeSpan.Zero;
        emulator.FailSemanticScholar(429, "2");
        using var refused = await Http.GetAsync(new Uri($"{emulator.SemanticScholarBaseUrl}/paper/arXiv:1706.03762?fields=tldr"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(3, emulator.SemanticScholarRequests.Count);
    }

    [Fact]
    public async Task The_api_key_header_is_recorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{emulator.SemanticScholarBaseUrl}/paper/arXiv:1706.03762?fields=tldr"));
        request.Headers.Add("x-api-key", "test-key");
        using var _ = await Http.SendAsync(request);
        await GetAsync("arXiv:1706.03762");

        Assert.Equal(["test-key", null], emulator.SemanticScholarApiKeys);
    }

    private Task<HttpResponseMessage> PostBatchAsync(string[] ids)
    {
        var body = new StringContent(JsonSerializer.Serialize(new { ids }), Encoding.UTF8, "application/json");
        return Http.PostAsync(new Uri($"{emulator.SemanticScholarBaseUrl}/paper/batch?fields={Fields}"), body);
    }
}
