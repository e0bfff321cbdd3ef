using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
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
    public static IServiceCollection AddRouterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.OtlpEndpoint is null || (o.OtlpEndpoint.IsAbsoluteUri && o.OtlpEndpoint.Scheme is "http" or "https"),
                "Telemetry:OtlpEndpoint must be an http(s) URL of an OTLP/HTTP collector, e.g. http://collector:4318")
            .ValidateOnStart();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("router"));
        // Traces only when a collector is named: without a listener the host's spans are never created.
        if (configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.OtlpEndpoint is { IsAbsoluteUri: true } collector)
            telemetry.WithTracing(tracing => tracing
                .AddSource(RouterActivities.Name)
                .AddOtlpExporter(o =>
                {
                    o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                    o.Endpoint = new Uri(collector, "v1/traces");
                }));
        telemetry
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
