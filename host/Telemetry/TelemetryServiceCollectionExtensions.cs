using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Router.Galleries.Engine;

namespace Router.Host.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Metrics in Prometheus text format at <c>/metrics</c> (<see cref="MapRouterMetrics"/>):
    /// the host's meter, the gallery engine's and ASP.NET Core's own HTTP meters, collected by
    /// OpenTelemetry. Each component registers its <see cref="IMetricSource"/> itself.
    /// </summary>
    /// <remarks>
    /// OpenTelemetry listens to meters by name across the process, not per container: two hosts
    /// in one process (tests) would each export both's series. A router process has one host.
    /// </remarks>
    public static IServiceCollection AddRouterTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("router"))
            .WithMetrics(metrics => metrics
            .AddMeter(RouterMeter.Name, GalleryEngineMetrics.MeterName,
                "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            // No response cache: a scrape costs well under 1 ms (README), and a cached one would show
            // counts up to 300 ms old, which a scrape right after an event must not.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddHostedService<MetricSourcesStartup>();
        return services;
    }

    /// <summary>Maps <c>/metrics</c>; it is behind the API key like every other route when keys are configured.</summary>
    public static WebApplication MapRouterMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
