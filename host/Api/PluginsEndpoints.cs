using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Abstractions;
using Router.Host.Plugins;
using Router.Host.Routing;

namespace Router.Host.Api;

public static class PluginsEndpoints
{
    /// <summary>
    /// <c>GET /v1/plugins</c>: every plugin with name, version, state, error and counters, plus
    /// the router's own counters; <c>GET /v1/plugins/{name}</c>: one plugin (404 PLUGIN_NOT_FOUND);
    /// <c>POST /v1/plugins/{name}/reload</c>: reload it now (as a change of its folder would).
    /// </summary>
    public static IEndpointRouteBuilder MapPluginEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/plugins").WithTags("plugins");
        group.MapGet("/", (PluginRegistry registry, FaceRouter router) => Results.Json(new
        {
            plugins = registry.Describe(),
            router = new
            {
                routed = router.Counters.Routed,
                unwanted = router.Counters.Unwanted,
                extractionErrors = router.Counters.ExtractionErrors,
                rejected = router.Counters.Rejected,
                inFlight = router.InFlight,
            },
        }, RouterJson.Options));
        group.MapGet("/{name}", (string name, PluginRegistry registry) =>
            registry.Find(name) is { } entry ? Results.Json(entry.Describe(), RouterJson.Options) : NotFound(name));
        group.MapPost("/{name}/reload", async (string name, PluginRegistry registry, CancellationToken ct) =>
        {
            try { return Results.Json(await registry.ReloadAsync(name, ct), RouterJson.Options); }
            catch (RouterException e) when (e.Code == PluginErrorCodes.NotFound) { return NotFound(name); }
        });
        return app;
    }

    private static IResult NotFound(string name) =>
        Results.Json(new { code = PluginErrorCodes.NotFound, reason = $"no plugin named '{name}'", param = "name", value = name },
            RouterJson.Options, statusCode: StatusCodes.Status404NotFound);
}
