namespace Router.Abstractions;

/// <summary>
/// Face detection and galleries, the sfapi client surface. Two implementations: the host's
/// in-process one (given to plugins) and <c>HttpGalleryClient</c> over the HTTP API.
/// </summary>
public interface IGalleryClient
{
    /// <summary>
    /// Detects faces in an encoded image (JPEG, PNG, WEBP, BMP). With <see cref="FaceFeatures.Facen"/>
    /// each face gets a detection id usable in Detection filters and as an add source.
    /// </summary>
    Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None,
        bool returnFacen = false, CancellationToken ct = default);

    /// <summary>A cached detection by id; NOT_FOUND once it expired.</summary>
    Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default);

    IGallery Gallery(string name);

    Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default);
}
