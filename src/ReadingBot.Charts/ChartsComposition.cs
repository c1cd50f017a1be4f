using Microsoft.Extensions.DependencyInjection;
using ReadingBot.Core.Charts;

namespace ReadingBot.Charts;

/// <summary>The charts project's one registration.</summary>
public static class ChartsComposition
{
    /// <summary>Draws Core's charts (streaks, progress) as PNGs with ScottPlot.</summary>
    public static IServiceCollection AddCharts(this IServiceCollection services)
    {
        services.AddSingleton<IChartRenderer, ScottPlotChartRenderer>();
        return services;
    }
}
