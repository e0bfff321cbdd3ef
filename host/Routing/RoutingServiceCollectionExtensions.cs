using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Router.Host.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// The face router over the plugin registry, and the hosted service that loads the plugins at start and,
    /// at stop, drains the router before shutting them down. Register before the plugins' own services
    /// (AddPlugins), so that the hot reloader starts after the plugins are loaded and stops after they are shut down.
    /// </summary>
    public static IServiceCollection AddFaceRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<FaceFeatureExtractor>();
        services.TryAddSingleton<FaceRouter>();
        services.AddHostedService<PluginsHostedService>();
        return services;
    }
}
