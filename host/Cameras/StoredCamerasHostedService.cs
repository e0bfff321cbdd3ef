using Router.Host.Pipeline;

namespace Router.Host.Cameras;

/// <summary>
/// Starts the cameras stored over the API when the host starts, and stops every camera when
/// it stops. Registered last, so it stops first: no face is posted once the routing workers
/// begin to drain.
/// </summary>
public sealed class StoredCamerasHostedService(CameraCatalog catalog, CameraManager manager) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => catalog.StartStoredAsync(ct);

    public Task StopAsync(CancellationToken ct) => manager.StopAllAsync().WaitAsync(ct);
}
