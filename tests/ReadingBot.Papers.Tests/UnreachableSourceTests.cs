using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Papers;
using ReadingBot.TestSupport;
using ReadingBot.TestSupport.Papers;

namespace ReadingBot.Papers.Tests;

/// <summary>
/// Offline: a source's host name that does not resolve, or a port nothing listens on, answers at once with the real
/// reason instead of retrying until the add's timeout says "did not answer in time".
/// </summary>
public sealed class UnreachableSourceTests : IAsyncLifetime
{
    private PaperSourcesEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await PaperSourcesEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    /// <summary>
    /// Fails every name under <c>.invalid</c> (RFC 6761) the way the system resolver does offline, without asking any
    /// DNS server; IP literals (the emulator's 127.0.0.1) resolve to themselves. Counts lookups per host.
    /// </summary>
    private sealed class OfflineResolver : IHostNameResolver
    {
        public ConcurrentDictionary<string, int> Lookups { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Lookups.AddOrUpdate(host, 1, (_, n) => n + 1);
            if (host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase))
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            return Task.FromResult(new[] { IPAddress.Parse(host) });
        }
    }

    private TestBot Bot(OfflineResolver resolver, Dictionary<string, string?> settings) =>
        PaperTesting.Bot(emulator, new Dictionary<string, string?>(settings)
        {
            // The shipped defaults: five seconds for an add, five seconds before arXiv's first retry.
            ["Library:FetchTimeoutSeconds"] = "5",
            ["Papers:Arxiv:RetryBaseSeconds"] = "5",
        }, services => services.AddSingleton<IHostNameResolver>(resolver));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task An_arxiv_add_whose_host_does_not_resolve_says_so_and_is_not_retried()
    {
        var resolver = new OfflineResolver();
        using var bot = Bot(resolver, new() { ["Papers:Arxiv:BaseUrl"] = "http://export.arxiv.invalid" });

        var added = await bot.TextAsync("paper add 1810.04805");

        Assert.Contains("Added #1", added, StringComparison.Ordinal);
        Assert.Contains("arXiv could not be reached: the name export.arxiv.invalid could not be resolved", added, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer in time", added, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Lookups["export.arxiv.invalid"]);
        Assert.Equal(MetadataState.Pending, bot.Get<IPaperStore>().Find("arxiv:1810.04805")!.State);
    }

    [Fact]
    public async Task A_doi_add_whose_host_does_not_resolve_names_crossref_and_the_cause()
    {
        var resolver = new OfflineResolver();
        using var bot = Bot(resolver, new() { ["Papers:Crossref:BaseUrl"] = "http://api.crossref.invalid" });

        var added = await bot.TextAsync("paper add 10.1145/3065386");

        Assert.Contains("Crossref could not be reached: the name api.crossref.invalid could not be resolved", added, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Lookups["api.crossref.invalid"]);
    }

    [Fact]
    public async Task An_arxiv_add_whose_connection_is_refused_says_so_and_is_not_retried()
    {
        var resolver = new OfflineResolver();
        using var bot = Bot(resolver, new() { ["Papers:Arxiv:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}" });

        var added = await bot.TextAsync("paper add 1810.04805");

        Assert.Contains("arXiv could not be reached: 127.0.0.1 refused the connection", added, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer in time", added, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Lookups["127.0.0.1"]);
    }
}
