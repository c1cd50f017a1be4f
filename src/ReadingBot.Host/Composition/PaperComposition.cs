using ReadingBot.Core.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReadingBot.Core.Commands;
using ReadingBot.Core.Exports;
using ReadingBot.Core.Papers;
using ReadingBot.Core.Roadmaps;
using ReadingBot.Papers;

namespace ReadingBot.Host.Composition;

/// <summary>Paper intake: the Core features (search, roadmap, exports) and the network sources that feed them.</summary>
public static class PaperComposition
{
    /// <summary>Search, roadmap, exports and the pending-paper refresher; offline until <see cref="AddPaperSources"/> adds the network.</summary>
    public static IServiceCollection AddPaperIntake(this IServiceCollection services)
    {
        services.AddSingleton<PaperSearchIndex>();
        services.AddSingleton<LibrarySearch>();
        services.TryAddSingleton<IDocumentFetcher, OfflineDocumentFetcher>();
        services.TryAddSingleton(new RoadmapOptions());
        services.AddSingleton<RoadmapService>();
        services.TryAddSingleton(new LibraryImportOptions());
        services.AddSingleton<LibraryImport>();
        // Features that own calendar events or feed entries (weekly sessions, digests) add IExportContributions.
        services.AddSingleton<ExportService>();
        services.AddSingleton<PendingPaperRefresher>();
        return services;
    }

    /// <summary>
    /// arXiv, Crossref, OpenReview and page meta tags (<c>Papers:*</c>; defaults point at the real services), and the
    /// background job that fills in pending papers. <c>Papers:Enabled=false</c> keeps the bot offline.
    /// </summary>
    public static IServiceCollection AddPaperSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaperSourcesOptions>().Bind(configuration.GetSection("Papers")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaperSourcesOptions>, PaperOptionsChecks>());
        if (!configuration.GetValue("Papers:Enabled", true))
        {
            return services;
        }

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PaperSourcesOptions>>().Value);
        services.TryAddSingleton<IHostNameResolver, SystemHostNameResolver>();
        services.AddSingleton<SafeHttpClient>();
        services.AddSingleton(sp => new ArxivRequestGate(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(sp.GetRequiredService<PaperSourcesOptions>().Arxiv.MinIntervalSeconds)));
        services.AddSingleton<ArxivClient>();
        services.AddSingleton<CrossrefClient>();
        services.AddSingleton<OpenReviewClient>();
        services.AddSingleton<PageMetadataClient>();
        services.AddSingleton<CompositeMetadataSource>();
        services.AddSingleton<IPaperMetadataSource>(sp => sp.GetRequiredService<CompositeMetadataSource>());
        services.AddSingleton<IDocumentFetcher, WebDocumentFetcher>();
        services.AddHostedService<PaperRefreshService>();
        return services;
    }
}

/// <summary>Fills in pending papers on a timer (<c>Papers:Refresh:PeriodSeconds</c>), with the injected clock.</summary>
public sealed class PaperRefreshService(PendingPaperRefresher refresher, IOptions<PaperSourcesOptions> options, TimeProvider time, ILogger<PaperRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Refresh.PeriodSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await refresher.RefreshDueAsync(options.Value.Refresh.BatchSize, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Refreshing pending papers failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>Checks <c>Papers:*</c> at start; each failure names the key and the fix.</summary>
internal sealed class PaperOptionsChecks : IValidateOptions<PaperSourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, PaperSourcesOptions o)
    {
        var failures = new List<string>();
        void Check(bool ok, string key, string problem, string fix)
        {
            if (!ok)
            {
                failures.Add(SettingProblem.Describe(key, problem, fix));
            }
        }

        foreach (var (key, url) in new[] { ("Papers:Arxiv:BaseUrl", o.Arxiv.BaseUrl), ("Papers:Crossref:BaseUrl", o.Crossref.BaseUrl), ("Papers:OpenReview:BaseUrl", o.OpenReview.BaseUrl) })
        {
            Check(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", key, $"'{url}' is not an http(s) URL", "the service's base URL");
        }

        var realArxiv = Uri.TryCreate(o.Arxiv.BaseUrl, UriKind.Absolute, out var arxiv) && arxiv.Host.EndsWith("arxiv.org", StringComparison.OrdinalIgnoreCase);
        Check(o.Arxiv.MinIntervalSeconds >= (realArxiv ? 3 : 0) && o.Arxiv.MinIntervalSeconds <= 600, "Papers:Arxiv:MinIntervalSeconds",
            $"{o.Arxiv.MinIntervalSeconds} is out of range (arXiv's terms ask for at least 3 seconds)", "a number of seconds from 3 to 600");
        Check(o.Arxiv.MaxRetries is >= 0 and <= 10, "Papers:Arxiv:MaxRetries", $"{o.Arxiv.MaxRetries} is out of range", "a whole number from 0 to 10");
        Check(o.Arxiv.RetryBaseSeconds is >= 0 and <= 600, "Papers:Arxiv:RetryBaseSeconds", $"{o.Arxiv.RetryBaseSeconds} is out of range", "a number of seconds from 0 to 600");
        Check(o.Arxiv.BatchSize is >= 1 and <= 200, "Papers:Arxiv:BatchSize", $"{o.Arxiv.BatchSize} is out of range", "a whole number from 1 to 200");
        Check(o.TimeoutSeconds is > 0 and <= 120, "Papers:TimeoutSeconds", $"{o.TimeoutSeconds} is out of range", "a number of seconds from 0.1 to 120");
        Check(o.MaxResponseBytes is >= 1024 and <= 64 * 1024 * 1024, "Papers:MaxResponseBytes", $"{o.MaxResponseBytes} is out of range", "a number of bytes from 1024 to 67108864");
        Check(o.MaxImportBytes is >= 1024 and <= 512 * 1024 * 1024, "Papers:MaxImportBytes", $"{o.MaxImportBytes} is out of range", "a number of bytes from 1024 to 536870912");
        Check(o.MaxRedirects is >= 0 and <= 10, "Papers:MaxRedirects", $"{o.MaxRedirects} is out of range", "a whole number from 0 to 10");
        Check(o.Refresh.PeriodSeconds is >= 1 and <= 86400, "Papers:Refresh:PeriodSeconds", $"{o.Refresh.PeriodSeconds} is out of range", "a number of seconds from 1 to 86400");
        Check(o.Refresh.BatchSize is >= 1 and <= 200, "Papers:Refresh:BatchSize", $"{o.Refresh.BatchSize} is out of range", "a whole number from 1 to 200");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
