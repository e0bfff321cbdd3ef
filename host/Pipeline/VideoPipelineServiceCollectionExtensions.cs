using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Host.Ingest;
using Router.Host.Telemetry;

namespace Router.Host.Pipeline;

/// <summary>DI registration of the video pipeline. An <c>IFaceAnalyzer</c> must be registered too (the models' extension).</summary>
public static class VideoPipelineServiceCollectionExtensions
{
    /// <summary>
    /// Cameras from the "Cameras" section (validated at start-up, their stream URLs against the
    /// "CameraSources" section's <see cref="CameraSourcePolicy"/>), the <see cref="CameraManager"/>,
    /// the hosted service that runs them, live event ids, and the logging sink unless a sink is
    /// already registered (<see cref="AddFaceEventSink{TSink}"/>).
    /// </summary>
    public static IServiceCollection AddVideoPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CamerasOptions>()
            .Configure(o => configuration.GetSection(CamerasOptions.Section).Bind(o.Cameras))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CamerasOptions>, CamerasOptionsValidator>());
        services.AddOptions<CameraSourceOptions>()
            .Configure(o =>
            {
                configuration.GetSection(CameraSourceOptions.Section).Bind(o);
                // Not configured: the data folder only (where the demo clip lives).
                if (o.FileDirectories.Count == 0) o.FileDirectories.Add(Path.GetFullPath(configuration["DataDir"] is { Length: > 0 } d ? d : "data"));
            });
        services.TryAddSingleton(sp => new CameraSourcePolicy(sp.GetRequiredService<IOptions<CameraSourceOptions>>()));
        services.TryAddSingleton<IEventIdGenerator, TimeOrderedEventIdGenerator>();
        services.TryAddSingleton<IFaceEventSink, LoggingFaceEventSink>();
        services.TryAddSingleton<CameraManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricSource, CameraMetrics>());
        services.AddHostedService<CameraHostedService>();
        return services;
    }

    /// <summary>Makes <typeparamref name="TSink"/> the destination of every face event (replaces the logging sink).</summary>
    public static IServiceCollection AddFaceEventSink<TSink>(this IServiceCollection services) where TSink : class, IFaceEventSink
    {
        services.RemoveAll<IFaceEventSink>();
        services.AddSingleton<IFaceEventSink, TSink>();
        return services;
    }
}
