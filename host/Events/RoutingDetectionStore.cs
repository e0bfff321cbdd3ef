using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Host.Routing;

namespace Router.Host.Events;

/// <summary>
/// The router's detection store bound to the gallery engine's detection cache, so that a
/// detection made for a plugin can be used in Detection filters and as an add source, like
/// one made by POST /v1/detect.
/// </summary>
public sealed class RoutingDetectionStore(IDetectionCache cache) : IDetectionStore
{
    public async ValueTask<string> StoreAsync(DetectFace detection, CancellationToken ct)
    {
        if (detection.Facen is null) throw RouterException.BadParam("facen", null, "only a detection with an embedding can be stored");
        var id = Guid.NewGuid().ToString("N");
        await cache.PutAsync(detection with { Id = id }, ct).ConfigureAwait(false);
        return id;
    }
}
