using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Groups;
using ReadingBot.Core.Ports;
using ReadingBot.Core.Replies;
using ReadingBot.Host.Web;
using ReadingBot.Storage.LiteDb;
using ReadingBot.TestSupport;

namespace ReadingBot.Host.Tests.Web;

/// <summary>
/// The one <see cref="BotHarness"/> (the host's composition, paper sources offline unless a test turns them on) plus
/// what the host adds for the web (AddWeb, MapWeb), on a real Kestrel at 127.0.0.1:0, a real LiteDB and a fake clock;
/// the group is built through the command dispatcher.
/// </summary>
public sealed partial class WebHarness : IAsyncDisposable
{
    public static readonly GroupAddress GroupA = new(Platforms.Local, "team-a");
    public static readonly GroupAddress GroupB = new(Platforms.Local, "team-b");

    private readonly BotHarness harness;

    private WebHarness(BotHarness harness, FakeTimeProvider time, HttpClient client)
    {
        this.harness = harness;
        Time = time;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => harness.Services;

    public static async Task<WebHarness> StartAsync(string? dataDirectory = null, FakeTimeProvider? time = null, IDictionary<string, string?>? settings = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var all = new Dictionary<string, string?> { ["Web:Urls"] = "http://127.0.0.1:0" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var harness = await BotHarness.StartAsync(new BotHarnessOptions
        {
            Settings = all,
            Time = time,
            Database = dataDirectory is null ? null : ReadingBotDatabase.OpenFile(dataDirectory),
            DisposeDatabase = true,
            // What the host adds around the composition for the web: AddWeb and MapWeb.
            After = (services, configuration) =>
            {
                services.AddWeb(configuration);
                services.AddSingleton<IChatOutbound>(new RecordingOutbound());
            },
            Map = app => app.MapWeb(),
        });
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = harness.BaseUri };
        return new WebHarness(harness, time, client);
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
        await harness.DisposeAsync();
    }
}
