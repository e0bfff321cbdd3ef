using Router.Host.Plugins;
using Microsoft.Extensions.Hosting;

namespace Router.Host.Routing;

/// <summary>
/// Loads the plugins when the host starts; when it stops, shuts every plugin down (ShutdownAsync
/// once each) and unloads it. The stop is the routing path's one drain for the plugins: from its
/// start the router takes no new face, and each plugin's generation is retired only after the
/// faces that hold a lease on it have left it (the event queue in front drained before).
/// </summary>
public sealed class PluginsHostedService(PluginRegistry registry, FaceRouter router, PluginShadowCopies shadow,
    ILogger<PluginsHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        shadow.Clean();
        return registry.LoadAllAsync(ct);
    }

    /// <summary>Bounded by the host's shutdown timeout; past it, gives up with a log line instead of failing the stop.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        try
        {
            await registry.ShutdownAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("plugins did not finish their calls and ShutdownAsync within the shutdown timeout; the process ends without waiting for them ({InFlight} calls in flight)",
                router.InFlight);
        }
    }
}
