using Microsoft.Extensions.Diagnostics.HealthChecks;
using Router.Galleries.Engine;

namespace Router.Host.Health;

/// <summary>
/// Ready when the galleries are loaded (the engine's start-up finished) and the store answers a
/// read now: SQLite's file opens, or PostgreSQL runs the query. Either failing is Unhealthy with
/// the store's own error, so a load balancer stops sending searches that would fail.
/// </summary>
internal sealed class GalleryStoreHealthCheck(GalleryEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The engine's start ignores the caller's token (it is shared); the check stops waiting instead.
            await engine.StartAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            var names = await engine.Store.ListGalleriesAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{names.Count} galleries");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the galleries are still loading or the store did not answer in time");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy(e.Message, e);
        }
    }
}
