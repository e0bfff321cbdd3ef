using Router.Host.Plugins.Isolation;
using Router.Host.Routing;
using Router.Host.WebConsole;
using Router.Host.Api;
using Router.Host.Cameras;
using Router.Host.Cluster;
using Router.Host.Demo;
using Router.Host.Events;
using Router.Host.Faces;
using Router.Host.Galleries;
using Router.Host.Health;
using Router.Host.Pipeline;
using Router.Host.Plugins;
using Router.Host.Telemetry;

namespace Router.Host.Composition;

/// <summary>
/// The whole router as `router run` hosts it: models, galleries, plugins, the event path,
/// the video pipeline and the HTTP API in one generic host.
/// </summary>
/// <remarks>
/// Hosted services start in registration order and stop in reverse, which is what makes a
/// clean stop: cameras stop first (no new faces), then the routing workers drain the events
/// in flight, then the plugins get ShutdownAsync, then the galleries close.
/// </remarks>
public static class RouterHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, string? configFile = null, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        RouterConfiguration.Configure(builder.Configuration, args, configFile, overrides);
        AddRouterServices(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>Every service, in the order their hosted services must start.</summary>
    public static IServiceCollection AddRouterServices(IServiceCollection services, IConfiguration configuration)
    {
        var shutdown = configuration.GetSection(ShutdownOptions.Section).Get<ShutdownOptions>() ?? new ShutdownOptions();
        if (shutdown.Problems().FirstOrDefault() is { } problem) throw new InvalidOperationException(problem);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.Timeout);
        ApiHost.AddApiServices(services, configuration);
        // Isolated plugins reach the galleries through this host's API, on loopback, with its first key.
        services.AddOptions<IsolatedPluginsApi>().Configure(o =>
        {
            o.Url = ApiServer.LoopbackUrl(configuration["urls"] ?? ApiServer.DefaultUrls);
            o.ApiKey = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>()?.ApiKeys.FirstOrDefault();
        });
        AddRoutingServices(services, configuration);
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));
        services.AddHostedService<DemoSetupHostedService>();  // demo clip and watchlist seed, before cameras
        services.AddVideoPipeline(configuration);             // configured cameras
        services.AddCameraCatalog(configuration);             // API cameras; on stop: every camera stopped, first
        services.AddCluster(configuration);                   // Cluster:Enabled: cameras in PostgreSQL, one node each; on stop: locks freed first
        services.AddRouterHealth(configuration);              // /healthz, /readyz
        services.AddRouterTelemetry(configuration);                        // /metrics; last: builds every component's metric source
        return services;
    }

    /// <summary>Models, galleries, plugins and the event path: what routes faces, without cameras or API (replay uses it alone).</summary>
    public static IServiceCollection AddRoutingServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddFaceModels(configuration);
        services.AddGalleries(configuration);                 // GalleryEngineStartup: galleries loaded first
        services.AddFaceRouting();                            // plugins loaded; on stop: router drained, ShutdownAsync
        services.AddPlugins(configuration);                   // plugin loader and hot reload
        services.AddEventRouting(configuration);              // routing workers; on stop: queue drained
        return services;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ApiServer.CheckBinding(builder.Configuration["urls"] ?? ApiServer.DefaultUrls,
            builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions());
        var app = builder.Build();
        app.UseRouterApi();
        ApiHost.MapEndpointGroups(app);
        app.MapPluginEndpoints();
        app.MapCameraEndpoints();
        app.MapClusterEndpoints();
        app.MapEventEndpoints();
        app.MapConsole();
        return app;
    }
}
