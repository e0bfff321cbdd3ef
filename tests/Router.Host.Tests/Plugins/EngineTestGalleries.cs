using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Router.Host.Routing;

namespace Router.Host.Tests.Plugins;

/// <summary>
/// The real gallery engine (SQLite in a temporary folder, the in-memory detection cache) for
/// plugin tests that have no face models: embeddings enter as the router caches them
/// (<see cref="Cache"/>), and set-up enrolls faces from vectors.
/// </summary>
public sealed class EngineTestGalleries : IGalleryClient, IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "router-engine-tests", Guid.NewGuid().ToString("N")[..10]);
    private readonly MemoryDetectionCache _cache = new(TimeSpan.FromMinutes(10), 100_000);

    public EngineTestGalleries()
    {
        Engine = new GalleryEngine(new SqliteGalleryStore(Path.Combine(_root, "galleries.db")), _cache, new RandomIdGenerator(),
            NullLogger<GalleryEngine>.Instance);
    }

    public GalleryEngine Engine { get; }

    /// <summary>The detection cache the engine and the router share.</summary>
    public IDetectionCache Cache => _cache;

    /// <summary>Caches a detection as the router does and returns its id.</summary>
    public async ValueTask<string> StoreAsync(DetectFace detection, CancellationToken ct) => (await _cache.AddAsync(detection, ct)).Id!;

    public Task<DetectResponse> DetectAsync(ReadOnlyMemory<byte> image, FaceFeatures features = FaceFeatures.None, bool returnFacen = false,
        CancellationToken ct = default) =>
        throw new RouterException(ErrorCodes.ExtractionError, "these plugin tests run without face models");

    public async Task<DetectFace> GetDetectionAsync(string detectionId, CancellationToken ct = default) =>
        await _cache.GetAsync(detectionId, ct) ?? throw new GalleryException(ErrorCodes.NotFound, $"detection '{detectionId}' is unknown or expired");

    public IGallery Gallery(string name) => new EngineGallery(Engine, name);

    public Task<IReadOnlyList<GalleryInfo>> ListGalleriesAsync(CancellationToken ct = default) => Engine.ListGalleriesAsync(ct);

    /// <summary>Adds a face with this embedding (creating the gallery if needed) and returns its id.</summary>
    public async Task<long> EnrollAsync(string gallery, float[] embedding, IReadOnlyDictionary<string, MetaValue>? meta = null, string? subject = null)
    {
        if (!(await Engine.ListGalleriesAsync()).Any(g => g.Name == gallery)) await Engine.CreateGalleryAsync(gallery);
        var detection = await StoreAsync(new DetectFace { BBox = new BBox(0, 0, 100, 100), Facen = embedding }, default);
        return (await Engine.AddFaceAsync(gallery, null, FaceSource.FromDetection(detection), meta, subject: subject)).Id.Face;
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
