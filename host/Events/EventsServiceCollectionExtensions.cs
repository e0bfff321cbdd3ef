using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Host.Pipeline;
using Router.Host.Routing;
using Router.Host.Telemetry;

namespace Router.Host.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// The event path: options ("Events", validated at start), the <see cref="EventFeed"/>, the
    /// <see cref="FaceEventRouter"/> as the video pipeline's sink, its hosted workers, and the
    /// router's detection store on the galleries' detection cache. Call after AddPlugins and
    /// before AddVideoPipeline: hosted services stop in reverse order of registration.
    /// </summary>
    public static IServiceCollection AddEventRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>());
        services.TryAddSingleton<EventFeed>();
        services.TryAddSingleton<EventFrames>();
        services.AddMetrics();
        services.TryAddSingleton<EventLatency>();
        services.TryAddSingleton<FaceEventRouter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricSource, EventMetrics>());
        services.TryAddSingleton<EventJournal>();
        services.RemoveAll<IFaceEventSink>();
        services.AddSingleton<IFaceEventSink>(sp => sp.GetRequiredService<FaceEventRouter>());
        services.AddHostedService<EventRoutingHostedService>();
        return services;
    }
}
