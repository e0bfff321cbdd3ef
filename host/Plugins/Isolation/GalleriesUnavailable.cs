using Router.Abstractions;

namespace Router.Host.Plugins.Isolation;

/// <summary>
/// The gallery client of a plugin that has none (an isolated plugin of a host without HTTP, a
/// benchmark of the call path): every call fails with NOT_IMPLEMENTED and the reason given.
/// </summary>
internal sealed class GalleriesUnavailable(string reason) : IGalleryClient
{
    private RouterException Unavailable() => new(ErrorCodes.NotImplemented, reason);

    public Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None, bool returnFacen = false,
        CancellationToken ct = default) => throw Unavailable();

    public Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default) => throw Unavailable();

    public IGallery Gallery(string name) => throw Unavailable();

    public Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default) => throw Unavailable();
}
