using Router.Host.Api;
using Router.Host.Compat;
using Router.Host.Galleries;
using Router.Host.Health;
using Router.Host.Telemetry;

namespace Router.Host.Composition;

/// <summary>
/// The HTTP API host of `router serve`: galleries and detection without cameras or plugins.
/// `router run` (<see cref="RouterHost"/>) maps the same groups and adds its own. Adding a
/// resource is one line in <see cref="MapEndpointGroups"/>.
/// </summary>
public static class ApiHost
{
    /// <summary>A builder with configuration (appsettings, ROUTER_ env vars, args), the API and the galleries registered.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables("ROUTER_");
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(ApiServer.DefaultUrls);
        AddApiServices(builder.Services, builder.Configuration);
        builder.Services.AddGalleries(builder.Configuration);
        builder.Services.AddRouterHealth(builder.Configuration);
        builder.Services.AddRouterTelemetry(builder.Configuration); // last: its start-up builds the metric sources of everything above
        return builder;
    }

    /// <summary>Builds the app: checks the binding is safe, installs the middleware, maps every endpoint group.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ApiServer.CheckBinding(builder.Configuration["urls"] ?? ApiServer.DefaultUrls, builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions());
        var app = builder.Build();
        app.UseRouterApi();
        MapEndpointGroups(app);
        return app;
    }

    /// <summary>The API, the compatible APIs, and the warnings on unknown configuration keys.</summary>
    public static IServiceCollection AddApiServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRouterApi(configuration);
        services.AddCompatApis(configuration);
        services.AddHostedService<ConfigurationKeyWarnings>();
        return services;
    }

    /// <summary>Every resource of the API, one line each.</summary>
    public static void MapEndpointGroups(WebApplication app)
    {
        app.MapRouterHealth();
        app.MapRouterMetrics();
        app.MapGalleryEndpoints();
        app.MapFaceEndpoints();
        app.MapSubjectEndpoints();
        app.MapDetectEndpoints();
        app.MapCompatEndpoints();
    }
}
