using Router.Abstractions;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Host.Decoding;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Host.Galleries;

/// <summary>
/// The host's <see cref="IGalleryClient"/> (given to plugins and behind the HTTP API):
/// detection through <see cref="IFaceAnalyzer"/>, faces with an embedding cached under a
/// fresh UUID, galleries straight on the engine. An image's header is checked against the
/// decode limits, then its decode waits for room in the <see cref="DecodeBudget"/>.
/// </summary>
public sealed class InProcessGalleryClient(GalleryEngine engine, IServiceProvider services, DecodeBudget budget,
    Microsoft.Extensions.Options.IOptions<DecodingOptions> decoding) : IGalleryClient
{
    public GalleryEngine Engine => engine;

    public async Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None, bool returnFacen = false,
        CancellationToken ct = default)
    {
        var analyzer = services.GetService<IFaceAnalyzer>()
            ?? throw new GalleryException(ErrorCodes.ExtractionError, "face detection is unavailable: this host has no face models configured");
        if (image.IsEmpty) throw RouterException.BadParam("image", "", "the image is empty");
        var limits = decoding.Value.Limits;
        var header = ImageHeaders.Read(image.Span);
        limits.Check(header);
        ImageAnalysis analysis;
        using (await budget.EnterAsync(header.DecodeBytes, ct).ConfigureAwait(false))
            analysis = analyzer.AnalyzeImage(image.Span, features, limits: limits);
        var faces = new List<DetectFace>(analysis.Faces.Count);
        foreach (var f in analysis.Faces)
        {
            var face = new DetectFace
            {
                BBox = f.Detection.Box,
                DetectionScore = f.Detection.Score,
                Features = f.Attributes,
                Facen = f.Embedding,
            };
            if (features.HasFlag(FaceFeatures.Facen) && f.Embedding is not null) face = await engine.Detections.AddAsync(face, ct).ConfigureAwait(false);
            faces.Add(returnFacen ? face : face with { Facen = null });
        }
        return new DetectResponse(faces, analysis.Orientation, analysis.Width, analysis.Height);
    }

    public async Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default)
    {
        DetectFace? found;
        try
        {
            found = await engine.Detections.GetAsync(detectionId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RouterException and not OperationCanceledException)
        {
            throw new GalleryException(ErrorCodes.CacheError, "the detection cache failed: " + e.Message, inner: e);
        }
        return found ?? throw new GalleryException(ErrorCodes.NotFound, $"detection '{detectionId}' is unknown or expired");
    }

    public IGallery Gallery(string name) => new EngineGallery(engine, name);

    public Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default) => engine.ListGalleriesAsync(ct);
}
