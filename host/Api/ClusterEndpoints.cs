using Router.Abstractions;
using Router.Host.Cluster;

namespace Router.Host.Api;

/// <summary><c>GET /v1/cluster</c>: the nodes of the deployment and which node runs each camera (404 NOT_FOUND on a single box).</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cluster", (IServiceProvider services) =>
            {
                var state = services.GetService<ClusterState>()
                    ?? throw new RouterException(ErrorCodes.NotFound, "this node is not part of a cluster (Cluster:Enabled is false)", "cluster", "disabled");
                return TypedResults.Ok(state.View with { Events = services.GetService<RedisEventFanOut>()?.Status });
            })
            .WithTags("cluster")
            .WithSummary("Nodes (name, address, version, up since, last heartbeat, cameras, load), the node of each camera, the event fan-out")
            .ProducesErrors(401, 404);
        return app;
    }
}
