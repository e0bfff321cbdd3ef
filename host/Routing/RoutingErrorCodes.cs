namespace Router.Host.Routing;

public static class RoutingErrorCodes
{
    /// <summary>The router is shutting down and takes no new faces.</summary>
    public const string Stopping = "ROUTER_STOPPING";
}
