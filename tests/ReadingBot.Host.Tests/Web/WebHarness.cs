using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Composition;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// The host's own composition (AddReadingBotCore, which adds the web, AddPaperSources, offline unless a test turns
/// them on, AddLiteDbStorage and MapWeb) on a real
/// Kestrel at 127.0.0.1:0, a real LiteDB and a fake clock; the group is built through the command dispatcher.
/// </summary>
public sealed partial class WebHarness : IAsyncDisposable
{
    public static readonly GroupAddress GroupA = new(Platforms.Local, "team-a");
    public static readonly GroupAddress GroupB = new(Platforms.Local, "team-b");

    private readonly WebApplication app;
    private readonly ReadingBotDatabase database;

    private WebHarness(WebApplication app, ReadingBotDatabase database, FakeTimeProvider time, HttpClient client)
    {
        this.app = app;
        this.database = database;
        Time = time;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<WebHarness> StartAsync(string? dataDirectory = null, FakeTimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Papers:Enabled"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        var database = dataDirectory is null ? ReadingBotDatabase.OpenMemory() : ReadingBotDatabase.OpenFile(dataDirectory);
        builder.Services.AddReadingBot(builder.Configuration, database);
        builder.Services.AddWeb(builder.Configuration);
        builder.Services.AddSingleton<IChatOutbound>(new RecordingOutbound());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapWeb();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            database.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
        return new WebHarness(app, database, time, client);
    }

    public Task<Reply> SendAsync(string line, string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        Services.GetRequiredService<CommandDispatcher>().HandleTextAsync(TestBot.Context(user, moderator, group ?? GroupA), line, CancellationToken.None);

    public async Task<string> TextAsync(string line, string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        PlainTextRenderer.Render(await SendAsync(line, user, moderator, group));

    /// <summary>The path of the first link of the given kind (<c>g</c>, <c>p</c> or <c>f</c>) in a reply.</summary>
    public static string PathIn(string reply, string kind, string tail = "")
    {
        var match = Regex.Match(reply, $@"https?://[^\s/]+(/{kind}/[A-Za-z0-9_\-.]+/{Regex.Escape(tail)})");
        Assert.True(match.Success, $"no /{kind}/ link in: {reply}");
        return match.Groups[1].Value;
    }

    public async Task<string> DashboardPathAsync(string user = "alice", bool moderator = false, GroupAddress? group = null) =>
        PathIn(await TextAsync("/dashboard", user, moderator, group), "g");

    public async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        database.Dispose();
    }
}
