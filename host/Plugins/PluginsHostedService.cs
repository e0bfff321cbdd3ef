using Microsoft.Extensions.Hosting;
using Router.Host.Routing;

namespace Router.Host.Plugins;

/// <summary>
/// Loads the plugins when the host starts; when it stops, first stops the router and lets the
/// faces in flight finish, then shuts every plugin down (ShutdownAsync once each) and unloads it.
/// </summary>
public sealed class PluginsHostedService(PluginRegistry registry, FaceRouter router, PluginShadowCopies shadow) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        shadow.Clean();
        return registry.LoadAllAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        try { await router.StopAsync(ct).ConfigureAwait(false); }
        finally { await registry.ShutdownAsync(ct).ConfigureAwait(false); }
    }
}
