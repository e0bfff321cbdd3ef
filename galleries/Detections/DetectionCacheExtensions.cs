using Router.Abstractions;

namespace Router.Galleries.Detections;

public static class DetectionCacheExtensions
{
    /// <summary>
    /// Caches a detection under a new id and returns the detection with it: how every detection made
    /// with facen (POST /v1/detect, the router for plugins) becomes usable in Detection filters and as
    /// an add source. Cache failures are CACHE_ERROR.
    /// </summary>
    public static async ValueTask<DetectFace> AddAsync(this IDetectionCache cache, DetectFace detection, CancellationToken ct = default)
    {
        if (detection.Facen is null) throw RouterException.BadParam("facen", null, "only a detection with an embedding can be cached");
        var cached = detection with { Id = Guid.NewGuid().ToString("N") };
        try
        {
            await cache.PutAsync(cached, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RouterException and not OperationCanceledException)
        {
            throw new GalleryException(ErrorCodes.CacheError, "the detection cache failed: " + e.Message, inner: e);
        }
        return cached;
    }
}
