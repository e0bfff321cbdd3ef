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
        var group = app.MapGroup("/v1/plugins").WithTags("plugins").ProducesErrors(401);
        group.MapGet("/", (PluginRegistry registry, FaceRouter router) => TypedResults.Ok(new WirePlugins(
            registry.Describe(),
            new WireRouterCounters(router.Counters.Routed, router.Counters.Unwanted, router.Counters.ExtractionErrors, router.Counters.Rejected, router.InFlight))))
            .WithSummary("Every plugin with its state and counters, and the router's own counters");
        group.MapGet("/{name}", (string name, PluginRegistry registry) =>
                TypedResults.Ok(registry.Find(name)?.Describe() ?? throw NotFound(name)))
            .ProducesErrors(404);
        group.MapPost("/{name}/reload", async (string name, PluginRegistry registry, CancellationToken ct) =>
            {
                try { return TypedResults.Ok(await registry.ReloadAsync(name, ct)); }
                catch (RouterException e) when (e.Code == PluginErrorCodes.NotFound) { throw NotFound(name); }
            })
            .WithSummary("Reload a plugin now, as a change of its folder would")
            .ProducesErrors(404);
        return app;
    }

    private static RouterException NotFound(string name) => new(PluginErrorCodes.NotFound, $"no plugin named '{name}'", "name", name);
}

/// <summary>The body of <c>GET /v1/plugins</c>.</summary>
public sealed record WirePlugins(IReadOnlyList<PluginInfo> Plugins, WireRouterCounters Router);

/// <summary>The router's own counters: faces routed, wanted by no plugin, failed extraction, refused; calls in flight.</summary>
public sealed record WireRouterCounters(long Routed, long Unwanted, long ExtractionErrors, long Rejected, int InFlight);
