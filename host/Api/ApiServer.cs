using Router.Host.Compat.DeepStack;
using Router.Host.Compat.CompreFace;
using System.Net;
using Router.Host.Galleries;
using Router.Host.Health;
using Router.Host.Telemetry;

namespace Router.Host.Api;

/// <summary>
/// Builds the HTTP API host. <c>serve</c> uses it alone; <c>run</c> adds its own services
/// through <c>configureServices</c>. Adding a resource is one line in <see cref="MapEndpointGroups"/>.
/// </summary>
public static class ApiServer
{
    public const string DefaultUrls = "http://127.0.0.1:18411";

    /// <summary>A builder with configuration (appsettings, ROUTER_ env vars, args), the API and the galleries registered.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables("ROUTER_");
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrls);
        builder.Services.AddRouterApi(builder.Configuration);
        builder.Services.AddGalleries(builder.Configuration);
        builder.Services.AddRouterHealth(builder.Configuration);
        builder.Services.AddRouterTelemetry(); // last: its start-up builds the metric sources of everything above
        return builder;
    }

    /// <summary>Builds the app: checks the binding is safe, installs the middleware, maps every endpoint group.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        CheckBinding(builder.Configuration["urls"] ?? DefaultUrls, builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions());
        var app = builder.Build();
        app.UseRouterApi();
        MapEndpointGroups(app);
        app.MapRouterApiFallback();
        return app;
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
        app.MapCompreFaceEndpoints();
        app.MapDeepStackEndpoints();
    }

    /// <summary>
    /// Without API keys the API may listen on loopback only; anything else is refused with a clear message.
    /// Checks <c>urls</c> before the start; <see cref="BoundAddressGuard"/> checks what Kestrel bound after it.
    /// </summary>
    public static void CheckBinding(string urls, ApiOptions options)
    {
        if (options.ApiKeys.Length > 0) return;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsLoopback(url))
                throw new InvalidOperationException(
                    $"refusing to listen on '{url}' without API keys: set Api:ApiKeys (e.g. ROUTER_Api__ApiKeys__0=KEY) or bind to 127.0.0.1");
        }
    }

    /// <summary>Whether a listen address (http://HOST:PORT, as configured or as Kestrel reports it) is loopback only.</summary>
    public static bool IsLoopback(string url)
    {
        var host = url.Contains("://") ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        host = host.StartsWith('[') && host.IndexOf(']') > 0 ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
