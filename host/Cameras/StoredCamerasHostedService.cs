using Router.Host.Pipeline;

namespace Router.Host.Cameras;

/// <summary>
/// Starts the cameras stored over the API when the host starts, and stops every camera when
/// it stops. Registered last, so it stops first: no face is posted once the routing workers
/// begin to drain.
/// </summary>
public sealed class StoredCamerasHostedService(CameraCatalog catalog, CameraManager manager, ILogger<StoredCamerasHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => catalog.StartStoredAsync(ct);

    /// <summary>Bounded by the host's shutdown timeout; past it, a log line rather than a failed stop.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        try { await manager.StopAllAsync().WaitAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("cameras did not all stop within the shutdown timeout");
        }
    }
}
