using Router.Abstractions;

namespace Router.Galleries.Detections;

/// <summary>
/// Detections made with facen, kept by id for a while so that they can be searched with
/// and added to galleries (sf-api keeps them in memcached). Entries hold the embedding.
/// </summary>
public interface IDetectionCache
{
    /// <summary>Stores a detection under its <see cref="DetectFace.Id"/>; it must carry <see cref="DetectFace.Facen"/>.</summary>
    ValueTask PutAsync(DetectFace detection, CancellationToken ct = default);

    /// <summary>The detection, or null when unknown or expired.</summary>
    ValueTask<DetectFace?> GetAsync(string id, CancellationToken ct = default);
}
